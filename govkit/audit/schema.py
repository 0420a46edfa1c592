"""Audit tables and their versioned migrations.

Three tables, named ``<prefix>meta``, ``<prefix>heads`` and ``<prefix>events``
(default prefix ``govkit_audit_``; tests pass a unique prefix for isolation):

* ``meta``: ``schema_version`` and the random ``instance_id`` made when the
  store was created (it is part of every chain id, so a swapped database is
  caught against an older checkpoint);
* ``heads``: one row per chain with its size and head hash — the row appenders
  lock (``SELECT … FOR UPDATE``) to serialise appends;
* ``events``: one row per event; ``PRIMARY KEY(chain_id, seq)`` and
  ``UNIQUE(chain_id, prev_hash)`` make a fork impossible.

Migrations are plain functions run in order inside one transaction each; the
version reached is stored in ``meta``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from govkit.errors import AuditError

DEFAULT_PREFIX = "govkit_audit_"
SCHEMA_VERSION = 1

_TEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


@dataclass(frozen=True)
class AuditTables:
    """The SQLAlchemy tables of one store."""

    metadata: sa.MetaData
    meta: sa.Table
    heads: sa.Table
    events: sa.Table


def build_tables(prefix: str = DEFAULT_PREFIX) -> AuditTables:
    """Return the table objects for ``prefix`` (not created)."""
    md = sa.MetaData()
    meta = sa.Table(
        f"{prefix}meta",
        md,
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(255), nullable=False),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    heads = sa.Table(
        f"{prefix}heads",
        md,
        sa.Column("chain_id", sa.String(100), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    events = sa.Table(
        f"{prefix}events",
        md,
        sa.Column("chain_id", sa.String(100), primary_key=True),
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("ts", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(255)),
        sa.Column("role", sa.String(255)),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("dataset", sa.String(1024)),
        sa.Column("body", _TEXT, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64)),
        sa.Column("key_id", sa.String(16)),
        sa.UniqueConstraint("chain_id", "prev_hash", name=f"{prefix}uq_prev"),
        sa.Index(f"{prefix}ix_ts", "chain_id", "ts"),
        sa.Index(f"{prefix}ix_actor", "actor"),
        sa.Index(f"{prefix}ix_action", "action"),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    return AuditTables(md, meta, heads, events)


def _v1(conn: sa.Connection, tables: AuditTables) -> None:
    for table in (tables.heads, tables.events):
        table.create(conn, checkfirst=True)
    conn.execute(sa.insert(tables.meta).values(key="instance_id", value=uuid.uuid4().hex))


MIGRATIONS: list[tuple[int, Callable[[sa.Connection, AuditTables], None]]] = [(1, _v1)]
"""(version, function) pairs; append new ones, never edit shipped ones."""


def read_meta(conn: sa.Connection, tables: AuditTables) -> dict[str, str]:
    """Return the ``meta`` table as a dict."""
    rows = conn.execute(sa.select(tables.meta.c.key, tables.meta.c.value)).all()
    return {str(k): str(v) for k, v in rows}


def current_version(conn: sa.Connection, tables: AuditTables) -> int:
    """Return the schema version stored in ``meta`` (0 for an empty database)."""
    if not sa.inspect(conn).has_table(tables.meta.name):
        return 0
    return int(read_meta(conn, tables).get("schema_version", "0"))


def migrate(conn: sa.Connection, tables: AuditTables) -> dict[str, str]:
    """Bring the schema to ``SCHEMA_VERSION`` in the caller's transaction; return ``meta``.

    Raises:
        AuditError: the database was written by a newer govkit.
    """
    tables.meta.create(conn, checkfirst=True)
    version = current_version(conn, tables)
    if version > SCHEMA_VERSION:
        raise AuditError(
            f"audit schema version {version} is newer than this govkit supports ({SCHEMA_VERSION})"
        )
    for target, step in MIGRATIONS:
        if target > version:
            step(conn, tables)
            values = {"key": "schema_version", "value": str(target)}
            if version == 0 and target == MIGRATIONS[0][0]:
                conn.execute(sa.insert(tables.meta).values(**values))
            else:
                conn.execute(
                    sa.update(tables.meta)
                    .where(tables.meta.c.key == "schema_version")
                    .values(value=str(target))
                )
            version = target
    return read_meta(conn, tables)
