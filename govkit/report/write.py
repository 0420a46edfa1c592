"""Write a run report as JSON and HTML (atomically, beside ``latest.*`` copies)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from govkit._files import write_text_atomic
from govkit.errors import OperationalError
from govkit.report.html import render_html
from govkit.report.model import RunReport


def prepare_report_dir(directory: str | Path) -> Path:
    """Create the reports directory and check a file can be written there.

    A run calls this before it publishes, so a report that could not be written
    afterwards does not turn a published run into an error.

    Raises:
        OperationalError: the directory cannot be created or written.
    """
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OperationalError(f"{folder}: cannot write the run report ({exc.strerror})") from exc
    return folder


def render_reports(
    report: RunReport, directory: str | Path, *, html: bool = True
) -> tuple[RunReport, dict[Path, str]]:
    """The report files to write: ``<run id>.json`` (and ``.html``) plus ``latest.*``."""
    folder = Path(directory)
    json_path = folder / f"{report.run_id}.json"
    html_path = folder / f"{report.run_id}.html"
    report = report.model_copy(
        update={"report_json": str(json_path), "report_html": str(html_path) if html else None}
    )
    text = report.model_dump_json(indent=2) + "\n"
    files = {json_path: text, folder / "latest.json": text}
    if html:
        page = render_html(report)
        files.update({html_path: page, folder / "latest.html": page})
    return report, files


def write_reports(report: RunReport, directory: str | Path, *, html: bool = True) -> RunReport:
    """Write ``<run id>.json`` (and ``.html``) plus ``latest.json``/``latest.html``.

    Returns:
        The report with ``report_json``/``report_html`` set to the written paths.

    Raises:
        OperationalError: the directory cannot be written.
    """
    folder = Path(directory)
    report, files = render_reports(report, folder, html=html)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in files.items():
            write_text_atomic(path, text)
    except OSError as exc:
        raise OperationalError(f"{folder}: cannot write the run report ({exc.strerror})") from exc
    return report
