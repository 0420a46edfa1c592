"""The steward report: one self-contained HTML page (inline CSS and SVG, works offline).

Every value shown comes from the :class:`RunReport` model — names, counts, tiers,
views and hashes — and is HTML-escaped; the page loads nothing from anywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape

from govkit._style import CSS
from govkit.report.model import DatasetReport, OutputReport, RunReport
from govkit.report.svg import TIER_COLOURS, VIEW_COLOURS, bar_chart, legend_svg, stacked_bar


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _e(value: object) -> str:
    return "" if value is None else escape(str(value))


def _card(value: object, label: str, ident: str) -> str:
    return f'<div class="card" id="{ident}"><b>{_e(value)}</b><span>{escape(label)}</span></div>'


def _summary(report: RunReport) -> str:
    tiers: Counter[str] = Counter()
    detections = 0
    passed = failed = 0
    for ds in report.datasets:
        tiers.update(ds.tiers)
        detections += sum(ds.detections.values())
        if ds.quality:
            passed += ds.quality.statistics.successful_expectations
            failed += ds.quality.statistics.unsuccessful_expectations
    published = sum(o.rows_out or 0 for o in report.outputs if o.published)
    filtered = sum(o.rows_filtered or 0 for o in report.outputs)
    events = report.audit.events if report.audit else 0
    cards = [
        _card(len(report.datasets), "datasets", "sum-datasets"),
        _card(tiers["high"], "high-tier columns", "sum-high"),
        _card(tiers["medium"], "medium-tier columns", "sum-medium"),
        _card(detections, "values with personal data (scanned rows)", "sum-detections"),
        _card(f"{passed}/{passed + failed}", "expectations passed", "sum-quality"),
        _card(len(report.outputs), "outputs", "sum-outputs"),
        _card(published, "rows published", "sum-published"),
        _card(filtered, "rows filtered", "sum-filtered"),
        _card(events, "audit events", "sum-events"),
    ]
    return f'<div class="cards">{"".join(cards)}</div>'


def _entities(kind: str, entity: str | None, found: list[str]) -> str:
    """Free text lists every entity found in it (a comment holds names and phones alike)."""
    if kind == "free_text" and found:
        main = [entity] if entity in found else []
        return ", ".join(main + [e for e in found if e != entity])
    return entity or ", ".join(found) or "—"


def _dataset(ds: DatasetReport) -> str:
    parts = [f'<section id="dataset-{_e(ds.name)}"><h2>Dataset {_e(ds.name)}</h2>']
    where = _e(ds.uri) + (f" table <code>{_e(ds.table)}</code>" if ds.table else "")
    scanned = "" if ds.rows_scanned is None else f" · scanned <b>{_e(ds.rows_scanned)}</b>"
    parts.append(
        f"<p><code>{where}</code> · rows <b>{_e(ds.rows)}</b>{scanned} · fingerprint <code>{_e(ds.fingerprint)}</code></p>"
    )
    tiers = [(t, ds.tiers.get(t, 0)) for t in ("high", "medium", "low")]
    parts.append("<h3>Columns by sensitivity tier</h3>")
    parts.append(stacked_bar(tiers, TIER_COLOURS, label=f"{ds.name} tiers"))
    rows = [
        [
            _e(c.name),
            _e(_entities(c.kind, c.entity, c.entities)),
            f'<span class="tier-{c.sensitivity}">{c.sensitivity}</span>',
            _e(c.kind),
            _e(c.origin),
            _e(c.detections),
        ]
        for c in ds.columns
    ]
    parts.append(_table(["column", "entity", "tier", "kind", "from", "detections"], rows))
    if ds.detections:
        parts.append("<h3>Detections by entity</h3>")
        parts.append(bar_chart(sorted(ds.detections.items()), label=f"{ds.name} detections"))
    if ds.gate_columns:
        cols = ", ".join(_e(c) for c in ds.gate_columns)
        parts.append(
            f'<p class="bad">PII gate ({_e(ds.pii_gate)}): not covered by the catalog: {cols}</p>'
        )
    parts.append(_quality(ds))
    parts.append("</section>")
    return "".join(parts)


def _quality(ds: DatasetReport) -> str:
    q = ds.quality
    if q is None:
        return "<h3>Quality</h3><p>No expectation suite for this dataset.</p>"
    if q.success:
        verdict = '<span class="ok">passed</span>'
    elif not q.blocking:
        verdict = f'<span class="warn">passed with {len(q.warnings)} warning(s)</span>'
    else:
        verdict = '<span class="bad">failed</span>'
    rows = [
        [
            _e(r.rule_id),
            _e(r.type or ""),
            _e(r.column or ", ".join(r.columns)),
            '<span class="ok">✓</span>'
            if r.success
            else (
                '<span class="warn">✗ warning</span>'
                if r.severity == "warning"
                else '<span class="bad">✗</span>'
            ),
            _e(r.unexpected_count),
            "" if r.unexpected_percent is None else f"{r.unexpected_percent:.2f}%",
        ]
        for r in q.results
    ]
    return (
        f"<h3>Quality — suite <code>{_e(q.suite)}</code>: {verdict} "
        f"({q.statistics.successful_expectations} of {q.statistics.evaluated_expectations} "
        "expectations)</h3>"
        + _table(["rule", "expectation", "column", "ok", "unexpected", "unexpected %"], rows)
    )


VIEW_ORDER = ("raw", "masked", "tokenized", "generalized", "deny")


def _overview(report: RunReport) -> str:
    """What each role received: one row per output, its views as a bar."""
    if not report.outputs:
        return ""
    rows = []
    for out in report.outputs:
        views: Counter[str] = Counter(c.view for c in out.columns)
        state = "published" if out.published else ("denied" if not out.allowed else "not published")
        rows.append(
            [
                _e(out.name),
                _e(out.role),
                _e(out.purpose),
                stacked_bar(
                    [(v, views.get(v, 0)) for v in VIEW_ORDER],
                    dict(VIEW_COLOURS),
                    width=200,
                    label=f"{out.name} views",
                    legend=False,
                ),
                _e(out.rows_out),
                _e(out.rows_filtered),
                _e(out.row_filter or "all"),
                _e(state),
            ]
        )
    legend = legend_svg(VIEW_ORDER, dict(VIEW_COLOURS), label="views")
    return (
        '<section id="overview"><h2>What each role received</h2>'
        + _table(
            [
                "output",
                "role",
                "purpose",
                "columns by view",
                "rows out",
                "filtered",
                "rows allowed",
                "",
            ],
            rows,
        )
        + legend
        + "</section>"
    )


def _output(out: OutputReport) -> str:
    views: Counter[str] = Counter(c.view for c in out.columns)
    state = "published" if out.published else ("denied" if not out.allowed else "not published")
    dest = _e(out.destination) + (f" table {_e(out.table)}" if out.table else "")
    parts = [
        f'<section id="output-{_e(out.name)}"><h2>Output {_e(out.name)}</h2>',
        f"<p>role <b>{_e(out.role)}</b> · purpose <b>{_e(out.purpose)}</b> · from "
        f"<b>{_e(out.source)}</b> → <code>{dest}</code> · <b>{state}</b></p>",
        f"<p>rows in <b>{_e(out.rows_in)}</b> · rows out <b>{_e(out.rows_out)}</b> · "
        f"rows filtered <b>{_e(out.rows_filtered)}</b> · rows allowed: "
        f"<code>{_e(out.row_filter or 'all')}</code></p>",
    ]
    if out.reason:
        parts.append(f"<p>{_e(out.reason)}</p>")
    parts.append(
        stacked_bar([(v, views.get(v, 0)) for v in VIEW_ORDER], dict(VIEW_COLOURS), label="views")
    )
    rows = [
        [_e(c.column), _e(c.view), _e(c.transform or ""), _e(", ".join(c.rule_ids))]
        for c in out.columns
    ]
    parts.append(_table(["column", "view", "transform", "rules"], rows))
    parts.append("</section>")
    return "".join(parts)


def _audit(report: RunReport) -> str:
    if report.audit is None:
        return '<section id="audit"><h2>Audit</h2><p>Nothing was logged.</p></section>'
    cp = report.audit.checkpoint
    rows = [
        ["store", f"<code>{_e(report.audit.store)}</code>"],
        ["events", _e(report.audit.events)],
    ]
    if cp is not None:
        rows += [
            ["chain", f"<code>{_e(cp.chain_id)}</code>"],
            ["size", _e(cp.size)],
            ["head hash", f"<code>{_e(cp.head_hash)}</code>"],
            ["key id", f"<code>{_e(cp.key_id)}</code>"],
            ["signature", f"<code>{_e(cp.signature)}</code>"],
        ]
    return f'<section id="audit"><h2>Audit checkpoint</h2>{_table(["", ""], rows)}</section>'


def _took(report: RunReport) -> str:
    if not report.timings:
        return ""
    slowest = max(report.timings, key=report.timings.__getitem__)
    return f" · took {sum(report.timings.values()):.1f} s (most in {_e(slowest)})"


def render_html(report: RunReport) -> str:
    """Render a run report as one self-contained HTML page."""
    error = ""
    if report.error is not None:
        error = (
            f'<section id="error"><h2>Nothing was published</h2><p class="bad">'
            f"{_e(report.error.stage)}: {_e(report.error.message)} (exit {report.error.exit_code})</p></section>"
        )
    body = "".join(
        [
            _summary(report),
            error,
            _overview(report),
            *(_dataset(ds) for ds in report.datasets),
            *(_output(o) for o in report.outputs),
            _audit(report),
        ]
    )
    title = f"govkit run {report.name}"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{_e(title)} "
        f'<span class="status status-{report.status}" id="run-status">{report.status}</span></h1>'
        f"<p>run <code>{_e(report.run_id)}</code> · {_e(report.started_at)} · actor {_e(report.actor)} "
        f"· govkit {_e(report.govkit_version)}{_took(report)}</p></header><main>{body}</main></body></html>\n"
    )
