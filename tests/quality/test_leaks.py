"""No value from the data leaves validate: not in the table, JSON, HTML, logs, audit or errors.

Known personal values are seeded so that they fail expectations — exactly the
case in which GX would normally return them (unexpected lists, observed values).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from govkit.datasets import open_dataset, write_dataset
from govkit.governor import Governor
from govkit.quality import validate
from govkit.quality.datadocs import render_html
from govkit.settings import GovkitSettings

from .conftest import rule

CANARIES = [
    "110105194912310021",  # resident ID with a wrong check character
    "leak.canary@@example.org",  # malformed e-mail
    "999-LEAK-0001",  # not a phone number
    "6222020000000001",  # bank card failing Luhn
    "泄露金丝雀",  # a name that is duplicated (same person, phone typed twice)
    "13800138000",
    "+86 138 0013 8000",
    "2099-09-09",  # birth date in the future
]
HEADER = ["customer_id", "name", "id_number", "email", "phone", "bank_card", "birth_date"]
ROWS = [
    ["C1", "泄露金丝雀", "110105194912310021", "leak.canary@@example.org", "13800138000", "6222020000000001", "2099-09-09"],
    ["C2", "泄露金丝雀", "110105194912310021", "ok@example.org", "+86 138 0013 8000", "4111111111111111", "1980-01-01"],
    ["C3", "Alice", "110105194912310011", "a@example.org", "999-LEAK-0001", "4111111111111111", "1949-12-31"],
]  # fmt: skip
RULES = [
    rule("L01", "expect_column_values_to_be_valid_cn_resident_id", column="id_number"),
    rule("L02", "expect_column_values_to_match_regex", column="email", regex=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"),
    rule("L03", "expect_column_values_to_be_valid_cn_phone", column="phone"),
    rule("L04", "expect_column_values_to_be_valid_bank_card", column="bank_card"),
    rule("L05", "expect_customers_to_be_unique_after_normalization", column_list=["name", "phone"], entities={"phone": "PHONE_NUMBER"}),
    rule("L06", "expect_column_values_to_not_be_in_the_future", column="birth_date"),
    rule("L07", "expect_column_values_to_be_unique", column="id_number"),
    rule("L08", "expect_column_distinct_values_to_be_in_set", column="name", value_set=["Alice"]),
    rule("L09", "expect_column_most_common_value_to_be_in_set", column="id_number", value_set=["x"]),
    rule("L10", "expect_column_values_to_be_in_set", column="email", value_set=["a@example.org"]),
    rule("L11", "expect_column_value_lengths_to_equal", column="phone", value=11),
    rule("L12", "expect_column_values_to_match_regex", column="birth_date", regex="^19"),
]  # fmt: skip


def _assert_clean(text: str, where: str) -> None:
    for canary in CANARIES:
        assert canary not in text, f"{canary!r} leaked into {where}"


@pytest.fixture
def seeded(write_csv: Callable[..., Path], write_suite: Callable[..., Path]) -> tuple[Path, Path]:
    return write_csv("customers", HEADER, ROWS), write_suite("customers", RULES)


def test_cli_outputs_logs_and_audit_stay_clean(
    seeded: tuple[Path, Path],
    tmp_path: Path,
    cli: Callable[..., object],
    caplog: pytest.LogCaptureFixture,
) -> None:
    data, suite = seeded
    audit = tmp_path / "audit.db"
    docs = tmp_path / "docs"
    caplog.set_level(logging.DEBUG)
    common = ("--audit-url", f"sqlite:///{audit}", "validate", str(data), "--suite", str(suite))
    table = cli(*common, "--data-docs", str(docs))
    as_json = cli(*common, "--format", "json")
    for run in (table, as_json):
        assert run.code == 1  # type: ignore[attr-defined]
        _assert_clean(run.out + run.err, "CLI output")  # type: ignore[attr-defined]
    assert '"rule_id": "L09"' in as_json.out  # type: ignore[attr-defined]
    _assert_clean(caplog.text, "logs")
    html = (docs / "customers.html").read_text(encoding="utf-8")
    _assert_clean(html, "Data Docs")
    assert "L08" in html and "://" not in html and "<script" not in html
    records = Governor(GovkitSettings(audit_url=f"sqlite:///{audit}")).audit_store.query()
    events = [r.event for r in records]
    assert [(e["action"], e["outcome"]) for e in events] == [("validate", "failure")] * 2
    assert events[0]["rule_ids"] == [f"L{i:02d}" for i in range(1, 13)]
    _assert_clean(str(events), "audit events")
    raw = audit.read_bytes()
    for canary in CANARIES:
        assert canary.encode("utf-8") not in raw, f"{canary!r} in the audit database file"


def test_sql_source_stays_clean(
    seeded: tuple[Path, Path],
    db_url: str,
    unique_table: Callable[[str], str],
    governor: Governor,
    caplog: pytest.LogCaptureFixture,
) -> None:
    data, suite = seeded
    table = unique_table("leak")
    source = open_dataset(str(data))
    write_dataset(source.batches(), source.schema, db_url, table=table)
    caplog.set_level(logging.DEBUG)
    result = validate(db_url, table=table, suite=suite, context=governor)
    assert {r.rule_id for r in result.failed} == {f"L{i:02d}" for i in range(1, 13)}
    _assert_clean(result.model_dump_json(), "result")
    _assert_clean(render_html(result), "Data Docs")
    _assert_clean(caplog.text, "logs")
    _assert_clean(str([r.event for r in governor.audit_store.query()]), "audit events")
    assert all(r.observed_value is None for r in result.results)
