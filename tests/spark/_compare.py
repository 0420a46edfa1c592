"""Helpers of the equivalence tests: twin projects, outputs as sorted rows, audit sequences."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import yaml

from govkit.audit.api import query_log
from govkit.audit.query import AuditQuery
from govkit.pipeline.context import pipeline_governor
from govkit.pipeline.model import load_pipeline
from tests.pipeline._project import make_project

GRANTED = ["id_number", "bank_card"]  # data_steward / security_incident sees them raw
REFUSED = [  # roles whose view of those columns is not raw: (columns, role, purpose)
    (GRANTED, "analyst", "analytics"),
    (["id_number"], "customer_service", "customer_service"),
    (["bank_card"], "marketing", "marketing"),
    (["bank_card"], "data_steward", "data_quality"),  # a steward, but not for incidents
]


ENCRYPTING_VIEWS = {
    "raw": "keep",
    "tokenized": "encrypt",
    "masked": "mask",
    "generalized": "generalize",
    "deny": "drop",
}
"""Views with AES-GCM for tokenized columns: outputs differ per run, decrypt the same."""


def twin_projects(root: Path, *, encrypt: bool = False, **changes: Any) -> tuple[Path, Path]:
    """The scaffolded sample project twice (same keys): for the local and the Spark engine."""
    local = make_project(root / "local" / "p", **changes)  # same directory name: same pipeline name
    if encrypt:
        rules = local.parent / "policies" / "protection.yaml"
        data = yaml.safe_load(rules.read_text(encoding="utf-8"))
        data["views"] = ENCRYPTING_VIEWS
        rules.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.copytree(root / "local" / "p", root / "spark" / "p")
    return local, root / "spark" / "p" / "pipeline.yaml"


def _csv(path: Path) -> pa.Table:
    names = pacsv.read_csv(
        path, parse_options=pacsv.ParseOptions(newlines_in_values=True)
    ).column_names
    return pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


def read_output(path: Path) -> pa.Table:
    """A published output: one file (local engine) or a directory of part files (Spark)."""
    if path.suffix == ".parquet":
        if path.is_dir():
            return pads.dataset(str(path), format="parquet", exclude_invalid_files=True).to_table()
        return pq.read_table(path)
    parts = sorted(path.glob("part-*")) if path.is_dir() else [path]
    assert parts, f"{path}: no data files"
    return pa.concat_tables([_csv(p) for p in parts])


def sorted_rows(table: pa.Table) -> list[tuple[Any, ...]]:
    """Rows as tuples in a canonical order (Spark's part files have no row order)."""
    columns = [table.column(n).to_pylist() for n in table.column_names]
    return sorted(zip(*columns, strict=True), key=repr)


def published_outputs(pipeline: Path) -> dict[str, Path]:
    """Output name → published path."""
    model = load_pipeline(pipeline)
    return {o.name: Path(model.path(o.uri)) for o in model.outputs}


VOLATILE = {"run_id", "engine", "spark_version", "spark_master", "spark_app_id", "file"}


def audit_sequence(pipeline: Path) -> list[dict[str, Any]]:
    """The chain's events without ids, times, engine facts, and with the project root cut."""
    model = load_pipeline(pipeline)
    settings = pipeline_governor(model, None).settings
    root = str(pipeline.parent.resolve())
    out = []
    for record in query_log(settings, AuditQuery()):
        event = {
            k: v for k, v in record.event.items() if k not in ("id", "ts", "actor", "event_id")
        }
        event["details"] = {
            k: v for k, v in (event.get("details") or {}).items() if k not in VOLATILE
        }
        out.append(_cut(event, root))
    starts = [i for i, e in enumerate(out) if e["action"] == "run.start"]
    assert starts, f"{pipeline}: no run in the audit log"
    return out[starts[-1] :]  # the last run (the scaffold's own events came with the copy)


def _cut(value: Any, root: str) -> Any:
    if isinstance(value, str):
        return value.replace(root, "<root>")
    if isinstance(value, dict):
        return {k: _cut(v, root) for k, v in value.items()}
    if isinstance(value, list):
        return [_cut(v, root) for v in value]
    return value


def modes(path: Path) -> set[tuple[str, int]]:
    """(kind, permission bits) of ``path`` and everything under it."""
    found = {("dir" if path.is_dir() else "file", stat.S_IMODE(path.stat().st_mode))}
    if path.is_dir():
        for item in path.rglob("*"):
            found.add(("dir" if item.is_dir() else "file", stat.S_IMODE(item.stat().st_mode)))
    return found
