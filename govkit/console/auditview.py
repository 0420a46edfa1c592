"""The audit page's reads: newest-first keyset paging, a capped count, per-actor summaries.

Every filter is SQL over the store's projection columns (``filter_clauses`` of
``govkit.audit.query``); ``purpose`` is matched in the canonical event body. Pages
are keyset pages on ``seq`` (``seq < before``), so page 20,000 costs what page 1 does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from govkit.audit.canonical import canonical_json
from govkit.audit.query import AuditQuery, AuditRecord, filter_clauses, query_store
from govkit.errors import AuditError

if TYPE_CHECKING:
    from govkit.audit.store import AuditStore

COUNT_CAP = 1_000
FIELDS = ("since", "until", "actor", "role", "action", "dataset", "outcome", "purpose")


@dataclass(frozen=True)
class Filters:
    """The audit page's filters: the CLI's ``AuditQuery`` plus ``purpose``."""

    query: AuditQuery
    purpose: str | None = None
    dataset_like: str | None = None
    """A dataset pattern with ``*`` anywhere but only at the end (``*customers.csv``)."""

    @classmethod
    def from_params(cls, params: dict[str, str]) -> Filters:
        """Filters from form fields (blank fields are no filter)."""
        given = {k: params[k].strip() for k in FIELDS if params.get(k, "").strip()}
        purpose = given.pop("purpose", None)
        like = None
        if "*" in given.get("dataset", "").rstrip("*"):
            like = given.pop("dataset")
        return cls(AuditQuery.model_validate(given), purpose, like)

    def params(self) -> dict[str, str]:
        """The non-blank filters, for links and the form."""
        values = self.query.model_dump(exclude_none=True, exclude={"limit"})
        if self.dataset_like:
            values["dataset"] = self.dataset_like
        if self.purpose:
            values["purpose"] = self.purpose
        return {k: str(v) for k, v in values.items()}


@dataclass(frozen=True)
class Page:
    """One page of events, newest first."""

    records: list[AuditRecord]
    next_before: int | None
    total: int
    """Matches (up to 1,000) on the first page; -1 on later pages (not counted)."""
    capped: bool


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _clauses(store: AuditStore, filters: Filters) -> list[sa.ColumnElement[bool]]:
    ev = store.tables.events
    clauses = filter_clauses(store, filters.query)
    if filters.dataset_like:
        pattern = "%".join(_escape(part) for part in filters.dataset_like.split("*"))
        clauses.append(ev.c.dataset.like(pattern, escape="\\"))
    if filters.purpose:
        needle = _escape('"purpose":' + canonical_json(filters.purpose))
        clauses.append(ev.c.body.like(f"%{needle}%", escape="\\"))
    return clauses


def _python_match(filters: Filters, record: AuditRecord) -> bool:
    """The purpose and dataset-pattern filters, for streamed exports."""
    purpose = str(record.event.get("purpose") or "")
    if filters.purpose and purpose.lower() != filters.purpose.lower():  # as SQL LIKE: no case
        return False
    if filters.dataset_like:
        pattern = "^" + ".*".join(re.escape(p) for p in filters.dataset_like.split("*")) + "$"
        return re.match(pattern, str(record.event.get("dataset") or ""), re.S | re.I) is not None
    return True


def _fail(store: AuditStore, exc: Exception) -> AuditError:
    return AuditError(f"{store.url}: cannot query the audit log ({type(exc).__name__})")


def page(store: AuditStore, filters: Filters, *, before: int | None, size: int) -> Page:
    """Return ``size`` events older than ``before`` (newest first).

    The first page (``before`` None) also counts the matches, up to 1,000; later
    pages do not count (``total`` is -1), so paging deeper costs one page's reads.

    Raises:
        AuditError: the store cannot be read.
        UsageError: a time filter is not a time.
    """
    ev = store.tables.events
    clauses = _clauses(store, filters)
    stmt = sa.select(ev.c.seq, ev.c.hash, ev.c.body).where(*clauses)
    if before is not None:
        stmt = stmt.where(ev.c.seq < before)
    stmt = stmt.order_by(ev.c.seq.desc()).limit(size + 1)
    inner = sa.select(sa.literal(1)).select_from(ev).where(*clauses).limit(COUNT_CAP + 1)
    counted = sa.select(sa.func.count()).select_from(inner.subquery())
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(stmt).all()
            total = -1
            if before is None:  # a short first page is its own count: no second scan
                full = len(rows) > size
                total = int(conn.execute(counted).scalar_one()) if full else len(rows)
    except sa.exc.SQLAlchemyError as exc:
        raise _fail(store, exc) from exc
    records = [
        AuditRecord(seq=int(str(seq)), hash=str(digest), event=json.loads(str(body)))
        for seq, digest, body in rows[:size]
    ]
    more = len(rows) > size
    return Page(
        records=records,
        next_before=records[-1].seq if more and records else None,
        total=min(total, COUNT_CAP),
        capped=total > COUNT_CAP,
    )


def actor_summary(store: AuditStore, filters: Filters, *, limit: int = 200) -> list[dict[str, Any]]:
    """Per actor: events, denials, failures, first and last time, most active first.

    Raises:
        AuditError: the store cannot be read.
    """
    ev = store.tables.events
    stmt = (
        sa.select(
            ev.c.actor,
            sa.func.count().label("events"),
            sa.func.sum(sa.case((ev.c.outcome == "denied", 1), else_=0)).label("denied"),
            sa.func.sum(sa.case((ev.c.outcome == "failure", 1), else_=0)).label("failed"),
            sa.func.min(ev.c.ts).label("first"),
            sa.func.max(ev.c.ts).label("last"),
        )
        .where(*_clauses(store, filters))
        .group_by(ev.c.actor)
        .order_by(sa.desc("events"))
        .limit(limit)
    )
    try:
        with store.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(stmt)]
    except sa.exc.SQLAlchemyError as exc:
        raise _fail(store, exc) from exc


def matching(store: AuditStore, filters: Filters) -> Iterator[AuditRecord]:
    """Every matching event in chain order (for exports), streamed."""
    for record in query_store(store, filters.query):
        if _python_match(filters, record):
            yield record


def last_event(store: AuditStore, action: str) -> AuditRecord | None:
    """The newest event of one action (the dashboard's last verification)."""
    found = page(store, Filters(AuditQuery(action=action)), before=None, size=1)
    return found.records[0] if found.records else None


EXPORT_COLUMNS = (
    "seq", "ts", "actor", "role", "action", "outcome", "dataset", "columns", "purpose",
    "rule_ids", "reason", "counts", "details", "hash",
)  # fmt: skip


def export_row(record: AuditRecord) -> list[str]:
    """One CSV row of an event (lists comma-joined, mappings as JSON)."""
    ev = record.event
    row = [
        record.seq, ev.get("ts"), ev.get("actor"), ev.get("role"), ev.get("action"),
        ev.get("outcome"), ev.get("dataset"), ",".join(ev.get("columns") or []),
        ev.get("purpose"), ",".join(ev.get("rule_ids") or []), ev.get("reason"),
        json.dumps(ev.get("counts") or {}, sort_keys=True, ensure_ascii=False),
        json.dumps(ev.get("details") or {}, sort_keys=True, ensure_ascii=False), record.hash,
    ]  # fmt: skip
    return ["" if v is None else str(v) for v in row]
