"""The govkit exception tree.

Every error govkit raises derives from :class:`GovkitError`. The exit code is a
property of the class (``exit_code``), read by :func:`exit_code_of` — the one map,
used by the CLI (``govkit/cli/_errors.py``) and by ``govkit run``'s report::

    GovkitError
    ├── UsageError                 exit 2  arguments that do not fit together
    ├── OperationalError           exit 3  the tool cannot do its work
    │   ├── ConfigError                    bad settings or config file
    │   │   ├── PolicyError                policies/*.yaml invalid
    │   │   ├── SuiteError                 expectation suite missing or invalid
    │   │   └── PipelineError              pipeline file invalid
    │   ├── DatasetError                   unreadable input, bad URL, unreachable database
    │   │   └── OutputExistsError          target exists and --overwrite was not given
    │   ├── DetectionError                 the scanner failed (not: PII found)
    │   ├── ProtectionError                a transform could not be applied
    │   │   ├── KeyMaterialError           key missing, unreadable, destroyed or wrong
    │   │   └── DecryptionError            ciphertext or token does not verify
    │   ├── QualityToolError               a suite did not run as written (dropped rule, GX error)
    │   └── AuditError                     audit store unreachable or write failed
    └── ComplianceFailure          exit 1  the data or the request is not compliant
        ├── PIIFoundError                  sensitive columns over the --fail-on threshold
        ├── ValidationFailedError          expectations failed
        ├── AccessDeniedError              the policy denies the role/purpose
        ├── PolicyTestFailedError          policy test cases failed (``policy test``)
        ├── AccessWidenedError             a policy change widens access (``--fail-on-widen``)
        └── TamperDetectedError            audit verification found integrity problems

Messages name the file, column, field or URL at fault and never carry a raw
personal value or key material.
"""

from __future__ import annotations

from typing import ClassVar

EXIT_OK = 0
EXIT_COMPLIANCE = 1
EXIT_USAGE = 2
EXIT_OPERATIONAL = 3


class GovkitError(Exception):
    """Root of all govkit errors."""

    exit_code: ClassVar[int] = EXIT_OPERATIONAL


class UsageError(GovkitError):
    """Raised when arguments do not fit together (e.g. ``--table`` with a CSV file)."""

    exit_code = EXIT_USAGE


class OperationalError(GovkitError):
    """Raised when the tool cannot do its work; the data was not judged."""

    exit_code = EXIT_OPERATIONAL


class ConfigError(OperationalError):
    """Raised for invalid settings or configuration files."""


class PolicyError(ConfigError):
    """Raised when a policy file is invalid; the message names file and field path."""


class SuiteError(ConfigError):
    """Raised when an expectation suite is missing or invalid."""


class PipelineError(ConfigError):
    """Raised when a pipeline file is invalid; the message names the field."""


class DatasetError(OperationalError):
    """Raised when a dataset cannot be opened, read or written."""


class OutputExistsError(DatasetError):
    """Raised when an output target exists and overwriting was not requested."""


class DetectionError(OperationalError):
    """Raised when the scanner itself fails."""


class ProtectionError(OperationalError):
    """Raised when a protection transform cannot be applied."""


class KeyMaterialError(ProtectionError):
    """Raised when a key is missing, unreadable, destroyed or not the right one."""


class DecryptionError(ProtectionError):
    """Raised when a ciphertext or token fails to decrypt or verify."""


class QualityToolError(OperationalError):
    """Raised when an expectation suite did not run as written."""


class AuditError(OperationalError):
    """Raised when the audit store cannot be reached or written."""


class ComplianceFailure(GovkitError):
    """Raised when data or a request is not compliant; the tool worked."""

    exit_code = EXIT_COMPLIANCE


class PIIFoundError(ComplianceFailure):
    """Raised when columns at or above the ``--fail-on`` tier are found."""


class ValidationFailedError(ComplianceFailure):
    """Raised when expectations fail."""


class AccessDeniedError(ComplianceFailure):
    """Raised when the policy denies a role/purpose the requested data."""


class PolicyTestFailedError(ComplianceFailure):
    """Raised when policy test cases do not give their expected decisions."""


class AccessWidenedError(ComplianceFailure):
    """Raised when a policy change widens access and widening was to fail."""


class TamperDetectedError(ComplianceFailure):
    """Raised when audit verification finds integrity problems."""


def exit_code_of(exc: BaseException) -> int:
    """The contract's exit code for an exception: its class's, 3 for foreign ones."""
    return exc.exit_code if isinstance(exc, GovkitError) else EXIT_OPERATIONAL
