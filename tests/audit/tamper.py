"""Tampering helpers: what an attacker with SQL access does to the tables."""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa

from govkit.audit import chain as ch
from govkit.audit.store import AuditStore


def rows(store: AuditStore) -> list[sa.Row[tuple[object, ...]]]:
    ev = store.tables.events
    with store.engine.connect() as conn:
        return list(conn.execute(sa.select(ev).order_by(ev.c.seq)).all())


def execute(store: AuditStore, stmt: sa.Executable) -> None:
    with store.engine.begin() as conn:
        conn.execute(stmt)


def edit_field(store: AuditStore, seq: int) -> None:
    ev = store.tables.events
    row = next(r for r in rows(store) if r.seq == seq)
    body = json.loads(row.body)
    body["outcome"] = "success" if body["outcome"] != "success" else "failure"
    execute(store, sa.update(ev).where(ev.c.seq == seq).values(body=json.dumps(body)))


def edit_column(store: AuditStore, seq: int) -> None:
    ev = store.tables.events
    execute(store, sa.update(ev).where(ev.c.seq == seq).values(actor="mallory"))


def delete(store: AuditStore, *seqs: int) -> None:
    ev = store.tables.events
    execute(store, sa.delete(ev).where(ev.c.seq.in_(seqs)))


def delete_tail(store: AuditStore, keep: int, *, fix_head: bool) -> None:
    ev, heads = store.tables.events, store.tables.heads
    execute(store, sa.delete(ev).where(ev.c.seq > keep))
    if fix_head:
        last = next(r for r in rows(store) if r.seq == keep)
        execute(store, sa.update(heads).values(seq=keep, hash=last.hash))


def swap(store: AuditStore, a: int, b: int) -> None:
    ev = store.tables.events
    with store.engine.begin() as conn:
        conn.execute(sa.update(ev).where(ev.c.seq == a).values(seq=-1))
        conn.execute(sa.update(ev).where(ev.c.seq == b).values(seq=a))
        conn.execute(sa.update(ev).where(ev.c.seq == -1).values(seq=b))


def forge_append(store: AuditStore, *, fix_head: bool, key_id: str | None = None) -> None:
    """Append a row computed with the public algorithm but without the audit key."""
    ev, heads = store.tables.events, store.tables.heads
    last = rows(store)[-1]
    event = json.loads(last.body)
    event["action"] = "reveal"
    body = json.dumps(event, sort_keys=True, separators=(",", ":"))
    proj = ch.project(event)
    digest = ch.row_hash(last.hash, body, [proj[n] for n in ch.PROJECTION])
    fake_mac = hashlib.sha256(digest.encode()).hexdigest()
    execute(
        store,
        sa.insert(ev).values(
            chain_id=last.chain_id,
            seq=last.seq + 1,
            **proj,
            body=body,
            prev_hash=last.hash,
            hash=digest,
            mac=fake_mac,
            key_id=key_id or last.key_id,
        ),
    )
    if fix_head:
        execute(store, sa.update(heads).values(seq=last.seq + 1, hash=digest))


def rewrite_and_rehash(store: AuditStore, seq: int) -> None:
    """Edit a row and recompute its plain hash (the MAC cannot be recomputed without the key)."""
    ev = store.tables.events
    row = next(r for r in rows(store) if r.seq == seq)
    event = json.loads(row.body)
    event["outcome"] = "denied"
    body = json.dumps(event, sort_keys=True, separators=(",", ":"))
    proj = ch.project(event)
    digest = ch.row_hash(row.prev_hash, body, [proj[n] for n in ch.PROJECTION])
    execute(store, sa.update(ev).where(ev.c.seq == seq).values(body=body, **proj, hash=digest))


def delete_and_renumber(store: AuditStore, seq: int) -> None:
    """Delete a row and close the gap (shift later seqs down, fix the head row)."""
    ev, heads = store.tables.events, store.tables.heads
    delete(store, seq)
    later = [r.seq for r in rows(store) if r.seq > seq]
    for old in later:
        execute(store, sa.update(ev).where(ev.c.seq == old).values(seq=old - 1))
    last = rows(store)[-1]
    execute(store, sa.update(heads).values(seq=last.seq, hash=last.hash))


def rehash_tail(store: AuditStore, start: int, keep: int) -> None:
    """Delete events after ``keep`` and rewrite ``start``..``keep``, relinking each plain hash."""
    ev, heads = store.tables.events, store.tables.heads
    execute(store, sa.delete(ev).where(ev.c.seq > keep))
    prev = next(r for r in rows(store) if r.seq == start).prev_hash
    for row in [r for r in rows(store) if start <= r.seq <= keep]:
        event = json.loads(row.body)
        event["outcome"] = "denied"
        body = json.dumps(event, sort_keys=True, separators=(",", ":"))
        proj = ch.project(event)
        digest = ch.row_hash(prev, body, [proj[n] for n in ch.PROJECTION])
        values = {"body": body, **proj, "prev_hash": prev, "hash": digest}
        execute(store, sa.update(ev).where(ev.c.seq == row.seq).values(**values))
        prev = digest
    execute(store, sa.update(heads).values(seq=keep, hash=prev))
