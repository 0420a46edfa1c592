"""Classify a pipeline's sources: the reviewed catalog where it speaks, the scan elsewhere.

The scan always runs (on a sample unless ``scan.full``) so that new personal data
is noticed; the catalog's entries win. The PII gate trips on a column the scan puts
at or above ``fail_on`` that the catalog does not already classify at that tier.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from govkit.catalog import CatalogColumn, DatasetCatalog
from govkit.datasets import Dataset, open_dataset
from govkit.datasets.uri import redact_url
from govkit.entities import TIER_ORDER, Sensitivity
from govkit.errors import PIIFoundError
from govkit.pipeline.model import Pipeline
from govkit.report.model import ColumnReport, DatasetReport

if TYPE_CHECKING:
    from govkit.catalog import Catalog
    from govkit.classify import Classification
    from govkit.detect.report import DatasetScan


@dataclass
class SourceState:
    """A source as the run knows it after classification.

    Attributes:
        name: the source's name in the pipeline file.
        dataset: the opened dataset.
        catalog: the merged column classification (catalog first, then scan).
        report: what the run report says about it (no values).
    """

    name: str
    dataset: Dataset
    catalog: DatasetCatalog
    report: DatasetReport


def open_source(pipeline: Pipeline, name: str) -> Dataset:
    """Open one source of the pipeline for reading."""
    spec = pipeline.sources[name]
    return open_dataset(
        pipeline.path(spec.uri), table=spec.table, query=spec.query, encoding=spec.encoding
    )


def load_pipeline_catalog(pipeline: Pipeline) -> Catalog | None:
    """The reviewed catalog named by ``scan.catalog`` (None when the file names none)."""
    if pipeline.scan.catalog is None:
        return None
    from govkit.catalog import load_catalog

    return load_catalog(Path(pipeline.path(pipeline.scan.catalog)))


def reviewed_columns(catalog: Catalog | None, name: str, dataset: Dataset) -> DatasetCatalog:
    """The catalog's entry for a source: under the source's name, else the dataset's name."""
    if catalog is None:
        return DatasetCatalog()
    entry = catalog.datasets.get(name) or catalog.datasets.get(dataset.name)
    return entry or DatasetCatalog()


def _at_least(tier: Sensitivity, gate: Sensitivity) -> bool:
    return TIER_ORDER[tier] >= TIER_ORDER[gate]


def classify_source(
    pipeline: Pipeline,
    name: str,
    *,
    catalog: Catalog | None,
    classification: Classification | None,
    scan: bool = True,
    dataset: Dataset | None = None,
) -> SourceState:
    """Open, scan and classify one source; fill its :class:`DatasetReport`.

    Args:
        pipeline: the pipeline.
        name: the source's name.
        catalog: the reviewed catalog, if any.
        classification: entity → tier mapping for the scanner.
        scan: False to classify from the catalog alone (dry runs whose catalog
            covers every column).
        dataset: the source, if already opened.
    """
    dataset = dataset or open_source(pipeline, name)
    spec = pipeline.sources[name]
    reviewed = reviewed_columns(catalog, name, dataset)
    result: DatasetScan | None = None
    if scan:
        from govkit.detect.scan import scan_dataset

        result = scan_dataset(
            dataset,
            sample_size=pipeline.scan.sample_size,
            full=pipeline.scan.full,
            classification=classification,
        )
    merged, columns = _merge(dataset, reviewed, result)
    report = DatasetReport(
        name=name,
        uri=redact_url(pipeline.path(spec.uri)) if spec.table is None else redact_url(spec.uri),
        table=spec.table,
        columns=columns,
        tiers=dict(Counter(c.sensitivity for c in columns)),
        pii_gate=pipeline.fail_on(name),
    )
    detections: Counter[str] = Counter()
    if result is not None:
        for col in result.columns:
            for found in col.entities:
                detections[found.type] += found.count
    report.detections = dict(sorted(detections.items()))
    if result is not None:
        report.rows = result.rows_total
        report.rows_scanned = result.rows_scanned
    report.gate_columns = _gate(report.pii_gate, reviewed, result)
    return SourceState(name=name, dataset=dataset, catalog=merged, report=report)


def _merge(
    dataset: Dataset, reviewed: DatasetCatalog, result: DatasetScan | None
) -> tuple[DatasetCatalog, list[ColumnReport]]:
    scanned = result.to_catalog() if result is not None else DatasetCatalog()
    found = {c.name: c for c in result.columns} if result is not None else {}
    merged: dict[str, CatalogColumn] = {}
    columns: list[ColumnReport] = []
    for column in dataset.schema.names:
        origin: Literal["catalog", "scan"] = "catalog" if column in reviewed.columns else "scan"
        entry = reviewed.columns.get(column) or scanned.columns.get(column) or CatalogColumn()
        merged[column] = entry
        scan_col = found.get(column)
        columns.append(
            ColumnReport(
                name=column,
                entity=entry.entity,
                entities=list(entry.entities),
                sensitivity=entry.sensitivity,
                kind=entry.kind,
                origin=origin,
                detections=sum(e.count for e in scan_col.entities) if scan_col else 0,
            )
        )
    return DatasetCatalog(columns=merged), columns


def _gate(
    gate: Sensitivity | None, reviewed: DatasetCatalog, result: DatasetScan | None
) -> list[str]:
    if gate is None or result is None:
        return []
    tripped: list[str] = []
    for col in result.columns:
        if not _at_least(col.sensitivity, gate):
            continue
        known = reviewed.columns.get(col.name)
        if known is None or not _at_least(known.sensitivity, gate):
            tripped.append(col.name)
    return tripped


def check_gate(state: SourceState) -> None:
    """Raise when the source tripped its PII gate.

    Raises:
        PIIFoundError: names the dataset, the tier and the columns (never values).
    """
    report = state.report
    if report.gate_columns:
        raise PIIFoundError(
            f"{report.name}: {len(report.gate_columns)} column(s) at or above tier "
            f"{report.pii_gate!r} not classified in the catalog: {', '.join(report.gate_columns)}"
        )


