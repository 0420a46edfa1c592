"""``govkit scan|validate --engine spark``: the local engine's answers, the same exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.spark._cli import govkit

pytestmark = [pytest.mark.xdist_group("spark"), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"


def _env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVKIT_AUDIT_URL", f"sqlite:///{tmp_path}/audit.db")
    monkeypatch.setenv("GOVKIT_POLICY_DIR", str(ROOT / "policies"))
    monkeypatch.setenv("GOVKIT_EXPECTATIONS_DIR", str(ROOT / "expectations"))


def _columns(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            c["name"],
            c["entity"],
            c["sensitivity"],
            c["kind"],
            [(e["type"], e["count"]) for e in c["entities"]],
        )
        for c in report["columns"]
    ]


def test_scan_full_on_spark_matches_the_local_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _env(tmp_path, monkeypatch)
    source = str(DATA / "feedback.csv")
    local = govkit("scan", source, "--full", "--format", "json", cwd=tmp_path)
    spark = govkit("scan", source, "--full", "--format", "json", "--engine", "spark", cwd=tmp_path)
    assert local.returncode == spark.returncode == 0, spark.stderr[-2000:]
    a, b = json.loads(local.stdout), json.loads(spark.stdout)
    assert a["rows_total"] == b["rows_total"] == 200 and not b["sampled"]
    assert _columns(a) == _columns(b)
    assert any(c[4] for c in _columns(a))  # something was found to compare


def test_validate_on_spark_gives_the_same_results_and_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _env(tmp_path, monkeypatch)
    source = str(DATA / "feedback.csv")
    local = govkit("validate", source, "--format", "json", cwd=tmp_path)
    spark = govkit("validate", source, "--format", "json", "--engine", "spark", cwd=tmp_path)
    assert local.returncode == spark.returncode == 1, spark.stderr[-2000:]  # FB-006/7 fail
    keep = ("rule_id", "success", "unexpected_count", "element_count", "missing_count")

    def rows(d: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [tuple(r.get(k) for k in keep) for r in d["results"]]

    assert rows(json.loads(local.stdout)) == rows(json.loads(spark.stdout))
    assert len(rows(json.loads(local.stdout))) == 9


@pytest.mark.parametrize(
    "args",
    [["--master", "local[2]"], ["--engine", "dask"]],
    ids=["master-without-spark", "unknown-engine"],
)
def test_engine_options_that_do_not_fit_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    done = govkit("validate", str(DATA / "feedback.csv"), *args, cwd=tmp_path)
    assert done.returncode == 2
    assert [line for line in done.stderr.splitlines() if line.startswith("Error:")] != []
