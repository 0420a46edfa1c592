"""The period summary behind ``govkit audit report``: who did what to which data, from the log."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from govkit.audit.events import utc_now
from govkit.audit.findings import VerifyResult
from govkit.audit.identity import same_dataset
from govkit.audit.query import AuditQuery, parse_time, query_store

if TYPE_CHECKING:
    from govkit.audit.store import AuditStore


class EventLine(BaseModel):
    """One event as the report lists it (names and counts only)."""

    model_config = ConfigDict(extra="forbid")

    seq: int
    ts: str
    actor: str | None = None
    role: str | None = None
    action: str
    outcome: str
    dataset: str | None = None
    columns: list[str] = Field(default_factory=list)
    purpose: str | None = None
    reason: str | None = None


class ActorLine(BaseModel):
    """Activity of one actor in the period."""

    model_config = ConfigDict(extra="forbid")

    actor: str
    roles: list[str] = Field(default_factory=list)
    events: int = 0
    actions: dict[str, int] = Field(default_factory=dict)


class PurposeLine(BaseModel):
    """Use of the data under one declared purpose in the period."""

    model_config = ConfigDict(extra="forbid")

    purpose: str
    roles: list[str] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list)
    events: int = 0
    datasets: list[str] = Field(default_factory=list)
    denied: int = 0


class PeriodReport(BaseModel):
    """What happened between ``since`` and ``until`` (JSON schema in docs/audit.md)."""

    model_config = ConfigDict(extra="forbid")

    store: str
    since: str | None
    until: str | None
    generated_at: str
    events: int = 0
    outcomes: dict[str, int] = Field(default_factory=dict)
    actions: dict[str, dict[str, int]] = Field(default_factory=dict)
    actors: list[ActorLine] = Field(default_factory=list)
    purposes: list[PurposeLine] = Field(default_factory=list)
    high_tier_datasets: list[str] = Field(default_factory=list)
    high_tier_access: list[EventLine] = Field(default_factory=list)
    denials: list[EventLine] = Field(default_factory=list)
    reveals: list[EventLine] = Field(default_factory=list)
    failures: list[EventLine] = Field(default_factory=list)
    verification: VerifyResult | None = None


def _line(seq: int, ev: dict[str, Any]) -> EventLine:
    return EventLine(
        seq=seq,
        ts=str(ev.get("ts", "")),
        actor=ev.get("actor"),
        role=ev.get("role"),
        action=str(ev.get("action", "")),
        outcome=str(ev.get("outcome", "")),
        dataset=ev.get("dataset"),
        columns=list(ev.get("columns") or []),
        purpose=ev.get("purpose"),
        reason=ev.get("reason"),
    )


def _is_high_scan(ev: dict[str, Any]) -> bool:
    counts = ev.get("counts") or {}
    # ``tier_high``: scan events that `govkit run` wrote before the one event schema
    # (wave 1). Logs are never rewritten, so they are still read: fail closed.
    high = counts.get("high", 0) or counts.get("tier_high", 0)
    return ev.get("action") == "scan" and high > 0


def _count_purpose(purposes: dict[str, PurposeLine], ev: dict[str, Any], outcome: str) -> None:
    name = str(ev["purpose"])
    line = purposes.setdefault(name, PurposeLine(purpose=name))
    line.events += 1
    line.denied += outcome == "denied"
    for value, bucket in ((ev.get("role"), line.roles), (ev.get("actor"), line.actors),
                          (ev.get("dataset"), line.datasets)):  # fmt: skip
        if value and str(value) not in bucket:
            bucket.append(str(value))


def build_period_report(
    store: AuditStore, *, since: str | None, until: str | None, verify: bool = True
) -> PeriodReport:
    """Summarise the period from the log (and verify the whole chain when ``verify``).

    A dataset counts as high-tier when any ``scan`` event up to ``until`` found
    high-tier columns in it; every event on such a dataset (by its canonical
    identity, a table of a scanned database, or the scanned file's fingerprint),
    and every ``reveal``, is listed under high-tier access.

    Raises:
        AuditError: the store cannot be read.
        UsageError: ``since``/``until`` is not a time.
    """
    since_ts = parse_time(since) if since else None
    until_ts = parse_time(until) if until else None
    high: set[str] = set()
    prints: set[str] = set()  # fingerprints of high-tier files: a copy or another name still counts
    for r in query_store(store, AuditQuery(until=until_ts, action="scan")):
        if r.event.get("dataset") and _is_high_scan(r.event):
            high.add(str(r.event["dataset"]))
            if r.event.get("fingerprint"):
                prints.add(str(r.event["fingerprint"]))
    report = PeriodReport(
        store=store.url, since=since_ts, until=until_ts, generated_at=utc_now(),
        high_tier_datasets=sorted(high),
    )  # fmt: skip
    outcomes: Counter[str] = Counter()
    actors: dict[str, ActorLine] = {}
    purposes: dict[str, PurposeLine] = {}
    for rec in query_store(store, AuditQuery(since=since_ts, until=until_ts)):
        ev = rec.event
        action, outcome = str(ev.get("action")), str(ev.get("outcome"))
        report.events += 1
        outcomes[outcome] += 1
        per = report.actions.setdefault(action, {})
        per[outcome] = per.get(outcome, 0) + 1
        who = actors.setdefault(str(ev.get("actor")), ActorLine(actor=str(ev.get("actor"))))
        who.events += 1
        who.actions[action] = who.actions.get(action, 0) + 1
        if ev.get("role") and ev["role"] not in who.roles:
            who.roles.append(str(ev["role"]))
        if ev.get("purpose"):
            _count_purpose(purposes, ev, outcome)
        line = _line(rec.seq, ev)
        touches_high = same_dataset(ev.get("dataset"), high) or (
            ev.get("fingerprint") is not None and ev.get("fingerprint") in prints
        )
        if action == "reveal" or (touches_high and action != "scan"):
            report.high_tier_access.append(line)
        if action == "reveal":
            report.reveals.append(line)
        if outcome == "denied":
            report.denials.append(line)
        elif outcome == "failure":
            report.failures.append(line)
    report.purposes = sorted(purposes.values(), key=lambda p: (-p.events, p.purpose))
    report.outcomes = dict(outcomes)
    report.actors = sorted(actors.values(), key=lambda a: (-a.events, a.actor))
    if verify:
        report.verification = store.verify()
    return report
