"""``govkit validate``: default suites on the sample data, exit codes, the JSON schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govkit.governor import Governor
from govkit.settings import GovkitSettings

from .conftest import DEFAULT_SUITES, SAMPLE, rule

# The generator plants these problems; the default suites must catch exactly them.
FAILING = {
    "customers": ["CUST-006", "CUST-007", "CUST-008", "CUST-010", "CUST-018"],
    "tickets": [],
    "transactions": [],
    "feedback": ["FB-006", "FB-007"],
}
TOP_KEYS = {"suite", "suite_file", "dataset", "success", "statistics", "results"}
STAT_KEYS = {
    "evaluated_expectations",
    "successful_expectations",
    "unsuccessful_expectations",
    "success_percent",
}
RULE_KEYS = {
    "severity",
    "rule_id",
    "type",
    "column",
    "columns",
    "success",
    "unexpected_count",
    "unexpected_percent",
    "element_count",
    "missing_count",
    "observed_value",
    "description",
    "engine",
}


def _args(tmp_path: Path, *rest: str) -> tuple[str, ...]:
    return (
        "--audit-url",
        f"sqlite:///{tmp_path}/audit.db",
        "--expectations-dir",
        str(DEFAULT_SUITES),
        "validate",
        *rest,
    )


@pytest.mark.parametrize("table", sorted(FAILING))
def test_default_suites_catch_the_planted_problems(
    table: str, tmp_path: Path, cli: Callable[..., Any]
) -> None:
    data = SAMPLE / f"{table}.csv"
    run = cli(*_args(tmp_path, str(data), "--format", "json"))
    doc = json.loads(run.out)
    assert [r["rule_id"] for r in doc["results"] if not r["success"]] == FAILING[table]
    if FAILING[table]:
        assert run.code == 1
        total = doc["statistics"]["evaluated_expectations"]
        assert run.err.strip().splitlines()[-1] == (
            f"Error: {data}: {len(FAILING[table])} of {total} expectations failed in suite "
            f"{table} ({', '.join(FAILING[table])})"
        )
    else:
        assert (run.code, run.err) == (0, "")


def test_json_schema_is_pinned(tmp_path: Path, cli: Callable[..., Any]) -> None:
    run = cli(*_args(tmp_path, str(SAMPLE / "feedback.csv"), "-f", "json"))
    doc = json.loads(run.out)
    assert set(doc) == TOP_KEYS
    assert set(doc["statistics"]) == STAT_KEYS
    assert all(set(r) == RULE_KEYS for r in doc["results"])
    score = next(r for r in doc["results"] if r["rule_id"] == "FB-006")
    assert score == {
        "rule_id": "FB-006",
        "type": "expect_column_values_to_be_number_between",
        "column": "score",
        "columns": ["score"],
        "success": False,
        "unexpected_count": 1,
        "unexpected_percent": 0.5,
        "element_count": 200,
        "missing_count": 0,
        "observed_value": None,
        "description": "Validity: satisfaction score is a whole number from 1 to 5",
        "engine": "pandas",
        "severity": "error",
    }


def test_table_output_and_data_docs(tmp_path: Path, cli: Callable[..., Any]) -> None:
    docs = tmp_path / "docs"
    run = cli(*_args(tmp_path, str(SAMPLE / "tickets.csv"), "--data-docs", str(docs)))
    assert run.code == 0
    assert "tickets on" in run.out and "12/12 passed" in run.out and "TKT-011" in run.out
    assert run.err == f"wrote {docs / 'tickets.html'}\n"
    assert "PASS" in (docs / "tickets.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("rules", "line"),
    [
        (
            [rule("A-1", "expect_column_values_to_not_be_null", column="score"),
             rule("A-2", "expect_column_values_to_be_splendid", column="score")],
            "Error: {suite}: rule A-2: unknown expectation type 'expect_column_values_to_be_splendid'",
        ),
        (
            [rule("B-1", "expect_column_values_to_match_regex", column="score", regex="(")],
            "Error: {suite}: rule B-1 (expect_column_values_to_match_regex) on score could not run "
            "on pandas: MetricResolutionError",
        ),
        (
            [rule("C-1", "expect_column_values_to_not_be_null", column="nope")],
            "Error: {suite}: rule C-1: column 'nope' is not in {data}",
        ),
    ],
)  # fmt: skip
def test_tool_problems_exit_3_and_are_audited(
    rules: list[dict[str, Any]],
    line: str,
    tmp_path: Path,
    write_suite: Callable[..., Path],
    cli: Callable[..., Any],
) -> None:
    data = SAMPLE / "feedback.csv"
    suite = write_suite("feedback", rules)
    run = cli(*_args(tmp_path, str(data), "--suite", str(suite)))
    assert run.code == 3
    assert run.out == ""
    assert run.err.strip() == line.format(suite=suite, data=data)
    store = Governor(GovkitSettings(audit_url=f"sqlite:///{tmp_path}/audit.db")).audit_store
    (event,) = [r.event for r in store.query()]
    assert (event["action"], event["outcome"]) == ("validate", "failure")
    assert event["reason"] == "tool error: " + line.format(suite=suite, data=data)[7:]


def test_missing_suite_is_a_config_error(tmp_path: Path, cli: Callable[..., Any]) -> None:
    data = tmp_path / "orders.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    run = cli(*_args(tmp_path, str(data)))
    assert (run.code, run.out) == (3, "")
    assert run.err.strip() == (
        f"Error: {DEFAULT_SUITES / 'orders.json'}: no expectation suite for dataset 'orders'; "
        "pass --suite FILE or set GOVKIT_EXPECTATIONS_DIR"
    )


def test_failed_run_is_audited(tmp_path: Path, cli: Callable[..., Any]) -> None:
    assert cli(*_args(tmp_path, str(SAMPLE / "feedback.csv"))).code == 1
    store = Governor(GovkitSettings(audit_url=f"sqlite:///{tmp_path}/audit.db")).audit_store
    (event,) = [r.event for r in store.query()]
    assert event["action"] == "validate" and event["outcome"] == "failure"
    assert event["rule_ids"] == ["FB-006", "FB-007"]
    assert event["counts"] == {"evaluated": 9, "passed": 7, "failed": 2, "warnings": 0}
    assert event["dataset"] == str(SAMPLE / "feedback.csv")
    assert str(event["fingerprint"]).startswith("sha256:")
    assert event["details"]["suite"] == "feedback"
