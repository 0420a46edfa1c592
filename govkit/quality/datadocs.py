"""A small static HTML report of a validation, rendered from the redacted result.

GX Data Docs pull JS/CSS from public CDNs and show whatever GX returned; govkit
renders its own page instead: one self-contained file, inline CSS, no scripts,
no external references, and nothing but what :class:`QualityResult` holds
(rule ids, columns, counts) — so it cannot carry a value from the data.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from govkit._files import write_text_atomic
from govkit.errors import DatasetError
from govkit.quality.models import QualityResult

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;
margin:2rem;color:#1d2330}
h1{font-size:1.3rem;margin:0 0 .3rem}
p.meta{color:#5b6475;margin:0 0 1rem}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #e3e6ec;padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:#f5f6f9;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#1a7f37;font-weight:600}.fail{color:#c62828;font-weight:600}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:.6rem;color:#fff}
.badge.pass{background:#1a7f37}.badge.fail{background:#c62828}
"""


def render_html(result: QualityResult) -> str:
    """Return the report page as a string."""
    esc = html.escape
    stats = result.statistics
    verdict = "pass" if result.success else "fail"
    rows = []
    for r in result.results:
        status = "pass" if r.success else "fail"
        pct = "" if r.unexpected_percent is None else f"{r.unexpected_percent:.2f} %"
        rows.append(
            "<tr>"
            f"<td>{esc(r.rule_id)}</td>"
            f"<td>{esc(', '.join(r.columns))}</td>"
            f"<td>{esc(r.description or r.type)}</td>"
            f'<td class="{status}">{status.upper()}</td>'
            f'<td class="n">{"" if r.unexpected_count is None else r.unexpected_count}</td>'
            f'<td class="n">{pct}</td>'
            f'<td class="n">{"" if r.element_count is None else r.element_count}</td>'
            "</tr>"
        )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>govkit validate: {esc(result.suite)}</title><style>{_CSS}</style></head><body>"
        f"<h1>Suite {esc(result.suite)} "
        f'<span class="badge {verdict}">{verdict.upper()}</span></h1>'
        f'<p class="meta">Dataset {esc(result.dataset)} · suite file {esc(result.suite_file)} · '
        f"{stats.successful_expectations} of {stats.evaluated_expectations} expectations passed. "
        "Counts only: govkit never shows values from the data.</p>"
        "<table><thead><tr><th>rule</th><th>column</th><th>check</th><th>result</th>"
        "<th>unexpected</th><th>%</th><th>rows checked</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></body></html>\n"
    )


def write_data_docs(result: QualityResult, directory: Path) -> Path:
    """Write ``<directory>/<suite>.html`` atomically and return its path.

    Raises:
        DatasetError: the directory cannot be created or written.
    """
    target = directory / (re.sub(r"[^\w.-]", "_", result.suite) + ".html")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_text_atomic(target, render_html(result))
    except OSError as exc:
        raise DatasetError(f"{directory}: cannot write Data Docs ({exc.strerror})") from exc
    return target
