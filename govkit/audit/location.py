"""Where a store lives: engine, table prefix, chain name, state directory, checkpoint file."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.pool import StaticPool

from govkit.audit.schema import DEFAULT_PREFIX
from govkit.datasets.uri import redact_url
from govkit.errors import AuditError

DEFAULT_CHAIN = "main"
PREFIX_PARAM = "govkit_prefix"
CHAIN_PARAM = "govkit_chain"
SERVER_STATE_DIR = Path(".govkit")
SQLITE_BUSY_MS = 60_000


@dataclass(frozen=True)
class StoreLocation:
    """Everything derived from the audit URL."""

    url: sa.URL
    shown: str
    """The URL as it may be printed (password replaced)."""
    prefix: str
    chain: str
    sqlite_path: Path | None
    memory: bool
    state_dir: Path

    @property
    def backend(self) -> str:
        """``sqlite``, ``postgresql`` or ``mysql``."""
        name = self.url.get_backend_name()
        return "mysql" if name == "mariadb" else name

    @property
    def checkpoint_path(self) -> Path | None:
        """The checkpoint file kept beside the store (None for in-memory SQLite)."""
        if self.memory:
            return None
        default = self.prefix == DEFAULT_PREFIX and self.chain == DEFAULT_CHAIN
        if self.sqlite_path is not None:
            if default:
                return self.sqlite_path.with_name(self.sqlite_path.name + ".checkpoint")
            tag = hashlib.sha256(f"{self.prefix}|{self.chain}".encode()).hexdigest()[:12]
            return self.sqlite_path.with_name(f"{self.sqlite_path.name}.{tag}.checkpoint")
        tag = hashlib.sha256(f"{self.shown}|{self.prefix}|{self.chain}".encode()).hexdigest()[:16]
        return self.state_dir / f"audit-{tag}.checkpoint"


def _valid_name(value: str, what: str, shown: str) -> str:
    if not value or not all(c.isalnum() or c in "_-" for c in value) or len(value) > 40:
        raise AuditError(f"{shown}: {what} must be 1-40 letters, digits, '_' or '-'")
    return value


def parse_location(
    audit_url: str, *, table_prefix: str | None = None, chain: str | None = None
) -> StoreLocation:
    """Parse the audit URL (``?govkit_prefix=`` and ``?govkit_chain=`` are ours, not the driver's).

    Raises:
        AuditError: the URL is malformed or names an unsupported backend.
    """
    shown = redact_url(audit_url)
    try:
        url = sa.make_url(audit_url)
    except sa.exc.ArgumentError as exc:
        raise AuditError(f"{shown}: not a valid audit store URL") from exc
    query = dict(url.query)
    prefix = table_prefix or str(query.pop(PREFIX_PARAM, DEFAULT_PREFIX))
    chain_name = chain or str(query.pop(CHAIN_PARAM, DEFAULT_CHAIN))
    query.pop(PREFIX_PARAM, None)
    query.pop(CHAIN_PARAM, None)
    url = url.set(query=query)
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql", "mysql", "mariadb"):
        raise AuditError(f"{shown}: audit store must be SQLite, PostgreSQL or MariaDB/MySQL")
    _valid_name(prefix, "table prefix", shown)
    _valid_name(chain_name, "chain name", shown)
    sqlite_path: Path | None = None
    memory = False
    state_dir = SERVER_STATE_DIR
    if backend == "sqlite":
        database = url.database
        if not database or database == ":memory:" or database.startswith("file::memory:"):
            memory = True
        else:
            sqlite_path = Path(database.removeprefix("file:"))  # URI form: ?mode=ro&uri=true
            state_dir = sqlite_path.parent
    return StoreLocation(url, shown, prefix, chain_name, sqlite_path, memory, state_dir)


def _private_file(path: Path) -> None:
    """Create the SQLite file 0600 in a 0700 directory (SQLite gives its -wal/-shm the same mode)."""
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # a concurrent opener made it


def _sqlite_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_begin)
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    try:
        cur.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError:
        pass  # a read-only connection (auditors) keeps whatever mode the file has
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # Appends take the write lock up front: a deferred transaction that reads the
    # head and then writes fails with SQLITE_BUSY instead of waiting.
    immediate = conn.get_execution_options().get("govkit_immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(location: StoreLocation) -> sa.Engine:
    """Create the engine for a store (SQLite: WAL, FULL sync, explicit BEGIN [IMMEDIATE]).

    Raises:
        AuditError: the SQLite directory cannot be created or the driver is missing.
    """
    try:
        if location.backend != "sqlite":
            return sa.create_engine(location.url, pool_pre_ping=True, pool_size=2)
        if location.memory:
            engine = sa.create_engine(
                "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            if location.sqlite_path is None:
                raise AssertionError("internal invariant broken: location.sqlite_path is not None")
            _private_file(location.sqlite_path)
            engine = sa.create_engine(location.url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
    except OSError as exc:
        raise AuditError(
            f"{location.shown}: cannot create the store directory: {exc.strerror}"
        ) from exc
    except (ImportError, sa.exc.ArgumentError) as exc:
        raise AuditError(f"{location.shown}: cannot open the audit store: {exc}") from exc
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine
