"""Stream a chain and report what does not verify.

Per row (in ``seq`` order): a gap in ``seq`` is MISSING; a row whose content
no longer hashes to its stored hash is MODIFIED; a row MACed under another key
is BAD_SIGNATURE; a row whose plain hash is right but whose MAC is wrong was
FORGED (recomputed by someone without the audit key); a row that does not link
to its predecessor is REORDERED when its predecessor turns up elsewhere, else
MISSING. Then each checkpoint: wrong key or signature is BAD_SIGNATURE, a
different chain id (a swapped database) or a different hash at its size is
FORGED, a size beyond the chain is TRUNCATED; events after the newest valid
checkpoint are UNANCHORED (a warning).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from govkit.audit.checkpoints import read_checkpoint, signature_ok
from govkit.audit.findings import FindingLog, VerifyResult
from govkit.audit.keys import AuditKeys
from govkit.errors import AuditError
from govkit.report.model import Checkpoint

if TYPE_CHECKING:
    from govkit.audit.store import AuditStore

WINDOW = 4096
BATCH = 20_000


def stream_rows(store: AuditStore, columns: Sequence[str]) -> Iterator[Sequence[Any]]:
    """Yield the chain's rows (selected columns) in seq order, in batches."""
    ev = store.tables.events
    stmt = (
        sa.select(*(ev.c[name] for name in columns))
        .where(ev.c.chain_id == store.chain_id)
        .order_by(ev.c.seq)
    )
    try:
        with store.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt)
            for part in result.partitions(BATCH):
                yield from part
    except sa.exc.SQLAlchemyError as exc:
        raise AuditError(
            f"{store.url}: cannot read the audit chain ({type(exc).__name__})"
        ) from exc


class _ChainWalk:
    """The per-row checks, kept in one tight loop."""

    def __init__(self, chain_id_genesis: str, keys: AuditKeys, sizes: Iterable[int]) -> None:
        self.log = FindingLog()
        self.keys = keys
        self.last_hash = chain_id_genesis
        self.expected = 1
        self.count = 0
        self.watch = set(sizes)
        self.hash_at: dict[int, str] = {}

    def run(self, rows: Iterable[Sequence[Any]]) -> None:  # noqa: C901 - one hot loop
        sha256, fromhex, digest = hashlib.sha256, bytes.fromhex, hmac.digest
        key, key_id, log, watch = self.keys.mac_key, self.keys.mac_key_id, self.log, self.watch
        recent: dict[str, int] = {}
        ring: list[str | None] = [None] * WINDOW
        pending: dict[str, int] = {}
        last_bad = -1
        last, expected, count = self.last_hash, self.expected, 0
        for seq, ts, actor, role, action, outcome, dataset, body, prev, h, mac, kid in rows:
            count += 1
            if seq != expected:
                if seq > expected:
                    log.add("MISSING", expected, "events deleted from the chain", seq - 1)
                else:
                    log.add("REORDERED", seq, "duplicate or out-of-order seq")
            proj = "\x1f".join(
                (ts, actor or "\x00", role or "\x00", action, outcome, dataset or "\x00")
            )
            leaf = sha256(b"\x00" + body.encode() + b"\x1e" + proj.encode()).digest()
            if sha256(b"\x01" + fromhex(prev) + leaf).hexdigest() != h:
                log.add("MODIFIED", seq, "event content does not match its hash")
                last_bad = seq
            elif kid != key_id and mac is not None and kid is not None:
                log.add("BAD_SIGNATURE", seq, f"event MAC made under key id {kid}, not {key_id}")
            elif mac is None or digest(key, b"\x02" + fromhex(h), "sha256").hex() != mac:
                log.add("FORGED", seq, "event MAC does not verify: written without the audit key")
                last_bad = seq
            if prev != last and seq == expected:
                if prev in recent:
                    log.add("REORDERED", seq, "event links to an earlier event out of order")
                elif last_bad != seq - 1:
                    pending[prev] = seq
            if pending and h in pending:
                log.add("REORDERED", pending.pop(h), "event links to a later event out of order")
            if seq in watch:
                self.hash_at[seq] = h
            slot = count % WINDOW
            old = ring[slot]
            if old is not None:
                recent.pop(old, None)
            ring[slot] = h
            recent[h] = seq
            last, expected = h, max(expected, seq + 1)
        for seq in sorted(pending.values()):
            log.add(
                "MISSING", seq, "event does not link to its predecessor: events removed before it"
            )
        self.last_hash, self.expected, self.count = last, expected, count


def _check_checkpoint(
    cp: Checkpoint, store: AuditStore, walk: _ChainWalk, size: int, where: str
) -> bool:
    """Add findings for one checkpoint; return True when it anchors the chain."""
    log, keys = walk.log, store.keys
    cp_size = cp.size or 0
    if cp.key_id != keys.key_id:
        log.add("BAD_SIGNATURE", cp_size, f"{where}: signed by key {cp.key_id}, not {keys.key_id}")
        return False
    if not signature_ok(cp, keys.public):
        log.add("BAD_SIGNATURE", cp_size, f"{where}: signature does not verify")
        return False
    if cp.chain_id != store.chain_id:
        log.add(
            "FORGED",
            1,
            f"{where}: checkpoint is for chain {cp.chain_id}; the database was replaced",
        )
        return False
    if cp_size > size:
        log.add("TRUNCATED", size + 1, f"{where}: signed size {cp_size}, chain has {size}", cp_size)
        return False
    if cp_size and walk.hash_at.get(cp_size) != cp.head_hash:
        log.add("FORGED", cp_size, f"{where}: chain history differs from the signed head")
        return False
    return True


def verify_store(
    store: AuditStore, *, checkpoint_files: Sequence[Path] | None = None
) -> VerifyResult:
    """Verify the store's chain against its head row and checkpoints.

    Args:
        store: an opened store (its keys are the trusted keys).
        checkpoint_files: checkpoints to check; default the file beside the store.

    Raises:
        AuditError: the store or a checkpoint file cannot be read.
    """
    from govkit.audit.chain import genesis

    files = list(checkpoint_files) if checkpoint_files else []
    if not files and store.checkpoint_path is not None and store.checkpoint_path.exists():
        files = [store.checkpoint_path]
    checkpoints = [(read_checkpoint(path), str(path)) for path in files]
    head_seq, head_hash = store.head()
    walk = _ChainWalk(genesis(store.chain_id), store.keys, [cp.size or 0 for cp, _ in checkpoints])
    columns = ("seq", "ts", "actor", "role", "action", "outcome", "dataset", "body")
    walk.run(stream_rows(store, (*columns, "prev_hash", "hash", "mac", "key_id")))
    size = walk.expected - 1
    if head_seq > size:
        walk.log.add("TRUNCATED", size + 1, f"head row records {head_seq} events", head_seq)
    elif head_seq < size:
        walk.log.add("FORGED", head_seq + 1, "events beyond the head row", size)
    elif size and head_hash != walk.last_hash:
        walk.log.add("MODIFIED", size, "head row hash differs from the last event")
    anchored = max(
        [
            cp.size or 0
            for cp, where in checkpoints
            if _check_checkpoint(cp, store, walk, size, where)
        ],
        default=0,
    )
    if size > anchored:
        text = (
            f"after the newest valid checkpoint (size {anchored})"
            if anchored
            else "no valid checkpoint"
        )
        walk.log.add("UNANCHORED", anchored + 1, text, size)
    return VerifyResult(
        store=store.url,
        chain_id=store.chain_id,
        events=walk.count,
        head_seq=size,
        head_hash=walk.last_hash if size else None,
        key_id=store.keys.key_id,
        checkpoints=[cp for cp, _ in checkpoints],
        anchored=anchored,
        findings=walk.log.sorted(),
    )
