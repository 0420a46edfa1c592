"""Suite files: finding, loading, and refusing rules that would not run as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govkit.errors import QualityToolError, SuiteError
from govkit.quality.suites import build_gx_suite, find_suite, load_suite

from .conftest import DEFAULT_SUITES, rule

NN = "expect_column_values_to_not_be_null"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON (line 1, column 2)"),
        ("[]", "a suite must be a JSON object"),
        ('{"expectations": []}', "name: Field required"),
        ('{"name": "s"}', "expectations: Field required"),
        (
            '{"name": "s", "expectations": []}',
            "expectations: List should have at least 1 item after validation, not 0",
        ),
        (
            '{"name": "s", "expectations": [{"type": "x", "kwargs": {}, "meta": {"rule_id": ""}}]}',
            "expectations.0.meta: Value error, every expectation needs a non-empty meta.rule_id",
        ),
        (
            json.dumps({"name": "s", "expectations": [rule("A", NN, column="c")] * 2}),
            "expectations.1.meta.rule_id: duplicate 'A'",
        ),
    ],
)
def test_load_suite_rejects(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SuiteError) as err:
        load_suite(path)
    assert str(err.value) == f"{path}: {message}"


def test_load_suite_reads_rules(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps(
            {
                "name": "s",
                "expectations": [
                    rule("A", NN, column="c"),
                    rule("B", "expect_column_pair_values_to_be_equal", column_A="x", column_B="y"),
                    rule("C", "expect_compound_columns_to_be_unique", column_list=["p", "q"]),
                    rule("D", "expect_table_row_count_to_be_between", min_value=1),
                ],
            }
        ),
        encoding="utf-8",
    )
    suite = load_suite(path)
    assert [(r.rule_id, r.columns) for r in suite.expectations] == [
        ("A", ["c"]),
        ("B", ["x", "y"]),
        ("C", ["p", "q"]),
        ("D", []),
    ]


def test_find_suite(tmp_path: Path) -> None:
    (tmp_path / "customers.json").write_text("{}", encoding="utf-8")
    assert find_suite(tmp_path, "customers") == tmp_path / "customers.json"
    with pytest.raises(SuiteError, match=r"no expectation suite for dataset 'orders'"):
        find_suite(tmp_path, "orders")


def test_unknown_type_names_the_rule(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    rules = [rule("OK-1", NN, column="c"), rule("BAD-7", "expect_column_to_be_lovely", column="c")]
    path.write_text(json.dumps({"name": "s", "expectations": rules}), encoding="utf-8")
    suite = load_suite(path)
    with pytest.raises(QualityToolError) as err:
        build_gx_suite(suite, suite.expectations)
    assert str(err.value) == (
        f"{path}: rule BAD-7: unknown expectation type 'expect_column_to_be_lovely'"
    )


def test_bad_kwargs_name_the_rule_and_field(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    rules = [rule("R-1", "expect_column_max_to_be_between", column="c", max_value="secret-ish")]
    path.write_text(json.dumps({"name": "s", "expectations": rules}), encoding="utf-8")
    suite = load_suite(path)
    with pytest.raises(SuiteError) as err:
        build_gx_suite(suite, suite.expectations)
    assert str(err.value).startswith(f"{path}: rule R-1: kwargs.max_value:")
    assert "secret-ish" not in str(err.value)


@pytest.mark.parametrize("name", ["customers", "tickets", "transactions", "feedback"])
def test_default_suites_load_completely(name: str) -> None:
    suite = load_suite(DEFAULT_SUITES / f"{name}.json")
    gx_suite = build_gx_suite(suite, suite.expectations)
    assert len(gx_suite.expectations) == len(suite.expectations) >= 9
    assert all(r.meta.get("description") for r in suite.expectations)


def test_a_plain_gx_suite_gets_stable_rule_ids(tmp_path: Path) -> None:
    """A suite saved by Great Expectations has no meta.rule_id: it loads as it is."""
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps(
            {
                "name": "plain",
                "expectations": [
                    {"type": NN, "kwargs": {"column": "c"}, "id": "5f1c-uuid"},
                    {"type": NN, "kwargs": {"column": "c"}, "meta": {}},
                    {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
                ],
            }
        ),
        encoding="utf-8",
    )
    ids = [r.rule_id for r in load_suite(path).expectations]
    assert ids == ["5f1c-uuid", f"2-{NN}-c", "3-expect_table_row_count_to_be_between"]
