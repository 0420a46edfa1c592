"""Reading events back: filters for auditors (time range, actor, role, action, dataset, outcome).

Rows are filtered in SQL on the projection columns; what is returned is the
stored event body (the hashed source of truth), with ``seq`` and ``hash``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from govkit.audit.events import format_ts
from govkit.audit.identity import canonical_dataset
from govkit.errors import AuditError, UsageError

if TYPE_CHECKING:
    from govkit.audit.store import AuditStore

_RELATIVE = re.compile(r"^(\d+)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_time(text: str, *, now: dt.datetime | None = None) -> str:
    """Parse ``7d``/``12h``/``30m`` (ago), an ISO date or datetime (naive = UTC) into stored form.

    Raises:
        UsageError: not a time.
    """
    now = now or dt.datetime.now(dt.UTC)
    match = _RELATIVE.match(text.strip())
    if match:
        return format_ts(now - dt.timedelta(**{_UNITS[match[2]]: int(match[1])}))
    try:
        when = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise UsageError(
            f"{text!r} is not a time: use an ISO date/datetime (UTC) or 30m, 12h, 7d, 2w"
        ) from exc
    return format_ts(when)


class AuditQuery(BaseModel):
    """Filters; each given one must match (``since`` inclusive, ``until`` exclusive)."""

    model_config = ConfigDict(extra="forbid")

    since: str | None = None
    until: str | None = None
    actor: str | None = None
    role: str | None = None
    action: str | None = None
    dataset: str | None = None
    """A dataset however spelt (``./f.csv`` = ``/abs/f.csv``; a URL matches its tables),
    or a prefix ending in ``*``."""
    outcome: str | None = None
    limit: int | None = None


class AuditRecord(BaseModel):
    """One stored event with its place in the chain."""

    model_config = ConfigDict(extra="forbid")

    seq: int
    hash: str
    event: dict[str, Any] = Field(default_factory=dict)


def filter_clauses(store: AuditStore, q: AuditQuery) -> list[sa.ColumnElement[bool]]:
    """Return the SQL conditions for a query on the store's chain."""
    ev = store.tables.events
    clauses: list[sa.ColumnElement[bool]] = [ev.c.chain_id == store.chain_id]
    if q.since:
        clauses.append(ev.c.ts >= parse_time(q.since))
    if q.until:
        clauses.append(ev.c.ts < parse_time(q.until))
    for name in ("actor", "role", "action", "outcome"):
        value = getattr(q, name)
        if value is not None:
            clauses.append(ev.c[name] == value)
    if q.dataset is not None:
        if q.dataset.endswith("*"):
            stem = q.dataset[:-1]
            given = canonical_dataset(stem) + ("/" if stem.endswith("/") else "") if stem else ""
            clauses.append(ev.c.dataset.like(_like_escape(given) + "%", escape="\\"))
        else:  # one identity however it is spelt; a database URL also matches its tables
            given = canonical_dataset(q.dataset)
            clauses.append(
                sa.or_(
                    ev.c.dataset == given,
                    ev.c.dataset.like(_like_escape(given) + "#%", escape="\\"),
                )
            )
    return clauses


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def query_store(store: AuditStore, q: AuditQuery) -> Iterator[AuditRecord]:
    """Yield matching events in chain order.

    Raises:
        AuditError: the store cannot be read or a body is not JSON.
        UsageError: a time filter is not a time.
    """
    ev = store.tables.events
    stmt = (
        sa.select(ev.c.seq, ev.c.hash, ev.c.body)
        .where(*filter_clauses(store, q))
        .order_by(ev.c.seq)
    )
    if q.limit is not None:
        stmt = stmt.limit(q.limit)
    try:
        with store.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=5000).execute(stmt)
            for seq, digest, body in result:
                try:
                    event = json.loads(str(body))
                except ValueError as exc:
                    raise AuditError(f"{store.url}: event {seq} is not valid JSON") from exc
                yield AuditRecord(seq=int(str(seq)), hash=str(digest), event=event)
    except sa.exc.SQLAlchemyError as exc:
        raise AuditError(f"{store.url}: cannot query the audit log ({type(exc).__name__})") from exc
