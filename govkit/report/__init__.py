"""Run reports: the JSON model and the self-contained HTML page for stewards."""

from govkit.report.html import render_html
from govkit.report.model import RunReport
from govkit.report.write import write_reports

__all__ = ["RunReport", "render_html", "write_reports"]
