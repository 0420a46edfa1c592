"""The Python front door: ``govkit.run``, ``govkit.scan``, ``govkit.protect``, ``govkit.validate``.

Each function is the library twin of the command of the same name and returns its
pydantic result. Pass a :class:`~govkit.governor.Governor` to load settings, engines,
policies and keys once for many calls (an orchestrator's worker); without one, a
Governor is made from the environment (``GOVKIT_*``) for the call. Failures raise
the documented errors (:mod:`govkit.errors`); nothing here exits the process.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.entities import Sensitivity
from govkit.errors import PIIFoundError, ValidationFailedError
from govkit.governor import Governor
from govkit.pipeline.model import Pipeline
from govkit.report.model import RunReport

if TYPE_CHECKING:
    from govkit.detect.report import ScanReport
    from govkit.protect.api import ProtectResult
    from govkit.quality.models import QualityResult


def _governor(governor: Governor | None) -> Governor:
    return governor if governor is not None else Governor()


def run(
    pipeline: Pipeline | str | Path,
    *,
    governor: Governor | None = None,
    dry_run: bool = False,
) -> RunReport:
    """Run a pipeline file: publish every output, or nothing (see :func:`run_pipeline`).

    Raises:
        PIIFoundError, ValidationFailedError, AccessDeniedError: compliance failures.
        KeyMaterialError, AuditError, DatasetError, PipelineError: the run could not work.
    """
    from govkit.pipeline.run import run_pipeline

    return run_pipeline(pipeline, governor=_governor(governor), dry_run=dry_run)


def scan(
    source: str,
    *,
    governor: Governor | None = None,
    fail_on: Sensitivity | None = None,
    **options: Any,
) -> ScanReport:
    """Scan a source for personal data (options as :func:`govkit.detect.api.scan`).

    Args:
        source: a file, a directory or a SQLAlchemy URL.
        governor: settings and audit log (default: from the environment).
        fail_on: raise when a column at or above this tier is found.
        **options: ``table``, ``query``, ``sheet``, ``encoding``, ``sample_size``,
            ``full``, ``catalog``.

    Raises:
        PIIFoundError: ``fail_on`` is given and such columns were found.
    """
    from govkit.detect.api import flagged
    from govkit.detect.api import scan as scan_source

    report = scan_source(source, governor=_governor(governor), **options)
    if fail_on is not None:
        columns = flagged(report, fail_on)
        if columns:
            raise PIIFoundError(
                f"{source}: {len(columns)} column(s) at or above tier {fail_on!r}: "
                + ", ".join(columns)
            )
    return report


def protect(
    source: Any,
    output: str | None = None,
    *,
    governor: Governor | None = None,
    **options: Any,
) -> ProtectResult:
    """Protect a dataset by policy (options as :func:`govkit.protect.api.protect`).

    Args:
        source: a file path or SQLAlchemy URL, a ``pyarrow.Table`` or a pandas DataFrame.
        output: where to write; None returns the protected data in the result.
        governor: settings, keys and audit log (default: from the environment).
        **options: ``catalog``, ``role``, ``purpose``, ``table``, ``output_table``,
            ``overwrite``, ``keys``.
    """
    from govkit.protect.api import protect as protect_source

    return protect_source(source, output, governor=_governor(governor), **options)


def validate(
    source: Any,
    *,
    governor: Governor | None = None,
    raise_on_failure: bool = True,
    **options: Any,
) -> QualityResult:
    """Check a dataset against its expectation suite (options as :func:`govkit.quality.api.validate`).

    Args:
        source: a file path, a SQLAlchemy URL or an opened dataset.
        governor: settings and audit log (default: from the environment).
        raise_on_failure: raise when an expectation fails (False: return the result).
        **options: ``suite``, ``table``, ``query``, ``sheet``, ``encoding``.

    Raises:
        ValidationFailedError: an expectation failed and ``raise_on_failure`` is True.
    """
    from govkit.quality.api import validate as validate_source

    result = validate_source(source, governor=_governor(governor), **options)
    if raise_on_failure and not result.success:
        ids = ", ".join(r.rule_id for r in result.failed)
        raise ValidationFailedError(f"{result.dataset}: expectations failed: {ids}")
    return result
