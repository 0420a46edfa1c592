"""Reading a chain's rows in the byte form the verifier hashes.

On SQLite the rows come straight from the sqlite3 cursor as bytes, with the
projection concatenated in SQL (no decode/encode round trip per value); other
backends go through SQLAlchemy with a server-side cursor.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from govkit.errors import AuditError

if TYPE_CHECKING:
    from govkit.audit.store import AuditStore

BATCH = 20_000
Row = tuple[int, bytes, bytes, bytes, bytes, bytes | None, bytes | None]
"""seq, projection bytes, body, prev_hash, hash, mac, key_id — all as stored (UTF-8)."""

_COLUMNS = ("seq", "ts", "actor", "role", "action", "outcome", "dataset", "body")
_SQLITE_PROJECTION = " || char(31) || ".join(
    name if name in ("ts", "action", "outcome") else f"coalesce({name}, char(29))"
    for name in ("ts", "actor", "role", "action", "outcome", "dataset")
)


def _sqlite_rows(store: AuditStore) -> Iterator[Row]:
    """Rows straight from the sqlite3 cursor as bytes (no decode/encode round trip)."""
    sql = (
        f"SELECT seq, {_SQLITE_PROJECTION}, body, prev_hash, hash, mac, key_id "  # noqa: S608 - the table name is the store's own, values are bound
        f"FROM {store.tables.events.name} WHERE chain_id = ? ORDER BY seq"
    )
    raw = store.engine.raw_connection()
    try:
        dbapi: Any = raw.driver_connection
        old = dbapi.text_factory
        dbapi.text_factory = bytes
        try:
            cursor = dbapi.execute(sql, (store.chain_id,))
            while batch := cursor.fetchmany(BATCH):
                yield from batch
        finally:
            dbapi.text_factory = old
    except sqlite3.Error as exc:
        raise AuditError(
            f"{store.url}: cannot read the audit chain ({type(exc).__name__})"
        ) from exc
    finally:
        raw.close()


def _generic_rows(store: AuditStore) -> Iterator[Row]:
    ev = store.tables.events
    stmt = (
        sa.select(*(ev.c[name] for name in (*_COLUMNS, "prev_hash", "hash", "mac", "key_id")))
        .where(ev.c.chain_id == store.chain_id)
        .order_by(ev.c.seq)
    )
    try:
        with store.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt)
            with result:  # closed (server-side cursor drained) even when the walk stops early
                yield from _encoded(result)
    except sa.exc.SQLAlchemyError as exc:
        raise AuditError(
            f"{store.url}: cannot read the audit chain ({type(exc).__name__})"
        ) from exc


def _encoded(result: Iterable[Any]) -> Iterator[Row]:
    """Rows from SQLAlchemy in the byte form the walk hashes."""
    for seq, ts, actor, role, action, outcome, dataset, body, prev, h, mac, kid in result:
        proj = "\x1f".join(
            (ts, actor or "\x1d", role or "\x1d", action, outcome, dataset or "\x1d")
        )
        yield (
            seq, proj.encode(), body.encode(), prev.encode(), h.encode(),
            mac.encode() if mac else None, kid.encode() if kid else None,
        )  # fmt: skip


def stream_rows(store: AuditStore) -> Iterator[Row]:
    """Yield the chain's rows in seq order (the fast sqlite3 path on SQLite)."""
    return _sqlite_rows(store) if store.location.backend == "sqlite" else _generic_rows(store)
