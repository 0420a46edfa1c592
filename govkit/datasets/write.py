"""Atomic writes: a failed run leaves no target behind.

A file goes to a temporary name beside the target and is renamed over it; a SQL
table is loaded into a staging table and swapped in (``write_sql``).
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from govkit.datasets.ahead import ahead
from govkit.datasets.cells import (
    OutputEncoding,
    check_encoding,
    neutralise,
    neutralise_batch,
)
from govkit.datasets.cells import keep_formulas as cells_keep_formulas
from govkit.datasets.result import WriteResult
from govkit.datasets.staging import stage_tag
from govkit.datasets.uri import file_format, is_sql_url, redact_url
from govkit.datasets.write_sql import sql_type, write_table
from govkit.datasets.write_xlsx import write_xlsx
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
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.{stage_tag()}.", suffix=".govkit-tmp", dir=target.parent
        )
    except OSError as exc:
        raise DatasetError(
            f"{target}: cannot write in {target.parent} ({exc.strerror or type(exc).__name__}); "
            "check the folder's permissions and free space"
        ) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp makes the file 0600; give the output the usual umask-based mode.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _csv_chunk(
    batch: pa.RecordBatch, header: list[str], sep: str, first: bool, formulas: bool
) -> str:
    """Whole rows of one batch as UTF-8 CSV text (with the header when ``first``)."""
    batch = batch if formulas else neutralise_batch(batch)
    sink = pa.BufferOutputStream()
    options = pacsv.WriteOptions(delimiter=sep, quoting_style="needed", include_header=first)
    pacsv.write_csv(batch.rename_columns(header), sink, write_options=options)
    return str(sink.getvalue().to_pybytes().decode("utf-8"))


def _write_csv(
    batches: Iterable[pa.RecordBatch],
    schema: pa.Schema,
    path: Path,
    sep: str,
    *,
    encoding: OutputEncoding = "utf-8",
    formulas: bool = False,
) -> int:
    """Write CSV/TSV in ``encoding``; formula-like text cells neutralised unless ``formulas``."""
    rows = 0
    header = schema.names if formulas else [str(neutralise(n)) for n in schema.names]
    out_schema = pa.schema([f.with_name(n) for f, n in zip(schema, header, strict=True)])
    if encoding == "utf-8":
        options = pacsv.WriteOptions(delimiter=sep, quoting_style="needed")
        with pacsv.CSVWriter(str(path), out_schema, write_options=options) as writer:
            for batch in batches:
                batch = batch if formulas else neutralise_batch(batch)
                writer.write_batch(batch.rename_columns(header))
                rows += batch.num_rows
        return rows
    # Other encodings: each batch is rendered as UTF-8 CSV (whole rows) and transcoded.
    with path.open("wb") as fh:
        if encoding == "utf-8-sig":
            fh.write(codecs.BOM_UTF8)
        codec = "utf-8" if encoding == "utf-8-sig" else encoding
        first = True
        for batch in batches:
            rows += batch.num_rows
            fh.write(_csv_chunk(batch, header, sep, first, formulas).encode(codec))
            first = False
        if first:  # no batch at all: the header alone
            empty = pa.RecordBatch.from_pylist([], schema=schema)
            fh.write(_csv_chunk(empty, header, sep, True, formulas).encode(codec))
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


def output_encoding(target: str, encoding: str | None) -> OutputEncoding:
    """Check ``--output-encoding`` against the output it applies to (CSV/TSV files only)."""
    if encoding is None:
        return "utf-8"
    try:
        name = check_encoding(encoding)
    except ValueError as exc:
        raise UsageError(f"--output-encoding: {exc}") from exc
    if name != "utf-8" and (is_sql_url(target) or file_format(Path(target)) not in ("csv", "tsv")):
        raise UsageError(
            f"{redact_url(target)}: --output-encoding applies to .csv/.tsv outputs only"
        )
    return name


def write_file(
    batches: Iterable[pa.RecordBatch],
    schema: pa.Schema,
    target: Path,
    *,
    overwrite: bool = False,
    encoding: str | None = None,
    keep_formulas: bool | None = None,
) -> WriteResult:
    """Write batches to a file in the format its suffix names, atomically.

    ``encoding`` (CSV/TSV only): ``utf-8`` (default), ``utf-8-sig`` or ``gb18030``.
    Formula-like text cells are neutralised unless ``keep_formulas`` (default:
    ``GOVKIT_KEEP_FORMULAS``); see :mod:`govkit.datasets.cells`.
    """
    fmt = file_format(target)
    if fmt is None:
        raise UsageError(
            f"{target}: unsupported output format (use .csv .tsv .jsonl .parquet .xlsx)"
        )
    codec = output_encoding(str(target), encoding)
    if target.is_dir():
        raise DatasetError(f"{target}: is a directory; name a file to write")
    if fmt in ("csv", "tsv", "parquet"):  # pyarrow writes these without the GIL: overlap
        batches = ahead(batches)
    with atomic_path(target, overwrite) as tmp:
        try:
            if fmt in ("csv", "tsv"):
                rows = _write_csv(
                    batches,
                    schema,
                    tmp,
                    "," if fmt == "csv" else "\t",
                    encoding=codec,
                    formulas=cells_keep_formulas(keep_formulas),
                )
            elif fmt == "parquet":
                rows = _write_parquet(batches, schema, tmp)
            elif fmt == "jsonl":
                rows = _write_jsonl(batches, tmp)
            else:
                rows = write_xlsx(batches, schema, tmp, target)
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
    encoding: str | None = None,
    keep_formulas: bool | None = None,
) -> WriteResult:
    """Write batches to a file path or a SQL table, atomically.

    ``encoding`` and ``keep_formulas`` apply to CSV/TSV files (see :func:`write_file`).

    Raises:
        OutputExistsError: the target exists and ``overwrite`` is False.
        DatasetError: the target cannot be written.
    """
    output_encoding(uri, encoding)
    if is_sql_url(uri):
        if not table:
            raise UsageError(f"{redact_url(uri)}: writing to a database needs --table")
        return write_table(batches, schema, uri, table, overwrite=overwrite)
    if table:
        raise UsageError(f"{uri}: --table applies to database URLs only")
    return write_file(
        batches,
        schema,
        Path(uri),
        overwrite=overwrite,
        encoding=encoding,
        keep_formulas=keep_formulas,
    )
