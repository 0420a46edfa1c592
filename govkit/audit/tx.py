"""Transactions for the store: a ``with`` helper and which errors a retry can cure."""

from __future__ import annotations

import sqlalchemy as sa

_TRANSIENT = (
    "database is locked", "database table is locked", "busy", "deadlock", "lock wait timeout",
    "could not serialize", "serialization failure", "lock timeout", "already exists",
    "duplicate", "concurrent ddl", "server closed the connection", "lost connection", "gone away",
)  # fmt: skip


def transient(exc: sa.exc.SQLAlchemyError) -> bool:
    """True for errors a retry can cure: lock contention, a racing writer, a dropped connection."""
    if isinstance(exc, sa.exc.IntegrityError):
        return True  # another writer took this seq / prev_hash, or created the same row first
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(
        exc, sa.exc.OperationalError | sa.exc.ProgrammingError | sa.exc.InternalError
    ):
        return False
    text = str(getattr(exc, "orig", exc)).lower()
    return any(marker in text for marker in _TRANSIENT)


class Tx:
    """``with`` helper: a connection in a transaction, committed on success."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sa.Connection:
        self.conn.begin()
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self.conn.commit()
            else:
                self.conn.rollback()
        finally:
            self.conn.close()
