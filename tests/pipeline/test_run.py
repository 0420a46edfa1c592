"""`govkit run` end to end on files: publish every output or none, with the contract's exit code."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govkit.errors import (
    AccessDeniedError,
    AuditError,
    DatasetError,
    GovkitError,
    KeyMaterialError,
    PIIFoundError,
    ValidationFailedError,
)
from govkit.pipeline.run import run_pipeline
from tests.conftest import CliResult
from tests.pipeline._project import edit, make_project, output, published

DOWN_DB = "postgresql+psycopg://postgres@127.0.0.1:1/none"

SMALL: dict[str, Any] = {
    "sources": {
        "customers": {"uri": "data/customers.csv"},
        "tickets": {"uri": "data/tickets.csv"},
    },
    "outputs": [
        output(
            "customers_analytics", "customers", "analyst", "analytics", "out/a/customers.parquet"
        ),
        output("customers_marketing", "customers", "marketing", "marketing", "out/m/customers.csv"),
        output(
            "tickets_service",
            "tickets",
            "customer_service",
            "customer_service",
            "out/s/tickets.csv",
        ),
    ],
}


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A scaffolded project trimmed to two sources, three outputs and no suites."""
    return make_project(tmp_path / "p", **SMALL)


def _report(pipeline: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (pipeline.parent / "reports" / "latest.json").read_text(encoding="utf-8")
    )
    return data


def _drop_catalog_column(pipeline: Path) -> None:
    edit(
        pipeline.parent / "catalog.yaml",
        lambda d: d["datasets"]["customers"]["columns"].pop("id_number"),
    )


def _strict_suite(pipeline: Path) -> None:
    edit(pipeline, lambda d: d["sources"]["customers"].update(suite="customers"))


def _denied_output(pipeline: Path) -> None:
    extra = output("tickets_marketing", "tickets", "marketing", "marketing", "out/m/tickets.csv")
    edit(pipeline, lambda d: d["outputs"].append(extra))


def _no_keyring(pipeline: Path) -> None:
    (pipeline.parent / ".govkit" / "keyring").unlink()


def _audit_down(pipeline: Path) -> None:
    edit(pipeline, lambda d: d.update(audit={"url": DOWN_DB}))


def _last_output_unwritable(pipeline: Path) -> None:
    extra = output("tickets_db", "tickets", "analyst", "analytics", DOWN_DB, table="tickets")
    edit(pipeline, lambda d: d["outputs"].append(extra))


FAILURES: list[tuple[str, Callable[[Path], None], type[GovkitError], int, str, str]] = [
    # id, how to break the project, error, exit code, stage, text in the Error line
    (
        "pii",
        _drop_catalog_column,
        PIIFoundError,
        1,
        "scan",
        "not classified in the catalog: id_number",
    ),
    ("expectation", _strict_suite, ValidationFailedError, 1, "validate", "CUST-006"),
    (
        "denied",
        _denied_output,
        AccessDeniedError,
        1,
        "access",
        "output tickets_marketing: role 'marketing'",
    ),
    ("missing-key", _no_keyring, KeyMaterialError, 3, "keys", "no keyring"),
    ("audit-down", _audit_down, AuditError, 3, "audit", "audit open failed"),
    ("last-output", _last_output_unwritable, DatasetError, 3, "protect", "cannot connect"),
]


@pytest.mark.parametrize(
    ("breaks", "error", "code", "stage", "text"),
    [f[1:] for f in FAILURES],
    ids=[f[0] for f in FAILURES],
)
def test_failure_publishes_nothing(
    small: Path,
    cli: Callable[..., CliResult],
    breaks: Callable[[Path], None],
    error: type[GovkitError],
    code: int,
    stage: str,
    text: str,
) -> None:
    breaks(small)
    result = cli("run", str(small), "--format", "json")
    assert result.code == code, result.err
    assert json.loads(result.out)["error"]["type"] == error.__name__
    assert result.err.splitlines()[-1].startswith("Error: ")
    assert text in result.err.splitlines()[-1]
    assert "nothing was published" in result.err
    assert published(small.parent) == {}
    assert not (small.parent / "out").exists()
    report = _report(small)
    assert report["status"] == "failed"
    assert report["error"]["type"] == error.__name__
    assert report["error"]["exit_code"] == code
    assert report["error"]["stage"] == stage
    assert not any(o["published"] for o in report["outputs"])
    with pytest.raises(error):  # the Python API raises the same error
        run_pipeline(small)


def test_run_publishes_and_reports(small: Path, cli: Callable[..., CliResult]) -> None:
    result = cli("--quiet", "run", str(small), "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["status"] == "published"
    assert set(published(small.parent)) == {
        "a/customers.parquet",
        "m/customers.csv",
        "s/tickets.csv",
    }
    outputs = {o["name"]: o for o in report["outputs"]}
    marketing = outputs["customers_marketing"]
    assert marketing["row_filter"] == "consent_marketing == true"
    assert marketing["rows_in"] == 500
    assert marketing["rows_out"] + marketing["rows_filtered"] == 500
    assert marketing["rows_filtered"] > 0
    views = {c["column"]: c["view"] for c in marketing["columns"]}
    assert views["id_number"] == "deny" and views["phone"] == "masked"
    header = (small.parent / "out/m/customers.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "id_number" not in header and "bank_card" not in header
    assert report["audit"]["checkpoint"]["head_hash"]
    assert (
        report["audit"]["events"] >= 1 + 2 + 3 + 3 + 1
    )  # start, scans, decisions, protects, finish
    assert Path(report["report_html"]).is_file() and Path(report["report_json"]).is_file()


def test_two_runs_publish_identical_outputs(small: Path) -> None:
    first = run_pipeline(small)
    one = published(small.parent)
    second = run_pipeline(small)
    assert published(small.parent) == one
    assert first.run_id != second.run_id


def test_no_raw_values_in_reports_or_audit(small: Path) -> None:
    run_pipeline(small)
    raw = (small.parent / "data" / "customers.csv").read_text(encoding="utf-8").splitlines()[1:40]
    values = {v for line in raw for v in line.split(",")[3:6] if len(v) >= 8}  # id, phone, email
    assert values
    texts = [p.read_text(encoding="utf-8") for p in (small.parent / "reports").iterdir()]
    texts.append((small.parent / ".govkit" / "audit.db").read_bytes().decode("utf-8", "replace"))
    leaked = {v for v in values for t in texts if v in t}
    assert leaked == set()


def test_unwritable_reports_dir_fails_before_publishing(
    small: Path, cli: Callable[..., CliResult]
) -> None:
    blocker = small.parent / "reports"
    blocker.write_text("a file where the reports directory should be", encoding="utf-8")
    result = cli("run", str(small))
    assert result.code == 3, result.err
    assert result.err.splitlines()[-1].startswith(f"Error: {blocker}: cannot write the run report")
    assert "nothing was published" in result.err
    assert published(small.parent) == {}


def _events(db: Path) -> int:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM govkit_audit_events").fetchone()[0])


def test_dry_run_writes_nothing(small: Path, cli: Callable[..., CliResult]) -> None:
    audit = small.parent / ".govkit" / "audit.db"
    before = _events(audit)
    result = cli("run", str(small), "--dry-run")
    assert result.code == 0, result.err
    assert "rows: consent_marketing == true" in result.out
    assert "tokenize" in result.out
    assert not (small.parent / "out").exists()
    assert not (small.parent / "reports").exists()
    assert _events(audit) == before


def test_dry_run_shows_denied_outputs(small: Path, cli: Callable[..., CliResult]) -> None:
    _denied_output(small)
    result = cli("run", str(small), "--dry-run", "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    denied = [o for o in report["outputs"] if not o["allowed"]]
    assert [o["name"] for o in denied] == ["tickets_marketing"]
    assert report["status"] == "dry_run"


def test_scaffolded_project_runs_as_is(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    project = tmp_path / "gov"
    assert cli("init", str(project)).code == 0
    result = cli("run", str(project / "pipeline.yaml"))
    assert result.code == 0, result.err
    report = _report(project / "pipeline.yaml")
    assert report["status"] == "published"
    assert len(report["outputs"]) == 6 and all(o["published"] for o in report["outputs"])
    quality = {d["name"]: d["quality"] for d in report["datasets"]}
    assert all(q is not None for q in quality.values())
    failed = [r for r in quality["customers"]["results"] if not r["success"]]
    assert failed and all(r["severity"] == "warning" for r in failed)
    assert quality["customers"]["statistics"]["unsuccessful_expectations"] == len(failed)
    assert "report: " in result.err


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (None, "pipeline file not found"),
        (
            "sources: {c: {uri: c.csv}}\noutputs: [{name: o, source: c}]\n",
            "outputs.0.role: Field required (and 2 more)",
        ),
        (
            "sources: {c: {uri: c.csv}}\noutputs: [{name: o, source: x, role: r, purpose: p, uri: o.csv}]\n",
            "outputs.0.source: unknown source 'x' (known: c)",
        ),
    ],
)
def test_bad_pipeline_file(
    tmp_path: Path, cli: Callable[..., CliResult], text: str | None, error: str
) -> None:
    file = tmp_path / "pipeline.yaml"
    if text is not None:
        file.write_text(text, encoding="utf-8")
    result = cli("run", str(file))
    assert result.code == 3
    assert result.err.splitlines()[-1] == f"Error: {file}: {error}"
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("broken", [False, True], ids=["ok", "last-output-fails"])
def test_workers(small: Path, broken: bool) -> None:
    one = run_pipeline(small)
    single = published(small.parent)
    if broken:
        _last_output_unwritable(small)
        with pytest.raises(DatasetError):
            run_pipeline(small, workers=3)
        assert published(small.parent) == single  # the earlier run's outputs stay as they were
        assert _report(small)["status"] == "failed"
        return
    two = run_pipeline(small, workers=3)
    assert published(small.parent) == single
    assert [o.rows_out for o in two.outputs] == [o.rows_out for o in one.outputs]
    assert two.audit is not None and one.audit is not None
    assert two.audit.events == one.audit.events
