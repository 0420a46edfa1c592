"""``govkit.validate``: run a suite against a source and record the audit event."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.errors import QualityToolError, SuiteError
from govkit.models import AuditEvent
from govkit.quality.models import QualityResult
from govkit.quality.suites import find_suite
from govkit.quality.validate import validate_dataset

if TYPE_CHECKING:
    from govkit.datasets import Dataset
    from govkit.governor import Governor


def validate(
    source: str | Dataset,
    *,
    governor: Governor,
    suite: Path | None = None,
    table: str | None = None,
    query: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    engine: Any = None,
) -> QualityResult:
    """Validate a dataset against its expectation suite and record a ``validate`` event.

    Args:
        source: a file path, a SQLAlchemy URL, or an opened :class:`Dataset`.
        governor: settings (``expectations_dir``) and the audit log.
        suite: the suite file; default ``<expectations_dir>/<dataset name>.json``.
        table: table name, for database URLs.
        query: read-only query, for database URLs.
        sheet: worksheet, for ``.xlsx`` files.
        encoding: text encoding of CSV/TSV files.
        engine: the Spark engine (validates where the data is); None: the local engine.

    Returns:
        The redacted result; ``result.success`` is False when expectations
        failed (the caller decides whether that is an error).

    Raises:
        SuiteError: no suite for the dataset, or the suite file is invalid.
        QualityToolError: a rule did not run as written (recorded, then raised).
        DatasetError: the source cannot be read.
        AuditError: the event could not be recorded; no result is released.
    """
    from govkit.datasets import Dataset, open_dataset

    if engine is not None:
        dataset = engine.frame_of(source) if isinstance(source, Dataset) else engine.open(source)
    else:
        dataset = (
            source
            if isinstance(source, Dataset)
            else open_dataset(source, table=table, query=query, sheet=sheet, encoding=encoding)
        )
    suite_path = suite or find_suite(governor.settings.expectations_dir, dataset.name)
    details: dict[str, str | int | float | bool | None] = {
        "suite_file": str(suite_path),
        "suite_sha256": _sha256(suite_path),
    }
    try:
        result = (
            engine.validate(dataset, suite_path)
            if engine is not None
            else validate_dataset(dataset, suite_path)
        )
    except (QualityToolError, SuiteError) as exc:
        governor.record(
            AuditEvent(
                action="validate",
                outcome="failure",
                reason=f"tool error: {exc}",
                dataset=dataset.uri,
                details=details,
            )
        )
        raise
    failed = result.failed
    governor.record(
        AuditEvent(
            action="validate",
            outcome="success" if result.success else "failure",
            reason=None if result.success else f"{len(failed)} expectation(s) failed",
            dataset=dataset.uri,
            fingerprint=_file_fingerprint(dataset),
            columns=sorted({c for r in result.results for c in r.columns}),
            rule_ids=[r.rule_id for r in failed],
            counts={
                "evaluated": result.statistics.evaluated_expectations,
                "successful": result.statistics.successful_expectations,
                "unsuccessful": result.statistics.unsuccessful_expectations,
            },
            details={**details, "suite": result.suite},
        )
    )
    return result


def _sha256(path: Path) -> str | None:
    try:
        return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _file_fingerprint(dataset: Dataset) -> str | None:
    """The file's SHA-256 (cheap); None for SQL sources, where it would re-read every row."""
    from govkit.datasets.files import FileDataset

    if isinstance(dataset, FileDataset):
        return dataset.fingerprint()
    found: str | None = getattr(dataset, "file_fingerprint", None)  # a file read by Spark
    return found
