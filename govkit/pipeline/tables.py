"""Staged tables: swap a database's staged outputs in at once, undo, clean up."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from govkit.datasets.sql import create_engine, sql_error
from govkit.datasets.uri import redact_url
from govkit.errors import DatasetError


@dataclass
class Staged:
    """One output written to its staging place, waiting for :meth:`Publisher.commit`.

    Attributes:
        name: the output's name (reports, errors).
        uri: destination file path or database URL.
        table: destination table, for database URLs.
        rows: rows written.
        staging: the staging file path or staging table name.
    """

    name: str
    uri: str
    table: str | None
    rows: int
    staging: str
    backup: str | None = None
    done: bool = False

    @property
    def target(self) -> str:
        """The destination as shown to people (no credentials)."""
        return f"{redact_url(self.uri)}#{self.table}" if self.table else self.uri


def has_table(url: str, table: str) -> bool:
    """Return True when ``table`` exists in the database at ``url``."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(sa.inspect(conn).has_table(table))
    except sa_exc.SQLAlchemyError as exc:
        raise sql_error(url, exc) from exc
    finally:
        engine.dispose()


def swap_tables(url: str, group: list[Staged]) -> None:
    """Swap every staged table of one database in at once, keeping old ones as backups."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            prep = conn.dialect.identifier_preparer
            inspector = sa.inspect(conn)
            renames: list[tuple[str, str]] = []
            for item in group:
                if inspector.has_table(str(item.table)):
                    item.backup = f"_govkit_old_{secrets.token_hex(6)}"
                    renames.append((str(item.table), item.backup))
                renames.append((item.staging, str(item.table)))
            try:
                if conn.dialect.name in ("mysql", "mariadb"):
                    pairs = ", ".join(f"{prep.quote(a)} TO {prep.quote(b)}" for a, b in renames)
                    conn.exec_driver_sql(f"RENAME TABLE {pairs}")
                else:  # transactional DDL: all renames or none
                    if conn.dialect.name == "sqlite":
                        # pysqlite opens no transaction before DDL by itself
                        conn.exec_driver_sql("BEGIN")
                    for old, new in renames:
                        conn.exec_driver_sql(
                            f"ALTER TABLE {prep.quote(old)} RENAME TO {prep.quote(new)}"
                        )
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
    except sa_exc.SQLAlchemyError as exc:
        for item in group:
            item.backup = None
        raise sql_error(url, exc, "publishing the staged tables failed") from exc
    finally:
        engine.dispose()
    for item in group:
        item.done = True


def unswap_table(item: Staged) -> None:
    """Undo one table's swap: drop the new table, rename the kept old one back."""
    engine = create_engine(item.uri)
    try:
        with engine.begin() as conn:
            prep = conn.dialect.identifier_preparer
            conn.exec_driver_sql(f"DROP TABLE {prep.quote(str(item.table))}")
            if item.backup is not None:
                conn.exec_driver_sql(
                    f"ALTER TABLE {prep.quote(item.backup)} RENAME TO {prep.quote(str(item.table))}"
                )
    finally:
        engine.dispose()
    item.backup = None


def drop_quietly(url: str, tables: list[str]) -> None:
    """Drop tables if they exist (cleanup: never raises)."""
    try:
        engine = create_engine(url)
    except DatasetError:
        return
    try:
        with engine.begin() as conn:
            prep = conn.dialect.identifier_preparer
            for name in tables:
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {prep.quote(name)}")
    except sa_exc.SQLAlchemyError:
        pass
    finally:
        engine.dispose()
