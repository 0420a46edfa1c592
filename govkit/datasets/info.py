"""Describe and copy datasets (library side of ``govkit inspect`` and ``govkit copy``)."""

from __future__ import annotations

from pydantic import BaseModel

from govkit.datasets.base import Dataset
from govkit.datasets.files import CsvDataset
from govkit.datasets.write import WriteResult, write_dataset


class ColumnInfo(BaseModel):
    """One column: its name, Arrow type and null count."""

    name: str
    type: str
    nulls: int


class DatasetInfo(BaseModel):
    """What ``govkit inspect`` reports: no values, only shape."""

    source: str
    encoding: str | None
    rows: int
    fingerprint: str
    columns: list[ColumnInfo]


def describe(dataset: Dataset) -> DatasetInfo:
    """Stream the dataset once and report its shape."""
    nulls = dict.fromkeys(dataset.schema.names, 0)
    rows = 0
    for batch in dataset.batches():
        rows += batch.num_rows
        for name, column in zip(batch.schema.names, batch.columns, strict=True):
            nulls[name] += column.null_count
    return DatasetInfo(
        source=dataset.uri,
        encoding=dataset.encoding if isinstance(dataset, CsvDataset) else None,
        rows=rows,
        fingerprint=dataset.fingerprint(),
        columns=[
            ColumnInfo(name=f.name, type=str(f.type), nulls=nulls[f.name]) for f in dataset.schema
        ],
    )


def copy(
    dataset: Dataset,
    output: str,
    *,
    table: str | None = None,
    overwrite: bool = False,
    encoding: str | None = None,
    keep_formulas: bool | None = None,
) -> WriteResult:
    """Copy a dataset to another file or table, atomically (CSV options: see write_file)."""
    return write_dataset(
        dataset.batches(),
        dataset.schema,
        output,
        table=table,
        overwrite=overwrite,
        encoding=encoding,
        keep_formulas=keep_formulas,
    )
