"""Datasets: open any supported source as a stream of Arrow batches, write atomically.

A dataset is a file path (CSV, TSV, JSON Lines, Parquet, Excel ``.xlsx``) or a
SQLAlchemy URL with a table name or a read-only query.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.datasets.base import DEFAULT_BATCH_ROWS, Dataset
from govkit.datasets.files import CsvDataset, ExcelDataset, ParquetDataset
from govkit.datasets.jsonl import JsonLinesDataset
from govkit.datasets.limits import check_columns
from govkit.datasets.uri import SUFFIX_FORMATS, file_format, is_sql_url, redact_url, scrub_urls
from govkit.errors import DatasetError, UsageError

if TYPE_CHECKING:
    from govkit.datasets.write import WriteResult, write_dataset

__all__ = [
    "DEFAULT_BATCH_ROWS",
    "Dataset",
    "WriteResult",
    "is_sql_url",
    "list_sources",
    "open_dataset",
    "redact_url",
    "scrub_urls",
    "write_dataset",
]


def __getattr__(name: str) -> Any:
    """Writing (pandas-free, but SQL and staging) loads on first use: reading a file does not need it."""
    if name in ("WriteResult", "write_dataset"):
        from govkit.datasets import write

        return getattr(write, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_dataset(
    uri: str,
    *,
    table: str | None = None,
    query: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    batch_rows: int | None = None,
) -> Dataset:
    """Open a dataset for reading.

    Args:
        uri: a file path or a SQLAlchemy URL.
        table: table name, for database URLs.
        query: a read-only SQL query, for database URLs (instead of ``table``).
        sheet: worksheet name, for ``.xlsx`` files (default: the first sheet).
        encoding: text encoding of CSV/TSV files (default: detected).
        batch_rows: rows per streamed batch.

    Raises:
        UsageError: options that do not fit the kind of dataset.
        DatasetError: the dataset cannot be opened.
    """
    if is_sql_url(uri):
        from govkit.datasets.sql import SqlDataset  # SQLAlchemy loads only for database URLs

        uri = uri.strip()
        if sheet or encoding:
            raise UsageError("--sheet and --encoding apply to files, not database URLs")
        if not table and not query:
            raise UsageError(f"{redact_url(uri)}: name a table with --table (or use --query)")
        sql = SqlDataset(uri, table=table, query=query, batch_rows=batch_rows)
        check_columns(sql.uri, len(sql.schema))
        return sql
    if table or query:
        raise UsageError(f"{uri}: --table and --query apply to database URLs only")
    path = Path(uri)
    fmt = file_format(path)
    if fmt is None:
        if path.is_dir():
            raise UsageError(f"{uri}: is a directory; name a file in it")
        raise DatasetError(
            f"{uri}: unsupported file type (supported: {', '.join(sorted(SUFFIX_FORMATS))})"
        )
    if sheet and fmt != "xlsx":
        raise UsageError(f"{uri}: --sheet applies to .xlsx workbooks only")
    if encoding and fmt not in ("csv", "tsv"):
        raise UsageError(f"{uri}: --encoding applies to CSV/TSV files only")
    dataset: Dataset
    if fmt in ("csv", "tsv"):
        delimiter = "," if fmt == "csv" else "\t"
        dataset = CsvDataset(path, delimiter=delimiter, encoding=encoding, batch_rows=batch_rows)
    elif fmt == "jsonl":
        return JsonLinesDataset(path, batch_rows=batch_rows)  # columns checked with its schema
    elif fmt == "parquet":
        dataset = ParquetDataset(path, batch_rows=batch_rows)
    else:
        dataset = ExcelDataset(path, sheet=sheet, batch_rows=batch_rows)
    check_columns(uri, len(dataset.schema))
    return dataset


def list_sources(uri: str) -> list[tuple[str, str | None]]:
    """Expand a whole source into its datasets, as ``(uri, table)`` pairs.

    A directory gives every supported file in it (sorted, not recursive); a
    database URL gives every table. A single file gives itself.
    """
    if is_sql_url(uri):
        from govkit.datasets.sql import list_tables

        return [(uri.strip(), t) for t in list_tables(uri.strip())]
    path = Path(uri)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and file_format(p))
        if not files:
            raise DatasetError(f"{uri}: no supported data files in this directory")
        return [(str(p), None) for p in files]
    return [(uri, None)]
