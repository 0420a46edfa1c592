"""The period report as one self-contained HTML page (inline CSS, no scripts, nothing loaded)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from pathlib import Path

from govkit._style import CSS
from govkit.audit.checkpoints import write_text_atomic
from govkit.audit.findings import VerifyResult
from govkit.audit.period import EventLine, PeriodReport
from govkit.errors import AuditError, OutputExistsError


def _e(value: object) -> str:
    return "" if value is None else escape(str(value))


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]], empty: str) -> str:
    if not rows:
        return f'<p class="empty">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _events(lines: Sequence[EventLine], empty: str, *, reason: bool = False) -> str:
    headers = ["seq", "time (UTC)", "actor", "role", "purpose", "action", "outcome", "dataset",
               "columns"]  # fmt: skip
    rows: list[list[object]] = []
    for ln in lines:
        row: list[object] = [ln.seq, ln.ts, ln.actor, ln.role, ln.purpose, ln.action, ln.outcome,
                             ln.dataset]  # fmt: skip
        row.append(", ".join(ln.columns))
        if reason:
            row.append(ln.reason)
        rows.append(row)
    return _table(headers + (["reason"] if reason else []), rows, empty)


def _verification(result: VerifyResult | None) -> str:
    if result is None:
        return '<p class="warn">Not verified (--no-verify).</p>'
    verdict = (
        '<p class="ok" id="verdict">Chain verified: no integrity findings.</p>'
        if result.ok
        else f'<p class="bad" id="verdict">Integrity findings: {result.errors}.</p>'
    )
    facts = (
        f"<p>{result.events} events verified; {result.anchored} covered by a signed checkpoint; "
        f"chain <code>{_e(result.chain_id)}</code>, head <code>{_e(result.head_hash)}</code>, "
        f"signing key <code>{_e(result.key_id)}</code>.</p>"
    )
    rows = [
        [f.kind, f.seq if f.seq == f.seq_end else f"{f.seq}-{f.seq_end}", f.severity, f.message]
        for f in result.findings
    ]
    return verdict + facts + _table(["finding", "seq", "severity", "message"], rows, "No findings.")


def render_period_html(report: PeriodReport) -> str:
    """Return the HTML page of a period report (every value escaped)."""
    period = f"{report.since or 'beginning'} – {report.until or report.generated_at}"
    cards = "".join(
        f'<div class="card" id="card-{key}"><b>{value}</b><span>{label}</span></div>'
        for key, value, label in (
            ("events", report.events, "events"),
            ("actors", len(report.actors), "actors"),
            ("denied", len(report.denials), "denials"),
            ("reveals", len(report.reveals), "reveals"),
            ("failures", len(report.failures), "failures"),
        )
    )
    actions = _table(
        ["action", "success", "failure", "denied"],
        [[a, c.get("success", 0), c.get("failure", 0), c.get("denied", 0)]
         for a, c in sorted(report.actions.items())],
        "No events in this period.",
    )  # fmt: skip
    actors = _table(
        ["actor", "roles", "events", "actions"],
        [[a.actor, ", ".join(a.roles), a.events,
          ", ".join(f"{k} {v}" for k, v in sorted(a.actions.items()))] for a in report.actors],
        "No actors.",
    )  # fmt: skip
    purposes = _table(
        ["purpose", "events", "denied", "roles", "actors", "datasets"],
        [[p.purpose, p.events, p.denied, ", ".join(p.roles), ", ".join(p.actors),
          ", ".join(p.datasets)] for p in report.purposes],
        "No event named a purpose.",
    )  # fmt: skip
    high = ", ".join(report.high_tier_datasets) or "none found by scans"
    sections = [
        ("verification", "Verification", _verification(report.verification)),
        ("high-tier", "Who touched high-tier data",
         f"<p>High-tier datasets (from scans): {_e(high)}</p>"
         + _events(report.high_tier_access, "No access to high-tier data.")),
        ("denials", "Denials", _events(report.denials, "No denials.", reason=True)),
        ("reveals", "Reveals", _events(report.reveals, "No reveals.", reason=True)),
        ("failures", "Failures", _events(report.failures, "No failures.", reason=True)),
        ("actions", "Events by action", actions),
        ("actors", "Actors", actors),
        ("purposes", "Purposes", purposes),
    ]  # fmt: skip
    body = "".join(f'<section id="{i}"><h2>{t}</h2>{html}</section>' for i, t, html in sections)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>govkit audit report {_e(period)}</title>"
        f"<style>{CSS}.empty{{color:#5a6b7d}}</style></head><body>"
        f"<header><h1>Audit report</h1><p>{_e(period)} · store {_e(report.store)} · "
        f"generated {_e(report.generated_at)}</p></header>"
        f'<main><div class="cards">{cards}</div>{body}</main></body></html>\n'
    )


def write_period_html(
    report: PeriodReport, output: Path, *, overwrite: bool = False, as_json: bool = False
) -> Path:
    """Write the page (or, with ``as_json``, the report as UTF-8 JSON) atomically.

    Raises:
        OutputExistsError: the file exists and ``overwrite`` is false.
        AuditError: it cannot be written.
    """
    if output.exists() and not overwrite:
        raise OutputExistsError(f"{output}: exists; pass --overwrite to replace it")
    try:
        text = (
            json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
            if as_json
            else render_period_html(report)
        )
        write_text_atomic(output, text)
    except OSError as exc:
        raise AuditError(f"{output}: cannot write the report: {exc.strerror}") from exc
    return output
