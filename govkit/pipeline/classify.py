"""Classify a pipeline's sources: the reviewed catalog where it speaks, the scan elsewhere.

The scan stage always runs (on a sample unless ``scan.full``) so that new personal
data is noticed; the catalog's entries win. The PII gate (the scan stage's
``fail_on`` with the reviewed catalog) trips on a column the scan puts at or above
``fail_on`` that the catalog does not already classify at that tier.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from govkit.catalog import CatalogColumn, DatasetCatalog
from govkit.datasets import Dataset, open_dataset
from govkit.datasets.uri import redact_url
from govkit.errors import PIIFoundError
from govkit.pipeline.model import Pipeline
from govkit.report.model import ColumnReport, DatasetReport

if TYPE_CHECKING:
    from govkit.catalog import Catalog
    from govkit.context import StageContext
    from govkit.detect.report import DatasetScan, ScanReport


@dataclass
class SourceState:
    """A source as the run knows it after classification.

    Attributes:
        name: the source's name in the pipeline file.
        dataset: the opened dataset.
        catalog: the merged column classification (catalog first, then scan).
        report: what the run report says about it (no values).
        scan: the scan stage's result (None when classified from the catalog alone).
    """

    name: str
    dataset: Dataset
    catalog: DatasetCatalog
    report: DatasetReport
    scan: ScanReport | None = None


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


def classify_source(
    pipeline: Pipeline,
    name: str,
    *,
    context: StageContext,
    catalog: Catalog | None,
    scan: bool = True,
    dataset: Dataset | None = None,
) -> SourceState:
    """Open and scan one source (the scan stage, recorded through ``context``); classify it.

    Args:
        pipeline: the pipeline.
        name: the source's name.
        context: the run's stage context.
        catalog: the reviewed catalog, if any.
        scan: False to classify from the catalog alone (dry runs whose catalog
            covers every column).
        dataset: the source, if already opened.
    """
    from govkit.detect.api import scan as scan_stage

    dataset = dataset or open_source(pipeline, name)
    spec = pipeline.sources[name]
    reviewed = reviewed_columns(catalog, name, dataset)
    result: ScanReport | None = None
    if scan:
        result = scan_stage(
            dataset,
            context=context,
            sample_size=pipeline.scan.sample_size,
            full=pipeline.scan.full,
            fail_on=pipeline.fail_on(name),
            reviewed=reviewed,
        )
    found = result.datasets[0] if result is not None else None
    merged, columns = _merge(dataset, reviewed, found)
    report = DatasetReport(
        name=name,
        uri=redact_url(pipeline.path(spec.uri)) if spec.table is None else redact_url(spec.uri),
        table=spec.table,
        columns=columns,
        tiers=dict(Counter(c.sensitivity for c in columns)),
        pii_gate=pipeline.fail_on(name),
        gate_columns=list(result.gate_columns) if result is not None else [],
        scan=found,
    )
    if found is not None:
        report.rows = found.rows_total
    return SourceState(name=name, dataset=dataset, catalog=merged, report=report, scan=result)


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


def check_gate(state: SourceState) -> None:
    """Raise when the source tripped its PII gate (the scan stage's verdict).

    Raises:
        PIIFoundError: names the source, the tier and the columns (never values).
    """
    from govkit.detect.api import gate_reason

    reason = gate_reason(state.scan) if state.scan is not None else None
    if reason is not None:
        raise PIIFoundError(f"{state.name}: {reason}")
