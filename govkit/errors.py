"""The govkit exception tree.

Every error govkit raises derives from :class:`GovkitError`. The CLI maps the
three branches to exit codes in one place (``govkit/cli/_errors.py``)::

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
        └── TamperDetectedError            audit verification found integrity problems

Messages name the file, column, field or URL at fault and never carry a raw
personal value or key material.
"""

from __future__ import annotations


class GovkitError(Exception):
    """Root of all govkit errors."""


class UsageError(GovkitError):
    """Raised when arguments do not fit together (e.g. ``--table`` with a CSV file)."""


class OperationalError(GovkitError):
    """Raised when the tool cannot do its work; the data was not judged."""


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


class PIIFoundError(ComplianceFailure):
    """Raised when columns at or above the ``--fail-on`` tier are found."""


class ValidationFailedError(ComplianceFailure):
    """Raised when expectations fail."""


class AccessDeniedError(ComplianceFailure):
    """Raised when the policy denies a role/purpose the requested data."""


class TamperDetectedError(ComplianceFailure):
    """Raised when audit verification finds integrity problems."""
