"""``validate``: the one validate stage, behind ``govkit validate``, ``govkit.validate`` and ``run``.

Runs a suite against a dataset, marks the rules listed in ``warn`` as warnings,
records one ``validate`` event (:func:`validate_event`) and returns the redacted
:class:`QualityResult`. :func:`check` raises when a blocking rule failed (the doors
call it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.audit.events import dataset_identity
from govkit.errors import QualityToolError, SuiteError, ValidationFailedError
from govkit.models import AuditEvent
from govkit.quality.models import QualityResult
from govkit.quality.suites import find_suite
from govkit.quality.validate import validate_dataset

if TYPE_CHECKING:
    from govkit.context import StageContext
    from govkit.datasets import Dataset


def failure_summary(result: QualityResult) -> str | None:
    """The blocking failures in one line (None when nothing blocks)."""
    blocking = result.blocking
    if not blocking:
        return None
    return (
        f"{len(blocking)} of {result.statistics.evaluated_expectations} expectations failed "
        f"in suite {result.suite} ({', '.join(r.rule_id for r in blocking)})"
    )


def check(result: QualityResult) -> None:
    """Raise when a blocking expectation failed.

    Raises:
        ValidationFailedError: names the dataset, suite and rule ids (never values).
    """
    summary = failure_summary(result)
    if summary is not None:
        raise ValidationFailedError(f"{result.dataset}: {summary}")


def validate_event(
    result: QualityResult, *, identity: str, fingerprint: str | None, suite_sha256: str | None
) -> AuditEvent:
    """The ``validate`` event: the suite and its pass/fail counts (rule ids, no values)."""
    return AuditEvent(
        action="validate",
        outcome="failure" if result.blocking else "success",
        reason=failure_summary(result),
        dataset=identity,
        fingerprint=fingerprint,
        columns=sorted({c for r in result.failed for c in r.columns}),
        rule_ids=[r.rule_id for r in result.failed],
        counts={
            "evaluated": result.statistics.evaluated_expectations,
            "passed": result.statistics.successful_expectations,
            "failed": result.statistics.unsuccessful_expectations,
            "warnings": len(result.warnings),
        },
        details={
            "suite": result.suite,
            "suite_file": result.suite_file,
            "suite_sha256": suite_sha256,
        },
    )


def validate(
    source: str | Dataset,
    *,
    context: StageContext,
    suite: Path | None = None,
    warn: Sequence[str] = (),
    table: str | None = None,
    query: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    engine: Any = None,
) -> QualityResult:
    """Validate a dataset against its expectation suite and record a ``validate`` event.

    Args:
        source: a file path, a SQLAlchemy URL, or an opened :class:`Dataset`.
        context: settings (``expectations_dir``) and the audit log (a Governor).
        suite: the suite file; default ``<expectations_dir>/<dataset name>.json``.
        warn: rule ids whose failure is a warning, not a blocking failure.
        table: table name, for database URLs.
        query: read-only query, for database URLs.
        sheet: worksheet, for ``.xlsx`` files.
        encoding: text encoding of CSV/TSV files.
        engine: the Spark engine (validates where the data is); None: the local engine.

    Returns:
        The redacted result; ``result.blocking`` lists the failures that block
        (:func:`check` raises on them).

    Raises:
        SuiteError: no suite for the dataset, or the suite file is invalid.
        QualityToolError: a rule did not run as written (recorded, then raised).
        DatasetError: the source cannot be read.
        AuditError: the event could not be recorded; no result is released.
    """
    from govkit.datasets import Dataset, open_dataset

    if engine is not None:  # the Spark engine reads the data where it is
        dataset = (
            engine.frame_of(source)
            if isinstance(source, Dataset)
            else engine.open(source, table=table, query=query)
        )
    else:
        dataset = (
            source
            if isinstance(source, Dataset)
            else open_dataset(source, table=table, query=query, sheet=sheet, encoding=encoding)
        )
    suite_path = suite or find_suite(context.settings.expectations_dir, dataset.name)
    digest = suite_digest(suite_path)
    try:
        result = (
            engine.validate(dataset, suite_path)
            if engine is not None
            else validate_dataset(dataset, suite_path)
        )
    except (QualityToolError, SuiteError) as exc:
        record_error(context, dataset, suite_path, digest, exc)
        raise
    return record_result(context, dataset, suite_path, digest, result, warn)


def record_error(
    context: StageContext,
    dataset: Dataset,
    suite_path: Path,
    digest: str | None,
    exc: QualityToolError | SuiteError,
) -> None:
    """Record the ``validate`` event of a suite that did not run (the caller raises ``exc``).

    Raises:
        AuditError: the event could not be recorded.
    """
    context.record(
        AuditEvent(
            action="validate",
            outcome="failure",
            reason=f"tool error: {exc}",
            dataset=dataset_identity(dataset),
            details={"suite_file": str(suite_path), "suite_sha256": digest},
        )
    )


def record_result(
    context: StageContext,
    dataset: Dataset,
    suite_path: Path,
    digest: str | None,
    result: QualityResult,
    warn: Sequence[str] = (),
) -> QualityResult:
    """Mark the ``warn`` rules as warnings and record the ``validate`` event; return the result.

    ``result`` comes from :func:`~govkit.quality.validate.validate_dataset`, run here or in
    another process (``govkit run`` validates beside its protect stage); ``digest`` is the
    suite file's (:func:`suite_digest`), taken before the suite ran.

    Raises:
        AuditError: the event could not be recorded; no result is released.
    """
    if warn:
        listed = set(warn)
        result.results = [
            r.model_copy(update={"severity": "warning"}) if r.rule_id in listed else r
            for r in result.results
        ]
    from govkit.datasets.files import file_fingerprint

    event = validate_event(
        result,
        identity=dataset_identity(dataset),
        fingerprint=file_fingerprint(dataset),
        suite_sha256=digest,
    )
    context.record(event)
    return result


def suite_digest(path: Path) -> str | None:
    """The SHA-256 of a suite file, for its ``validate`` event (None: unreadable)."""
    try:
        return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
