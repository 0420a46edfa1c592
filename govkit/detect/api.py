"""``scan``: the one scan stage, behind ``govkit scan``, ``govkit.scan`` and ``govkit run``.

Expands a whole source (every table of a database, every file of a directory),
scans each dataset with the project's classification, judges the PII gate,
records one ``scan`` event (:func:`scan_event`), then merges the optional catalog.
:func:`check_gate` raises when the gate tripped (the doors call it).
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from govkit.audit.events import dataset_identity
from govkit.catalog import Catalog, DatasetCatalog, load_catalog, merge_dataset, save_catalog
from govkit.datasets import Dataset, list_sources, open_dataset, redact_url
from govkit.datasets.files import file_fingerprint
from govkit.datasets.uri import is_sql_url
from govkit.detect.names import forget_name_windows
from govkit.detect.report import DatasetScan, ScanReport, ScanSummary
from govkit.detect.scan import scan_dataset
from govkit.detect.text import TextDetector
from govkit.entities import TIER_ORDER, Sensitivity
from govkit.errors import PIIFoundError, UsageError
from govkit.models import AuditEvent

if TYPE_CHECKING:
    from govkit.context import StageContext
    from govkit.engines.base import Engine


def _targets(
    source: str, table: str | None, query: str | None
) -> list[tuple[str, str | None, str | None]]:
    whole = (is_sql_url(source) and not table and not query) or Path(source).is_dir()
    if not whole:
        return [(source, table, query)]
    return [(uri, t, None) for uri, t in list_sources(source)]


def _at_least(tier: Sensitivity, gate: Sensitivity) -> bool:
    return TIER_ORDER[tier] >= TIER_ORDER[gate]


def gate_columns(
    report: ScanReport, fail_on: Sensitivity, reviewed: DatasetCatalog | None = None
) -> list[str]:
    """Columns at or above ``fail_on`` that ``reviewed`` does not already classify at that tier.

    Named ``column`` for a one-dataset scan, ``dataset.column`` otherwise.
    """
    single = len(report.datasets) == 1
    tripped: list[str] = []
    for d in report.datasets:
        for c in d.columns:
            if not _at_least(c.sensitivity, fail_on):
                continue
            known = reviewed.columns.get(c.name) if reviewed is not None else None
            if known is None or not _at_least(known.sensitivity, fail_on):
                tripped.append(c.name if single else f"{d.name}.{c.name}")
    return tripped


def gate_reason(report: ScanReport) -> str | None:
    """Why the gate tripped, in one line (None when it did not)."""
    if not report.gate_columns:
        return None
    shown = ", ".join(report.gate_columns[:10]) + (" …" if len(report.gate_columns) > 10 else "")
    covered = " not classified in the catalog" if report.reviewed else ""
    return (
        f"{len(report.gate_columns)} column(s) at or above tier {report.fail_on!r}"
        f"{covered}: {shown}; publish only a protected copy (govkit protect), "
        "or review them in the catalog"
    )


def check_gate(report: ScanReport) -> None:
    """Raise when the scan tripped its PII gate (the message names columns, never values).

    Raises:
        PIIFoundError: columns at or above ``fail_on`` were found.
    """
    reason = gate_reason(report)
    if reason is not None:
        raise PIIFoundError(f"{report.source}: {reason}")


def scan_event(report: ScanReport, *, identity: str, fingerprint: str | None) -> AuditEvent:
    """The ``scan`` event: tiers, entity counts and the gate's verdict (never values)."""
    summary = report.summary
    single = len(report.datasets) == 1
    entities: Counter[str] = Counter()
    for d in report.datasets:
        for c in d.columns:
            for found in c.entities:
                entities[found.type] += found.count
    return AuditEvent(
        action="scan",
        outcome="failure" if report.gate_columns else "success",
        reason=gate_reason(report),
        dataset=identity,
        fingerprint=fingerprint,
        columns=[
            c.name if single else f"{d.name}.{c.name}"
            for d in report.datasets
            for c in d.columns
            if c.entity or c.entities
        ],
        counts={
            "datasets": summary.datasets,
            "columns": summary.columns,
            "high": summary.high,
            "medium": summary.medium,
            "low": summary.low,
            "rows_scanned": sum(d.rows_scanned for d in report.datasets),
            "drift": len(summary.drift),
            **dict(sorted(entities.items())),
        },
        details={
            "full": report.full,
            "sample_size": report.sample_size,
            "catalog": report.catalog,
            "fail_on": report.fail_on,
        },
    )


def _distinct_names(scans: list[DatasetScan]) -> None:
    """Files sharing a stem (``x.csv``, ``x.jsonl``) keep their own catalog entries.

    They are named by file name, so one is never merged into (and drifted against) the other.
    """
    stems = Counter(ds.name for ds in scans)
    for ds in scans:
        if stems[ds.name] > 1 and "://" not in ds.source:
            ds.name = Path(ds.source).name


def scan(
    source: str | Dataset,
    *,
    context: StageContext,
    table: str | None = None,
    query: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    sample_size: int | None = None,
    full: bool = False,
    catalog: Path | str | None = None,
    fail_on: Sensitivity | None = None,
    reviewed: DatasetCatalog | None = None,
    engine: Engine | None = None,
) -> ScanReport:
    """Scan a file, table, query, directory, whole database or opened dataset.

    Args:
        source: a file, a directory, a SQLAlchemy URL (without ``table``: every table),
            or an opened :class:`~govkit.datasets.Dataset`.
        context: settings, classification and the audit log (a Governor).
        table: table name, for database URLs.
        query: read-only query, for database URLs.
        sheet: worksheet of an ``.xlsx`` file.
        encoding: text encoding of CSV/TSV files.
        sample_size: rows sampled per dataset (default 2,000).
        full: confirm every value instead of a sample.
        catalog: YAML catalog to create or update (steward overrides kept, drift flagged).
        fail_on: the PII gate: columns at or above this tier trip it (the event
            says so; :func:`check_gate` raises).
        reviewed: a reviewed catalog entry; its columns at the gate's tier do not trip it.
        engine: runs the ``full`` pass (default: in this process). An engine that reads
            the data where it is (Spark: files and ``spark-table:`` names) also opens the
            sources and draws the sample.

    Raises:
        UsageError: options that do not fit the source.
        DatasetError: a dataset cannot be read.
        AuditError: the audit event could not be recorded (no result is released).
    """
    if sample_size is not None and sample_size < 1:
        raise UsageError("--sample must be at least 1")
    whole_dir = isinstance(source, str) and Path(source).is_dir()
    if (sheet or encoding) and whole_dir:
        raise UsageError(f"{source}: --sheet and --encoding apply to single files")
    classification = context.classification()
    detector = TextDetector.default(spacy_model=context.settings.spacy_model)
    opener = getattr(engine, "open", None)  # Spark reads the data where it is
    datasets: list[Dataset] = []
    if isinstance(source, Dataset):
        datasets.append(source)
    else:
        for uri, tbl, qry in _targets(source, table, query):
            file_only = not is_sql_url(uri)
            datasets.append(
                opener(uri, table=tbl, query=qry)
                if opener is not None
                else open_dataset(
                    uri,
                    table=tbl,
                    query=qry,
                    sheet=sheet if file_only else None,
                    encoding=encoding if file_only else None,
                )
            )
    # The files' SHA-256 (for the audit event) is computed on a thread while the scan runs:
    # hashing releases the GIL, and the streamed CSV read leaves a core mostly idle.
    hasher = ThreadPoolExecutor(1, thread_name_prefix="govkit-fingerprint")
    try:
        hashing = [hasher.submit(file_fingerprint, ds) for ds in datasets]
        scans: list[DatasetScan] = [
            scan_dataset(
                ds,
                sample_size=sample_size,
                full=full,
                classification=classification,
                detector=detector,
                engine=engine,
            )
            for ds in datasets
        ]
        fingerprints = [fp for job in hashing if (fp := job.result()) is not None]
    finally:
        hasher.shutdown(cancel_futures=True)
        forget_name_windows()  # no fragment of a scanned text stays in this process
    _distinct_names(scans)
    book: Catalog | None = load_catalog(catalog) if catalog is not None else None
    drift: list[str] = []
    if book is not None:
        for ds in scans:
            merged, lines = merge_dataset(book.datasets.get(ds.name), ds.to_catalog())
            book.datasets[ds.name] = merged
            drift += [f"{ds.name}.{line}" for line in lines]
    columns = [c for d in scans for c in d.columns]
    summary = ScanSummary(
        datasets=len(scans),
        columns=len(columns),
        high=sum(c.sensitivity == "high" for c in columns),
        medium=sum(c.sensitivity == "medium" for c in columns),
        low=sum(c.sensitivity == "low" for c in columns),
        drift=drift,
    )
    single = len(datasets) == 1 and not whole_dir and not isinstance(source, Dataset)
    identity = (
        dataset_identity(datasets[0])
        if isinstance(source, Dataset) or single
        else (str(Path(source).resolve()) if whole_dir else redact_url(source))
    )
    report = ScanReport(
        source=datasets[0].uri if isinstance(source, Dataset) else redact_url(source),
        datasets=scans,
        summary=summary,
        full=full,
        sample_size=sample_size,
        catalog=str(catalog) if catalog is not None else None,
        fail_on=fail_on,
        reviewed=reviewed is not None,
    )
    if fail_on is not None:
        report.gate_columns = gate_columns(report, fail_on, reviewed)
    context.record(
        scan_event(
            report,
            identity=identity,
            fingerprint=fingerprints[0] if len(fingerprints) == 1 else None,
        )
    )
    if book is not None and catalog is not None:
        save_catalog(book, catalog)
    return report
