"""The audit store: append-only, hash-chained, with signed checkpoints.

``AuditStore.open(settings)`` opens (creating and migrating) the store named by
``settings.audit_url``; ``append(events)`` chains a batch of stamped events in
one transaction. Appends are serialised per chain — ``BEGIN IMMEDIATE`` on
SQLite, ``SELECT … FOR UPDATE`` on the chain's head row on PostgreSQL and
MariaDB — and retried on lock timeouts, deadlocks and unique violations.
After each commit the signed checkpoint file beside the store moves forward.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa

from govkit.audit import chain as ch
from govkit.audit.canonical import canonical_json
from govkit.audit.checkpoints import Checkpoint, advance_checkpoint_file, sign_checkpoint
from govkit.audit.events import prepare_event
from govkit.audit.keys import AuditKeys, load_audit_keys
from govkit.audit.location import StoreLocation, make_engine, parse_location
from govkit.audit.schema import (
    SCHEMA_VERSION,
    AuditTables,
    build_tables,
    current_version,
    migrate,
    read_meta,
)
from govkit.audit.tx import Tx, transient
from govkit.errors import AuditError
from govkit.settings import GovkitSettings

if TYPE_CHECKING:
    from govkit.audit.findings import VerifyResult
    from govkit.audit.query import AuditQuery, AuditRecord

T = TypeVar("T")
MAX_ATTEMPTS = 30


class AuditStore:
    """Append-only, hash-chained audit store (open it with :meth:`open`)."""

    def __init__(
        self, location: StoreLocation, engine: sa.Engine, tables: AuditTables, keys: AuditKeys
    ) -> None:
        self.location = location
        self.engine = engine
        self.tables = tables
        self.keys = keys
        self.instance_id = ""
        self.chain_id = ""

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(
        cls,
        settings: GovkitSettings,
        *,
        table_prefix: str | None = None,
        chain: str | None = None,
        create: bool = True,
    ) -> AuditStore:
        """Open the store named by ``settings.audit_url``, creating or migrating its tables.

        Args:
            settings: audit URL and key source.
            table_prefix: table name prefix (default ``govkit_audit_``, or the URL's
                ``?govkit_prefix=``); tests use a unique one per test.
            chain: chain name within the tables (default ``main``, or ``?govkit_chain=``).
            create: create the store (and a generated audit key) when absent; readers
                (verify, query, report) pass False, so a mistyped URL is an error, not
                an empty log that verifies clean.

        Raises:
            AuditError: the store cannot be reached, created or migrated (or is absent
                and ``create`` is false).
            KeyMaterialError: the master key or audit key file is unusable.
        """
        location = parse_location(settings.audit_url, table_prefix=table_prefix, chain=chain)
        if not create and location.sqlite_path is not None and not location.sqlite_path.exists():
            raise AuditError(f"{location.shown}: no audit store here")
        keys = load_audit_keys(
            settings, location.state_dir, create=create, ephemeral=location.memory
        )
        store = cls(location, make_engine(location), build_tables(location.prefix), keys)
        meta = store._retry(lambda: store._init_schema(create), "open", any_error=4)
        store.instance_id = meta["instance_id"]
        store.chain_id = f"{store.instance_id}/{location.chain}"
        store._retry(store._ensure_head, "open", any_error=4)
        return store

    def _init_schema(self, create: bool = True) -> dict[str, str]:
        # Read first, so an up-to-date store opens without a write lock (read-only auditors).
        with self._begin() as conn:
            version = current_version(conn, self.tables)
            if version == SCHEMA_VERSION:
                return read_meta(conn, self.tables)
        if version == 0 and not create:
            raise AuditError(f"{self.url}: no audit store here")
        with self._begin(write=True) as conn:
            return migrate(conn, self.tables)

    def _ensure_head(self) -> None:
        heads = self.tables.heads
        with self._begin() as conn:
            if conn.execute(
                sa.select(heads.c.seq).where(heads.c.chain_id == self.chain_id)
            ).first():
                return
        with self._begin(write=True) as conn:
            found = conn.execute(
                sa.select(heads.c.seq).where(heads.c.chain_id == self.chain_id)
            ).first()
            if found is None:
                conn.execute(
                    sa.insert(heads).values(
                        chain_id=self.chain_id, seq=0, hash=ch.genesis(self.chain_id)
                    )
                )

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    @property
    def url(self) -> str:
        """The store URL as it may be shown (password replaced)."""
        return self.location.shown

    @property
    def checkpoint_path(self) -> Path | None:
        """The checkpoint file kept beside the store."""
        return self.location.checkpoint_path

    # -------------------------------------------------------------- plumbing
    def _begin(self, *, write: bool = False) -> Any:
        conn = self.engine.connect()
        if write and self.location.backend == "sqlite":
            conn = conn.execution_options(govkit_immediate=True)
        return Tx(conn)

    def _retry(self, work: Callable[[], T], what: str, *, any_error: int = 0) -> T:
        """Run ``work``, retrying lock waits, deadlocks and fork races (jittered back-off).

        ``any_error``: retry any database error this many times (schema creation, where
        concurrent DDL fails in backend-specific ways).
        """
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return work()
            except sa.exc.SQLAlchemyError as exc:
                if attempt == MAX_ATTEMPTS or not (transient(exc) or attempt <= any_error):
                    orig = getattr(exc, "orig", None)
                    tries = f" after {attempt} attempts" if attempt > 1 else ""
                    raise AuditError(
                        f"{self.url}: audit {what} failed{tries} "
                        f"({type(orig).__name__ if orig else type(exc).__name__})"
                    ) from exc
                time.sleep(min(0.5, 0.005 * 2 ** min(attempt, 7)) * random.random())
        raise AssertionError("unreachable")

    # --------------------------------------------------------------- writing
    def append(self, events: list[dict[str, Any]]) -> Checkpoint | None:
        """Chain a batch of stamped events in one transaction; return the new signed checkpoint.

        Raises:
            AuditError: an event is invalid or the store cannot be written (the
                caller must then not release its result).
        """
        if not events:
            return None
        prepared = []
        for raw in events:
            event = prepare_event(raw)
            proj = ch.project(event)
            prepared.append((canonical_json(event), proj))
        size, head, base = self._retry(lambda: self._append_tx(prepared), "append")
        return self._advance(size, head, base)

    def _append_tx(
        self, prepared: list[tuple[str, dict[str, str | None]]]
    ) -> tuple[int, str, tuple[int, str]]:
        heads, events = self.tables.heads, self.tables.events
        with self._begin(write=True) as conn:
            head = conn.execute(
                sa.select(heads.c.seq, heads.c.hash)
                .where(heads.c.chain_id == self.chain_id)
                .with_for_update()
            ).one()
            seq, prev = int(head.seq), str(head.hash)
            base = (seq, prev)
            if seq:
                self._check_key(conn, seq)
            rows = []
            for body, proj in prepared:
                seq += 1
                values = [proj[name] for name in ch.PROJECTION]
                digest = ch.row_hash(prev, body, values)
                rows.append(
                    {
                        "chain_id": self.chain_id,
                        "seq": seq,
                        **proj,
                        "body": body,
                        "prev_hash": prev,
                        "hash": digest,
                        "mac": ch.row_mac(self.keys.mac_key, digest),
                        "key_id": self.keys.mac_key_id,
                    }
                )
                prev = digest
            conn.execute(sa.insert(events), rows)
            updated = conn.execute(
                sa.update(heads)
                .where(heads.c.chain_id == self.chain_id, heads.c.seq == head.seq)
                .values(seq=seq, hash=prev)
            )
            if updated.rowcount != 1:
                raise AuditError(f"{self.url}: chain head moved during an append")
        return seq, prev, base

    def _check_key(self, conn: sa.Connection, seq: int) -> None:
        """Refuse to extend a chain written under another audit key (fail closed)."""
        events = self.tables.events
        kid = conn.execute(
            sa.select(events.c.key_id).where(
                events.c.chain_id == self.chain_id, events.c.seq == seq
            )
        ).scalar()
        if kid is not None and kid != self.keys.mac_key_id:
            raise AuditError(
                f"{self.url}: the chain was written under audit key id {kid}, the configured key "
                f"is {self.keys.mac_key_id} ({'master key' if self.keys.source == 'master-key' else self.keys.source}); "
                "configure the key the log was written with"
            )

    def _advance(self, size: int, head: str, base: tuple[int, str] | None = None) -> Checkpoint:
        """Sign the head and move the checkpoint file forward if the chain extends it.

        ``base`` is the (seq, hash) the append started from: the usual previous
        checkpoint, so checking that the chain passes through it costs no query.
        """
        cp = sign_checkpoint(self.keys, self.chain_id, size, head)
        path = self.checkpoint_path
        if path is not None:
            known = {size: head, **dict([base] if base else [])}

            def hash_at(seq: int) -> str | None:
                return known[seq] if seq in known else self._hash_at(seq)

            advance_checkpoint_file(path, cp, self.keys, hash_at)
        return cp

    def _hash_at(self, seq: int) -> str | None:
        """The stored hash of event ``seq`` (None when there is no such event)."""
        events = self.tables.events

        def read() -> str | None:
            with self._begin() as conn:
                value = conn.execute(
                    sa.select(events.c.hash).where(
                        events.c.chain_id == self.chain_id, events.c.seq == seq
                    )
                ).scalar()
            return None if value is None else str(value)

        return self._retry(read, "read")

    # --------------------------------------------------------------- reading
    def head(self) -> tuple[int, str]:
        """Return (size, head hash) of the chain as the head row records it."""
        heads = self.tables.heads

        def read() -> tuple[int, str]:
            with self._begin() as conn:
                row = conn.execute(
                    sa.select(heads.c.seq, heads.c.hash).where(heads.c.chain_id == self.chain_id)
                ).one()
            return int(row.seq), str(row.hash)

        return self._retry(read, "read")

    def checkpoint(self) -> Checkpoint:
        """Sign the current head, move the checkpoint file forward and return it (for run reports)."""
        size, head = self.head()
        return self._advance(size, head)

    def verify(
        self, *, checkpoint_files: Sequence[Path] | None = None, all_macs: bool = False
    ) -> VerifyResult:
        """Verify the chain; see :func:`govkit.audit.verify.verify_store`."""
        from govkit.audit.verify import verify_store

        return verify_store(self, checkpoint_files=checkpoint_files, all_macs=all_macs)

    def query(self, filters: AuditQuery | None = None) -> list[AuditRecord]:
        """Return matching events in chain order; see :func:`govkit.audit.query.query_store`."""
        from govkit.audit.query import AuditQuery, query_store

        return list(query_store(self, filters or AuditQuery()))
