"""``scan(source, governor=…)``: the library side of ``govkit scan``.

Expands a whole source (every table of a database, every file of a directory),
scans each dataset, records one audit event, then merges the optional catalog.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.catalog import Catalog, load_catalog, merge_dataset, save_catalog
from govkit.classify import load_classification
from govkit.datasets import list_sources, open_dataset, redact_url
from govkit.datasets.files import FileDataset
from govkit.datasets.uri import is_sql_url
from govkit.detect.report import DatasetScan, ScanReport, ScanSummary
from govkit.detect.scan import scan_dataset
from govkit.detect.text import TextDetector
from govkit.entities import TIER_ORDER, Sensitivity
from govkit.errors import UsageError
from govkit.models import AuditEvent

if TYPE_CHECKING:
    from govkit.governor import Governor


def _targets(
    source: str, table: str | None, query: str | None
) -> list[tuple[str, str | None, str | None]]:
    whole = (is_sql_url(source) and not table and not query) or Path(source).is_dir()
    if not whole:
        return [(source, table, query)]
    return [(uri, t, None) for uri, t in list_sources(source)]


def flagged(report: ScanReport, tier: Sensitivity) -> list[str]:
    """Return ``dataset.column`` for every column at ``tier`` or above."""
    return [
        f"{d.name}.{c.name}"
        for d in report.datasets
        for c in d.columns
        if TIER_ORDER[c.sensitivity] >= TIER_ORDER[tier]
    ]


def scan(
    source: str,
    *,
    governor: Governor,
    table: str | None = None,
    query: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    sample_size: int | None = None,
    full: bool = False,
    catalog: Path | str | None = None,
    engine: Any = None,
) -> ScanReport:
    """Scan a file, table, query, directory or whole database.

    Args:
        source: a file, a directory, or a SQLAlchemy URL (without ``table``: every table).
        governor: supplies settings (policy dir, spaCy model) and records the audit event.
        table: table name, for database URLs.
        query: read-only query, for database URLs.
        sheet: worksheet of an ``.xlsx`` file.
        encoding: text encoding of CSV/TSV files.
        sample_size: rows sampled per dataset (default 2,000).
        full: confirm every value instead of a sample.
        catalog: YAML catalog to create or update (steward overrides kept, drift flagged).
        engine: the Spark engine (files and ``spark-table:`` names; sample and ``--full``
            profiles computed by Spark); None: the local engine.

    Raises:
        UsageError: options that do not fit the source.
        DatasetError: a dataset cannot be read.
        AuditError: the audit event could not be recorded (no result is released).
    """
    if sample_size is not None and sample_size < 1:
        raise UsageError("--sample must be at least 1")
    if (sheet or encoding) and Path(source).is_dir():
        raise UsageError(f"{source}: --sheet and --encoding apply to single files")
    classification = load_classification(governor.settings.policy_dir)
    detector = TextDetector.default(spacy_model=governor.settings.spacy_model)
    scans: list[DatasetScan] = []
    fingerprints: list[str] = []
    for uri, tbl, qry in _targets(source, table, query):
        file_only = not is_sql_url(uri)
        dataset = (
            engine.open(uri)
            if engine is not None
            else open_dataset(
                uri,
                table=tbl,
                query=qry,
                sheet=sheet if file_only else None,
                encoding=encoding if file_only else None,
            )
        )
        scans.append(
            scan_dataset(
                dataset,
                sample_size=sample_size,
                full=full,
                classification=classification,
                detector=detector,
                engine=engine,
            )
        )
        if isinstance(dataset, FileDataset):
            fingerprints.append(dataset.fingerprint())
        elif printed := getattr(dataset, "file_fingerprint", None):  # a file read by Spark
            fingerprints.append(str(printed))

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
    report = ScanReport(source=redact_url(source), datasets=scans, summary=summary)
    governor.record(
        AuditEvent(
            action="scan",
            dataset=redact_url(source),
            fingerprint=fingerprints[0] if len(fingerprints) == 1 else None,
            columns=flagged(report, "medium"),
            counts={
                "datasets": summary.datasets,
                "columns": summary.columns,
                "high": summary.high,
                "medium": summary.medium,
                "low": summary.low,
                "rows_scanned": sum(d.rows_scanned for d in scans),
                "drift": len(drift),
            },
            details={"full": full, "sample_size": sample_size, "catalog": str(catalog or "")},
        )
    )
    if book is not None and catalog is not None:
        save_catalog(book, catalog)
    return report
