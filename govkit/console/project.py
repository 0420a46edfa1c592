"""The project files the console reads: run reports, the catalog, optional scan reports."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from govkit.catalog import Catalog, load_catalog
from govkit.detect.report import ColumnScan, ScanReport
from govkit.errors import ConfigError
from govkit.report.model import RunReport

RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def list_runs(reports_dir: Path | None, limit: int = 200) -> list[RunReport]:
    """Run reports of the reports folder, newest first (unreadable files are skipped)."""
    if reports_dir is None or not reports_dir.is_dir():
        return []
    found: list[RunReport] = []
    for path in sorted(reports_dir.glob("*.json"), reverse=True):
        if path.name == "latest.json" or not RUN_ID.match(path.stem):
            continue
        try:
            found.append(RunReport.model_validate_json(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
        if len(found) >= limit:
            break
    found.sort(key=lambda r: r.started_at, reverse=True)
    return found


def find_run(reports_dir: Path | None, run_id: str) -> RunReport | None:
    """One run's report by id (only names of the folder's own files are accepted)."""
    if reports_dir is None or not RUN_ID.match(run_id) or run_id == "latest":
        return None
    path = reports_dir / f"{run_id}.json"
    try:
        return RunReport.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def run_html(report: RunReport) -> str:
    """The run's steward report page, rendered afresh from its JSON (the same renderer)."""
    from govkit.report.html import render_html

    return render_html(report)


@dataclass(frozen=True)
class OutputHistory:
    """One output's runs, newest first: (run id, started, status, published, rows out)."""

    name: str
    runs: list[tuple[str, str, str, bool, int | None]]


def output_history(runs: list[RunReport]) -> list[OutputHistory]:
    """Per output name, its appearances across runs."""
    by_name: dict[str, list[tuple[str, str, str, bool, int | None]]] = {}
    for run in runs:
        for out in run.outputs:
            by_name.setdefault(out.name, []).append(
                (run.run_id, run.started_at, run.status, out.published, out.rows_out)
            )
    return [OutputHistory(name, by_name[name]) for name in sorted(by_name)]


def read_catalog(path: Path | None) -> Catalog:
    """The project's catalog (empty when none is configured).

    Raises:
        ConfigError: the file is not a catalog.
    """
    return load_catalog(path) if path is not None else Catalog()


def scan_columns(paths: list[Path]) -> dict[str, dict[str, ColumnScan]]:
    """Dataset name → column → scan result, from ``govkit scan --format json`` files.

    Raises:
        ConfigError: a file is not a scan report.
    """
    found: dict[str, dict[str, ColumnScan]] = {}
    for path in paths:
        try:
            report = ScanReport.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"{path}: not a govkit scan report (govkit scan --format json)"
            ) from exc
        for ds in report.datasets:
            found[ds.name] = {c.name: c for c in ds.columns}
    return found
