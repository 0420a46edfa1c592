"""Atomic writes: a failed run leaves no target behind.

A file goes to a temporary name beside the target and is renamed over it; a SQL
table is loaded into a staging table and swapped in.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from govkit.datasets.sql import create_engine, sql_error
from govkit.datasets.uri import file_format, is_sql_url, redact_url
from govkit.errors import DatasetError, OutputExistsError, UsageError

PARQUET_ROW_GROUP = 131_072


@dataclass(frozen=True)
class WriteResult:
    """Where the data went and how much of it."""

    uri: str
    rows: int


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


def _write_xlsx(batches: Iterable[pa.RecordBatch], schema: pa.Schema, path: Path) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(schema.names)
    rows = 0
    try:
        for batch in batches:
            for record in batch.to_pylist():
                sheet.append([record[n] for n in schema.names])
            rows += batch.num_rows
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
                rows = _write_xlsx(batches, schema, tmp)
        except (pa.ArrowException, OSError) as exc:
            raise DatasetError(f"{target}: write failed: {type(exc).__name__}") from exc
    return WriteResult(uri=str(target), rows=rows)


def sql_type(kind: pa.DataType) -> sa.types.TypeEngine[Any]:
    """Map an Arrow type to the SQL column type govkit creates."""
    if pa.types.is_boolean(kind):
        return sa.Boolean()
    if pa.types.is_integer(kind):
        return sa.BigInteger()
    if pa.types.is_floating(kind):
        return sa.Float()
    if pa.types.is_timestamp(kind):
        return sa.DateTime()
    if pa.types.is_date(kind):
        return sa.Date()
    return sa.Text()


def _insert(conn: sa.Connection, staged: sa.Table, batches: Iterable[pa.RecordBatch]) -> int:
    rows = 0
    for batch in batches:
        if batch.num_rows:
            conn.execute(staged.insert(), batch.to_pylist())
            rows += batch.num_rows
    return rows


def _load_in_one_transaction(
    conn: sa.Connection,
    staged: sa.Table,
    table: str,
    exists: bool,
    batches: Iterable[pa.RecordBatch],
) -> int:
    """PostgreSQL/SQLite: create, load, drop the old table and rename in ONE transaction.

    DDL is transactional there, so a failure or a killed process leaves nothing:
    neither the target nor a staging table. (pysqlite would run CREATE outside a
    transaction, hence the explicit BEGIN.)
    """
    prep = conn.dialect.identifier_preparer
    with conn.begin():
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")
        staged.create(conn)
        rows = _insert(conn, staged, batches)
        if exists:
            conn.exec_driver_sql(f"DROP TABLE {prep.quote(table)}")
        conn.exec_driver_sql(f"ALTER TABLE {prep.quote(staged.name)} RENAME TO {prep.quote(table)}")
    return rows


def _load_and_rename(
    conn: sa.Connection,
    staged: sa.Table,
    table: str,
    exists: bool,
    batches: Iterable[pa.RecordBatch],
) -> int:
    """MySQL/MariaDB: DDL commits implicitly, so load a staging table, then RENAME (atomic).

    A failure drops the staging table; a killed process can leave an orphaned
    ``_govkit_stage_*`` table, never a partial target.
    """
    prep = conn.dialect.identifier_preparer
    q_staging, q_table = prep.quote(staged.name), prep.quote(table)
    try:
        staged.create(conn)
        conn.commit()
        with conn.begin():
            rows = _insert(conn, staged, batches)
        if exists:
            old = prep.quote(f"_govkit_old_{secrets.token_hex(4)}")
            conn.exec_driver_sql(f"RENAME TABLE {q_table} TO {old}, {q_staging} TO {q_table}")
            conn.exec_driver_sql(f"DROP TABLE {old}")
        else:
            conn.exec_driver_sql(f"RENAME TABLE {q_staging} TO {q_table}")
    except BaseException:
        conn.rollback()
        staged.drop(conn, checkfirst=True)
        conn.commit()
        raise
    return rows


def write_table(
    batches: Iterable[pa.RecordBatch],
    schema: pa.Schema,
    url: str,
    table: str,
    *,
    overwrite: bool = False,
) -> WriteResult:
    """Write batches to the SQL table ``table`` atomically (see the two loaders above)."""
    engine = create_engine(url)
    staging = f"_govkit_stage_{secrets.token_hex(6)}"
    columns = [sa.Column(f.name, sql_type(f.type)) for f in schema]
    staged = sa.Table(staging, sa.MetaData(), *columns)
    try:
        with engine.connect() as conn:
            exists = sa.inspect(conn).has_table(table)
            conn.rollback()  # end the inspection's implicit transaction
            if exists and not overwrite:
                raise OutputExistsError(
                    f"{redact_url(url)}: table {table!r} already exists (pass --overwrite to replace it)"
                )
            load = (
                _load_and_rename
                if conn.dialect.name in ("mysql", "mariadb")
                else _load_in_one_transaction
            )
            rows = load(conn, staged, table, exists, batches)
    except sa_exc.OperationalError as exc:
        raise sql_error(url, exc) from exc
    except sa_exc.SQLAlchemyError as exc:
        raise sql_error(url, exc, f"writing table {table!r} failed") from exc
    finally:
        engine.dispose()
    return WriteResult(uri=f"{redact_url(url)}#{table}", rows=rows)


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
