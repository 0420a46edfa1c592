"""Atomic SQL writes: a failed or killed load never leaves a partial target table."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import mysql

from govkit.datasets.result import WriteResult
from govkit.datasets.sql import create_engine, sql_error
from govkit.datasets.staging import stage_table_name
from govkit.datasets.uri import redact_url
from govkit.errors import OutputExistsError

_TEXT = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")  # MySQL TEXT stops at 64 KB
_BLOB = sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")


def sql_type(kind: pa.DataType) -> sa.types.TypeEngine[Any]:
    """Map an Arrow type to the SQL column type govkit creates (nested values as JSON text)."""
    if pa.types.is_boolean(kind):
        return sa.Boolean()
    if pa.types.is_integer(kind):
        return sa.BigInteger()
    if pa.types.is_floating(kind):
        return sa.Double()  # sa.Float is single precision on MySQL: amounts would lose cents
    if pa.types.is_decimal(kind):
        return sa.Numeric(kind.precision, kind.scale)
    if pa.types.is_timestamp(kind):
        return sa.DateTime(timezone=kind.tz is not None)
    if pa.types.is_date(kind):
        return sa.Date()
    if pa.types.is_time(kind):
        return sa.Time()
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        return _BLOB
    return _TEXT


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _records(batch: pa.RecordBatch) -> list[dict[str, Any]]:
    """Rows to insert; nested values (lists, structs, maps) become JSON text."""
    records: list[dict[str, Any]] = batch.to_pylist()
    nested = [f.name for f in batch.schema if pa.types.is_nested(f.type)]
    for record in records if nested else ():
        for name in nested:
            record[name] = _json(record[name])
    return records


def _insert(conn: sa.Connection, staged: sa.Table, batches: Iterable[pa.RecordBatch]) -> int:
    rows = 0
    for batch in batches:
        if batch.num_rows:
            conn.execute(staged.insert(), _records(batch))
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
    staging = stage_table_name()
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
