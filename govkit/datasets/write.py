"""Atomic writes: a failed run leaves no target behind.

A file goes to a temporary name beside the target and is renamed over it; a SQL
table is loaded into a staging table and swapped in (``write_sql``).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from govkit.datasets.result import WriteResult
from govkit.datasets.uri import file_format, is_sql_url, redact_url
from govkit.datasets.write_sql import sql_type, write_table
from govkit.errors import DatasetError, OutputExistsError, UsageError

__all__ = [
    "PARQUET_ROW_GROUP",
    "WriteResult",
    "atomic_path",
    "sql_type",
    "write_dataset",
    "write_file",
    "write_table",
]

PARQUET_ROW_GROUP = 131_072


@functools.cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: Path, overwrite: bool) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` on success."""
    if target.exists() and not overwrite:
        raise OutputExistsError(f"{target}: already exists (pass --overwrite to replace it)")
    if not target.parent.is_dir():
        raise DatasetError(f"{target}: directory {target.parent} does not exist")
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".govkit-tmp", dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp makes the file 0600; give the output the usual umask-based mode.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _write_csv(batches: Iterable[pa.RecordBatch], schema: pa.Schema, path: Path, sep: str) -> int:
    rows = 0
    options = pacsv.WriteOptions(delimiter=sep, quoting_style="needed")
    with pacsv.CSVWriter(str(path), schema, write_options=options) as writer:
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def _write_parquet(batches: Iterable[pa.RecordBatch], schema: pa.Schema, path: Path) -> int:
    rows = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        pending: list[pa.RecordBatch] = []
        pending_rows = 0
        for batch in batches:
            pending.append(batch)
            pending_rows += batch.num_rows
            if pending_rows >= PARQUET_ROW_GROUP:
                writer.write_table(
                    pa.Table.from_batches(pending, schema), row_group_size=PARQUET_ROW_GROUP
                )
                rows += pending_rows
                pending, pending_rows = [], 0
        if pending or rows == 0:
            writer.write_table(
                pa.Table.from_batches(pending, schema), row_group_size=PARQUET_ROW_GROUP
            )
            rows += pending_rows
    return rows


def _json_default(value: object) -> str:
    return str(value)


def _write_jsonl(batches: Iterable[pa.RecordBatch], path: Path) -> int:
    rows = 0
    with path.open("w", encoding="utf-8") as fh:
        for batch in batches:
            for record in batch.to_pylist():
                fh.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")
            rows += batch.num_rows
    return rows


XLSX_MAX_ROWS = 1_048_576 - 1  # the sheet's limit, less the header row


def _xlsx_refusal(path: Path, record: dict[str, Any]) -> DatasetError:
    """Name the column whose value Excel cannot store (never the value)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    bad = [k for k, v in record.items() if isinstance(v, str) and ILLEGAL_CHARACTERS_RE.search(v)]
    where = f"column {bad[0]!r}" if bad else "a value"
    return DatasetError(
        f"{path}: {where} holds control characters an .xlsx sheet cannot store; "
        "write .csv, .jsonl or .parquet instead"
    )


def _write_xlsx(
    batches: Iterable[pa.RecordBatch], schema: pa.Schema, path: Path, target: Path
) -> int:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(schema.names)
    rows = 0
    try:
        for batch in batches:
            rows += batch.num_rows
            if rows > XLSX_MAX_ROWS:
                raise DatasetError(
                    f"{target}: more than {XLSX_MAX_ROWS:,} rows do not fit an .xlsx sheet"
                )
            for record in batch.to_pylist():
                try:
                    sheet.append([record[n] for n in schema.names])
                except IllegalCharacterError as exc:
                    raise _xlsx_refusal(target, record) from exc
    except BaseException:
        # Finish and delete openpyxl's own temporary sheet file before re-raising.
        with contextlib.suppress(Exception):
            sheet.close()
            sheet._writer.cleanup()
        raise
    book.save(path)
    return rows


def write_file(
    batches: Iterable[pa.RecordBatch], schema: pa.Schema, target: Path, *, overwrite: bool = False
) -> WriteResult:
    """Write batches to a file in the format its suffix names, atomically."""
    fmt = file_format(target)
    if fmt is None:
        raise UsageError(
            f"{target}: unsupported output format (use .csv .tsv .jsonl .parquet .xlsx)"
        )
    with atomic_path(target, overwrite) as tmp:
        try:
            if fmt in ("csv", "tsv"):
                rows = _write_csv(batches, schema, tmp, "," if fmt == "csv" else "\t")
            elif fmt == "parquet":
                rows = _write_parquet(batches, schema, tmp)
            elif fmt == "jsonl":
                rows = _write_jsonl(batches, tmp)
            else:
                rows = _write_xlsx(batches, schema, tmp, target)
        except (pa.ArrowException, OSError) as exc:
            raise DatasetError(f"{target}: write failed: {type(exc).__name__}") from exc
    return WriteResult(uri=str(target), rows=rows)


def write_dataset(
    batches: Iterable[pa.RecordBatch],
    schema: pa.Schema,
    uri: str,
    *,
    table: str | None = None,
    overwrite: bool = False,
) -> WriteResult:
    """Write batches to a file path or a SQL table, atomically.

    Raises:
        OutputExistsError: the target exists and ``overwrite`` is False.
        DatasetError: the target cannot be written.
    """
    if is_sql_url(uri):
        if not table:
            raise UsageError(f"{redact_url(uri)}: writing to a database needs --table")
        return write_table(batches, schema, uri, table, overwrite=overwrite)
    if table:
        raise UsageError(f"{uri}: --table applies to database URLs only")
    return write_file(batches, schema, Path(uri), overwrite=overwrite)
