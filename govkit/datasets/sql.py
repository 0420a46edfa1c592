"""SQL datasets through any SQLAlchemy URL: a table, or a read-only query."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from govkit.datasets.base import Dataset
from govkit.datasets.limits import check_cells
from govkit.datasets.uri import raw_at_in_userinfo, redact_url
from govkit.errors import DatasetError, UsageError

_DRIVER_HINT = {
    "psycopg": "pip install 'govkit[postgres]'",
    "psycopg2": "pip install 'govkit[postgres]'",
    "pymysql": "pip install 'govkit[mysql]'",
}


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_VALUE = re.compile(r"(?i)(value: ?)'[^']*'")  # MySQL: "Incorrect date value: '…' for column"


def _secrets(url: str) -> list[str]:
    """The password of ``url`` (raw and as SQLAlchemy decodes it), for scrubbing messages."""
    found = []
    try:
        password = sa.engine.make_url(url).password
    except (sa_exc.ArgumentError, ValueError):
        password = None
    if password:
        found.append(str(password))
    raw = url.split("://", 1)[-1].partition("?")[0]
    if "@" in raw and ":" in raw[: raw.rfind("@")]:
        found.append(raw[: raw.rfind("@")].partition(":")[2])
    return [s for s in found if len(s) >= 3]


def sql_error(url: str, exc: Exception, what: str = "") -> DatasetError:
    """Translate a SQLAlchemy/driver error into one line naming the URL, never the password."""
    safe = redact_url(url)
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()
    text = reason[0] if reason else type(exc).__name__
    for secret in _secrets(url):
        text = text.replace(secret, "***")
    if isinstance(exc, sa_exc.DataError | sa_exc.IntegrityError):
        text = _QUOTED.sub("'…'", text)  # these quote the offending value: keep it out
    # MySQL reports some bad values as OperationalError (1292, 1411, 1525 …)
    text = _VALUE.sub(r"\1'…'", text)[:200]
    # Only an error with no statement is a failure to connect; one during a
    # statement (a bad value, an unknown column) is the database answering.
    connecting = getattr(exc, "statement", None) is None
    if isinstance(exc, sa_exc.OperationalError) and connecting and not what:
        return DatasetError(f"{safe}: cannot connect to the database: {text}")
    return DatasetError(f"{safe}: {what or 'database error'}: {text}")


def create_engine(url: str) -> sa.Engine:
    """Create an engine, turning URL and driver problems into DatasetError."""
    try:
        parsed = sa.engine.make_url(url.strip())
        _ = parsed.port
    except (sa_exc.ArgumentError, ValueError) as exc:
        raise DatasetError(
            f"{redact_url(url)}: malformed database URL; percent-encode special characters "
            "in the user name and password (@ as %40, : as %3A, / as %2F, # as %23, ? as %3F)"
        ) from exc
    if raw_at_in_userinfo(url):
        raise DatasetError(
            f"{redact_url(url)}: the password holds a raw '@'; percent-encode it as %40 "
            "(python -c \"import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=''))\" "
            "'<password>')"
        )
    if parsed.host and any(c in parsed.host for c in "[]/ "):
        raise DatasetError(f"{redact_url(url)}: malformed database URL (host)")
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() in ("mysql", "mariadb") and "+" not in parsed.drivername:
        parsed = parsed.set(drivername=f"{parsed.get_backend_name()}+pymysql")
    in_memory = parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")
    # No pool: a dataset holds a connection only while it reads, so scanning a
    # database of hundreds of tables does not keep hundreds of idle connections.
    options: dict[str, Any] = {} if in_memory else {"poolclass": sa.pool.NullPool}
    try:
        return sa.create_engine(parsed, **options)
    except sa_exc.NoSuchModuleError as exc:
        raise DatasetError(
            f"{redact_url(url)}: unknown database dialect {parsed.drivername!r}"
        ) from exc
    except ImportError as exc:
        hint = _DRIVER_HINT.get(parsed.get_driver_name(), "install its driver")
        raise DatasetError(f"{redact_url(url)}: database driver missing ({hint})") from exc


def arrow_type(column_type: sa.types.TypeEngine[Any]) -> pa.DataType:
    """Map a SQL column type to the Arrow type govkit streams it as."""
    if isinstance(column_type, sa.Boolean):
        return pa.bool_()
    if isinstance(column_type, sa.Integer):
        return pa.int64()
    if isinstance(column_type, sa.Float):
        return pa.float64()
    if isinstance(column_type, sa.Numeric):
        return pa.string()  # exact decimals stay exact as text
    if isinstance(column_type, sa.types._Binary):  # LargeBinary, BLOB, BYTEA, VARBINARY …
        return pa.binary()
    if isinstance(column_type, sa.DateTime):
        return pa.timestamp("us")
    if isinstance(column_type, sa.Date):
        return pa.date32()
    return pa.string()


def _coerce(value: object, kind: pa.DataType) -> object:
    if value is None:
        return None
    if pa.types.is_string(kind) and not isinstance(value, str):
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        if isinstance(value, decimal.Decimal):
            return format(value, "f")
        if isinstance(value, dict | list):  # JSON columns: JSON text, not a Python repr
            return json.dumps(value, ensure_ascii=False, default=str)
        return str(value)
    if pa.types.is_date32(kind) and isinstance(value, dt.datetime):
        return value.date()
    if pa.types.is_floating(kind) and isinstance(value, decimal.Decimal):
        return float(value)  # MySQL DOUBLE comes back as Decimal
    return value


class SqlDataset(Dataset):
    """A table (reflected) or a query, streamed with server-side cursors where supported."""

    def __init__(
        self,
        url: str,
        *,
        table: str | None = None,
        query: str | None = None,
        batch_rows: int | None = None,
    ) -> None:
        if (table is None) == (query is None):
            raise UsageError(f"{redact_url(url)}: name exactly one of --table or --query")
        self.url = url
        self.engine = create_engine(url)
        self.table_name = table
        if batch_rows:
            self.batch_rows = batch_rows
        try:
            with self.engine.connect() as conn:
                if table is not None:
                    self._selectable: sa.Select[Any] | sa.TextClause = self._reflect(conn, table)
                else:
                    if query is None:
                        raise AssertionError("internal invariant broken: query is not None")
                    self._selectable = sa.text(query)
                result = (
                    conn.execute(self._query(limit=0))
                    if table
                    # the user's own --query, wrapped to read its column names
                    else conn.execute(sa.text(f"SELECT * FROM ({query}) AS govkit_q WHERE 1 = 0"))  # noqa: S608
                )
                names = list(result.keys())
        except DatasetError:
            raise
        except sa_exc.OperationalError as exc:
            raise sql_error(url, exc) from exc
        except sa_exc.SQLAlchemyError as exc:
            raise sql_error(url, exc, "query failed") from exc
        self.uri = redact_url(url) + (f"#{table}" if table else "#query")
        self.name = table or "query"
        if table is not None:
            self._schema = pa.schema(
                [pa.field(c.name, arrow_type(c.type)) for c in self._table.columns]
            )
        else:
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise DatasetError(
                    f"{self.uri}: the query returns duplicate column names: {', '.join(dupes)} "
                    "(give them aliases)"
                )
            self._schema = pa.schema([pa.field(n, pa.string()) for n in names])

    def _reflect(self, conn: sa.Connection, table: str) -> sa.Select[Any]:
        schema_name, _, bare = table.rpartition(".")
        try:
            self._table = sa.Table(
                bare, sa.MetaData(), autoload_with=conn, schema=schema_name or None
            )
        except sa_exc.NoSuchTableError as exc:
            raise DatasetError(f"{redact_url(self.url)}: no table {table!r}") from exc
        # Primary-key order makes repeated reads (and so protected outputs) deterministic.
        return sa.select(self._table).order_by(*self._table.primary_key.columns)

    def _query(self, limit: int | None = None) -> sa.Select[Any] | sa.TextClause:
        if isinstance(self._selectable, sa.Select):
            return self._selectable.limit(limit) if limit is not None else self._selectable
        return self._selectable

    @property
    def schema(self) -> pa.Schema:
        """Arrow schema mapped from the table's column types (strings for queries)."""
        return self._schema

    def _fetch(self, result: sa.CursorResult[Any]) -> Sequence[Any]:
        """The next rows; a value the driver cannot convert becomes a DatasetError."""
        try:
            return result.fetchmany(self.batch_rows)
        except (ValueError, TypeError) as exc:  # SQLAlchemy's str_to_date and friends
            raise _mismatch(self.uri, None) from exc

    def _array(self, rows: Sequence[Any], i: int, field: pa.Field) -> pa.Array:
        try:
            return pa.array([_coerce(r[i], field.type) for r in rows], type=field.type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError, TypeError) as exc:
            raise _mismatch(self.uri, field.name) from exc

    def count_rows(self) -> int:
        """``SELECT COUNT(*)`` for tables; streamed for queries."""
        if self.table_name is None:
            return super().count_rows()
        try:
            with self.engine.connect() as conn:
                return int(
                    conn.execute(sa.select(sa.func.count()).select_from(self._table)).scalar_one()
                )
        except sa_exc.SQLAlchemyError as exc:
            raise sql_error(self.url, exc, "count failed") from exc

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        """Stream rows in batches of ``batch_rows``."""
        names = list(columns) if columns is not None else self._schema.names
        schema = pa.schema([self._schema.field(n) for n in names])
        stmt = self._query()
        if columns is not None and isinstance(stmt, sa.Select):
            stmt = sa.select(*(self._table.c[n] for n in names)).order_by(
                *self._table.primary_key.columns
            )
        try:
            with self.engine.connect() as conn:
                result = conn.execution_options(stream_results=True).execute(stmt)
                keys = list(result.keys())
                if len(set(keys)) < len(keys):
                    dupes = sorted({k for k in keys if keys.count(k) > 1})
                    raise DatasetError(
                        f"{self.uri}: the query returns duplicate column names: "
                        f"{', '.join(dupes)} (give them aliases)"
                    )
                if self.table_name is None:  # a query: same columns, same order as probed
                    all_names = self._schema.names
                    index = [all_names.index(n) for n in names]
                else:
                    index = [keys.index(n) for n in names]
                while rows := self._fetch(result):
                    arrays = [self._array(rows, i, f) for i, f in zip(index, schema, strict=True)]
                    yield check_cells(self.uri, pa.RecordBatch.from_arrays(arrays, schema=schema))
        except sa_exc.OperationalError as exc:
            raise sql_error(self.url, exc) from exc
        except sa_exc.SQLAlchemyError as exc:
            raise sql_error(self.url, exc, "read failed") from exc


def _mismatch(where: str, column: str | None) -> DatasetError:
    what = f"column {column!r}" if column else "a column"
    return DatasetError(
        f"{where}: {what} holds a value that does not match its declared type (text in a "
        "DATE or INTEGER column?); fix the data, or read it with --query and CAST(… AS TEXT)"
    )


def list_tables(url: str) -> list[str]:
    """Return the user tables of a database (for whole-database scans)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(sa.inspect(conn).get_table_names())
    except sa_exc.SQLAlchemyError as exc:
        raise sql_error(url, exc) from exc
    finally:
        engine.dispose()
