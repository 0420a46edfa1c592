"""Stream a chain and report what does not verify.

Per row (in ``seq`` order): a gap in ``seq`` is MISSING; a row whose content
no longer hashes to its stored hash is MODIFIED; a row MACed under another key
is BAD_SIGNATURE (a lone row under a key id other than the one the chain starts
with is FORGED: a chain is extended only under its own key); a row whose plain
hash is right but whose MAC is wrong was FORGED (recomputed by someone without
the audit key); a row that does not link to its predecessor is REORDERED when
its predecessor turns up elsewhere, else MISSING. Then each checkpoint: wrong
key or signature is BAD_SIGNATURE, a different chain id (a swapped database) or a different hash at its size is
FORGED, a size beyond the chain is TRUNCATED; events after the newest valid
checkpoint are UNANCHORED (a warning).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from govkit.audit.checkpoints import Checkpoint, read_checkpoint, signature_ok
from govkit.audit.findings import FindingLog, VerifyResult
from govkit.audit.keys import AuditKeys
from govkit.audit.rows import Row, stream_rows

if TYPE_CHECKING:
    from govkit.audit.store import AuditStore

WINDOW = 4096


class ChainWalk:
    """The per-row checks (``keys`` None: no MACs, as for an export checked offline)."""

    def __init__(
        self, genesis_hash: str, keys: AuditKeys | None, sizes: Iterable[int], mac_from: int
    ) -> None:
        self.log = FindingLog()
        self.mac_key = keys.mac_key if keys else b""
        self.mac_key_id = keys.mac_key_id if keys else ""
        self.genesis = genesis_hash.encode()
        self.last_hash = self.genesis
        self.expected = 1
        self.count = 0
        self.mac_from = mac_from
        self.watch = set(sizes)
        self.hash_at: dict[int, str] = {}

    def run_fast(self, rows: Iterable[Row]) -> bool:
        """The common case, as lean as possible: stop at the first anomaly (return False).

        The precise walk (:meth:`run`) then says what and where; this pass only
        has to be right when it returns True.
        """
        sha256, digest = hashlib.sha256, hmac.digest
        key, watch, mac_from = self.mac_key, self.watch, self.mac_from
        key_id, hash_at = self.mac_key_id.encode(), self.hash_at
        last, expected = self.last_hash, self.expected
        for seq, proj, body, prev, h, mac, kid in rows:
            if (
                seq != expected
                or prev != last
                or sha256(b"\x01" + prev + body + b"\x1e" + proj).hexdigest().encode() != h
            ):
                return False
            if seq >= mac_from and (
                kid != key_id or mac != digest(key, b"\x02" + h, "sha256").hex().encode()
            ):
                return False
            if seq in watch:
                hash_at[seq] = h.decode()
            last, expected = h, seq + 1
        self.last_hash, self.expected, self.count = last, expected, expected - 1
        return True

    def run(self, rows: Iterable[Row]) -> None:  # noqa: C901 - one hot loop
        """The precise walk: classify every anomaly (MACs checked from ``mac_from`` on)."""
        sha256, digest = hashlib.sha256, hmac.digest
        key, log, watch, mac_from = self.mac_key, self.log, self.watch, self.mac_from
        key_id = self.mac_key_id.encode()
        recent: dict[bytes, int] = {}
        ring: list[bytes | None] = [None] * WINDOW
        pending: dict[bytes, int] = {}
        chain_kid: bytes | None = None  # the key id the chain starts under
        last_bad = -1
        last, expected, count = self.last_hash, self.expected, 0
        for seq, proj, body, prev, h, mac, kid in rows:
            count += 1
            if chain_kid is None:
                chain_kid = kid
            if seq != expected:
                if seq > expected:
                    log.add("MISSING", expected, "events deleted from the chain", seq - 1)
                else:
                    log.add("REORDERED", seq, "duplicate or out-of-order seq")
            if sha256(b"\x01" + prev + body + b"\x1e" + proj).hexdigest().encode() != h:
                log.add("MODIFIED", seq, "event content does not match its hash")
                last_bad = seq
            elif seq < mac_from:
                pass  # covered by a valid signed checkpoint: the chain hash is enough
            elif kid != key_id and mac is not None and kid is not None and kid == chain_kid:
                # the chain was written under another key (appends under a second key are
                # refused, so a lone foreign key id falls through to FORGED below)
                log.add("BAD_SIGNATURE", seq, f"event MAC made under key id {kid.decode()}")
            elif mac is None or digest(key, b"\x02" + h, "sha256").hex().encode() != mac:
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
                self.hash_at[seq] = h.decode()
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


def check_checkpoint(
    cp: Checkpoint,
    trusted: tuple[Ed25519PublicKey, str, str],
    walk: ChainWalk,
    size: int,
    where: str,
) -> bool:
    """Add findings for one checkpoint; return True when it anchors the chain.

    ``trusted`` is (public key, its key id, the chain id the log must have).
    """
    log = walk.log
    public, key_id, chain_id = trusted
    cp_size = cp.size or 0
    if cp.key_id != key_id:
        log.add("BAD_SIGNATURE", cp_size, f"{where}: signed by key {cp.key_id}, not {key_id}")
        return False
    if not signature_ok(cp, public):
        log.add("BAD_SIGNATURE", cp_size, f"{where}: signature does not verify")
        return False
    if cp.chain_id != chain_id:
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


def _pins(cp: Checkpoint | None, walk: ChainWalk) -> bool:
    """True when ``cp`` (whose size set where MAC checks began) matches the walked chain."""
    if cp is None or not cp.size:
        return True
    return walk.hash_at.get(cp.size) == cp.head_hash


def verify_store(
    store: AuditStore,
    *,
    checkpoint_files: Sequence[Path] | None = None,
    all_macs: bool = False,
) -> VerifyResult:
    """Verify the store's chain against its head row and checkpoints.

    Args:
        store: an opened store (its keys are the trusted keys).
        checkpoint_files: checkpoints to check; default the file beside the store.
        all_macs: check every row's MAC. By default a lean first pass checks rows
            covered by a valid signed checkpoint by their chain hash alone (the
            signature already pins them) and stops at the first anomaly; a second,
            precise walk then checks every MAC and classifies every finding.

    Raises:
        AuditError: the store or a checkpoint file cannot be read.
    """
    from govkit.audit.chain import genesis

    files = list(checkpoint_files) if checkpoint_files else []
    if not files and store.checkpoint_path is not None and store.checkpoint_path.exists():
        files = [store.checkpoint_path]
    checkpoints = [(read_checkpoint(path), str(path)) for path in files]
    head_seq, head_hash = store.head()
    sizes = [cp.size or 0 for cp, _ in checkpoints]
    trusted = [
        cp
        for cp, _ in checkpoints
        if cp.key_id == store.keys.key_id
        and cp.chain_id == store.chain_id
        and signature_ok(cp, store.keys.public)
    ]
    newest = max(trusted, key=lambda cp: cp.size or 0, default=None)
    mac_from = 1 if all_macs or newest is None else (newest.size or 0) + 1
    trusted_key = (store.keys.public, store.keys.key_id, store.chain_id)
    walk = ChainWalk(genesis(store.chain_id), store.keys, sizes, mac_from)
    if not walk.run_fast(stream_rows(store)) or not _pins(newest, walk):
        # Something is wrong (or the rows whose MACs were skipped are not pinned by the
        # newest checkpoint after all): walk again checking every MAC, to say exactly
        # what and where.
        walk = ChainWalk(genesis(store.chain_id), store.keys, sizes, 1)
        walk.run(stream_rows(store))
    size = walk.expected - 1
    if head_seq < size:
        # Writers may have appended while the rows streamed (rows past the checkpoints have
        # their MACs checked): judge by the head as it is now; a head that has moved past
        # the streamed rows is consistent with them.
        head_seq, head_hash = store.head()
        if head_seq > size:
            head_seq, head_hash = size, walk.last_hash.decode()
    if head_seq > size:
        walk.log.add("TRUNCATED", size + 1, f"head row records {head_seq} events", head_seq)
    elif head_seq < size:
        walk.log.add("FORGED", head_seq + 1, "events beyond the head row", size)
    elif size and head_hash != walk.last_hash.decode():
        walk.log.add("MODIFIED", size, "head row hash differs from the last event")
    anchored = max(
        [
            cp.size or 0
            for cp, where in checkpoints
            if check_checkpoint(cp, trusted_key, walk, size, where)
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
        head_hash=walk.last_hash.decode() if size else None,
        key_id=store.keys.key_id,
        checkpoints=[cp for cp, _ in checkpoints],
        anchored=anchored,
        findings=walk.log.sorted(),
    )
