"""``govkit scan`` end to end: JSON schema, --fail-on, --catalog, whole sources, audit, no raw values."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from tests.conftest import CliResult

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scan"
TRICKY = FIXTURES / "tricky.csv"

TOP_KEYS = {"source", "name", "rows_total", "rows_scanned", "sampled", "columns"}
COLUMN_KEYS = {
    "name", "kind", "entity", "entities", "confidence", "sensitivity", "evidence",
    "recommended_action", "masked_samples",
}  # fmt: skip
EVIDENCE_KEYS = {
    "header_hint", "values_checked", "pattern_share", "checksum_pass_rate", "validators", "note",
}  # fmt: skip


@pytest.fixture
def gk(tmp_path: Path, cli: Callable[..., CliResult]) -> Callable[..., CliResult]:
    """Run govkit with a real audit store in tmp_path."""

    def run(*args: str) -> CliResult:
        return cli("--audit-url", f"sqlite:///{tmp_path}/audit.db", *args)

    return run


def _raw_values(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    personal = ["f5", "col_7", "phone", "身份证号", "sjhm", "card", "iban", "ssn", "credit_code"]
    return {r[c] for r in rows for c in personal if r[c]}


def test_json_schema_is_pinned(gk: Callable[..., CliResult]) -> None:
    result = gk("scan", str(TRICKY), "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == TOP_KEYS
    assert data["rows_total"] == data["rows_scanned"] == 240
    for column in data["columns"]:
        assert set(column) == COLUMN_KEYS
        assert set(column["evidence"]) == EVIDENCE_KEYS
        assert column["kind"] in ("structured", "free_text")
        assert column["sensitivity"] in ("high", "medium", "low")
        for found in column["entities"]:
            assert set(found) == {"type", "count", "share"}
    by_name = {c["name"]: c for c in data["columns"]}
    assert by_name["f5"]["entity"] == "CN_RESIDENT_ID"
    assert by_name["f5"]["evidence"]["checksum_pass_rate"] == 1.0
    assert by_name["sjhm"]["evidence"]["header_hint"] == "sjhm → PHONE_NUMBER"
    assert by_name["备注"]["kind"] == "free_text"
    assert by_name["备注"]["sensitivity"] == "high"  # embeds ID and card numbers


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_no_raw_value_in_any_output(gk: Callable[..., CliResult], fmt: str) -> None:
    result = gk("scan", str(TRICKY), "--format", fmt, "--fail-on", "high")
    assert result.code == 1
    text = result.out + result.err
    leaked = [v for v in _raw_values(TRICKY) if v in text]
    assert not leaked


FIX = "; publish only a protected copy (govkit protect), or review them in the catalog"


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [
        (["--fail-on", "high"], 1, "Error: {path}: 1 column(s) at or above tier 'high': bank_card" + FIX),
        (["--fail-on", "medium"], 1, "Error: {path}: 3 column(s) at or above tier 'medium': name, phone, bank_card" + FIX),
        ([], 0, None),
    ],
)  # fmt: skip
def test_fail_on_exits_1_after_printing_the_report(
    tmp_path: Path, gk: Callable[..., CliResult], args: list[str], code: int, line: str | None
) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "customer_id,name,phone,bank_card,amount\n"
        + "".join(
            f"C{i:07d},张伟{i % 3},1381234{i:04d},4111111111111111,{i}.50\n" for i in range(50)
        ),
        encoding="utf-8",
    )
    result = gk("scan", str(path), "--format", "json", *args)
    assert result.code == code, result.err
    assert json.loads(result.out)["columns"]  # the report is printed before the failure
    if line:
        assert result.err.strip().splitlines() == [line.format(path=path)]


def test_catalog_keeps_steward_overrides_and_flags_drift(
    tmp_path: Path, gk: Callable[..., CliResult]
) -> None:
    data, catalog = tmp_path / "people.csv", tmp_path / "catalog.yaml"
    data.write_text("xm,note\n" + "".join(f"王芳{i},ok\n" for i in range(30)), encoding="utf-8")
    assert gk("scan", str(data), "--catalog", str(catalog), "--format", "json").code == 0
    book = yaml.safe_load(catalog.read_text(encoding="utf-8"))
    assert book["datasets"]["people"]["columns"]["xm"]["entity"] == "PERSON"
    book["datasets"]["people"]["columns"]["note"].update(
        entity="HEALTH", sensitivity="high", reviewed=True, tags=["steward"]
    )
    catalog.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")

    data.write_text(
        "xm,note,mobile\n" + "".join(f"王芳{i},ok,1381234{i:04d}\n" for i in range(30)),
        encoding="utf-8",
    )
    result = gk("scan", str(data), "--catalog", str(catalog))
    assert result.code == 0, result.err
    columns = yaml.safe_load(catalog.read_text(encoding="utf-8"))["datasets"]["people"]["columns"]
    assert columns["note"]["entity"] == "HEALTH" and columns["note"]["reviewed"] is True
    assert columns["note"]["drift"] == "changed: HEALTH/high → none/low"
    assert columns["mobile"]["drift"] == "new"
    assert "drift: people.mobile: new" in result.err


def test_unwritable_catalog_is_one_error_line_naming_it(
    tmp_path: Path, gk: Callable[..., CliResult]
) -> None:
    (tmp_path / "blocker").write_text("x", encoding="utf-8")
    catalog = tmp_path / "blocker" / "catalog.yaml"
    result = gk("scan", str(TRICKY), "--catalog", str(catalog), "--format", "json")
    assert result.code == 3
    assert result.err.strip().splitlines() == [
        f"Error: {catalog}: cannot write the catalog (File exists)"
    ]


def test_directory_scans_every_supported_file(tmp_path: Path, gk: Callable[..., CliResult]) -> None:
    (tmp_path / "a.csv").write_text("email\nli@qq.com\nwang@163.com\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("amount\n1.50\n2.75\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    result = gk("scan", str(tmp_path), "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert [d["name"] for d in data["datasets"]] == ["a", "b"]
    assert data["summary"] == {
        "datasets": 2,
        "columns": 2,
        "high": 0,
        "medium": 1,
        "low": 1,
        "drift": [],
    }


def _make_tables(url: str, people: str, empty: str) -> sa.MetaData:
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    t1 = sa.Table(
        people,
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sfzh", sa.String(32)),
    )
    sa.Table(
        empty,
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("phone", sa.String(32)),
    )
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(t1.insert(), [{"id": i, "sfzh": "11010519491231002X"} for i in range(1, 6)])
    engine.dispose()
    return meta


def test_database_url_without_table_scans_every_table(
    tmp_path: Path, gk: Callable[..., CliResult]
) -> None:
    url = f"sqlite:///{tmp_path}/crm.db"
    _make_tables(url, "people", "empty")
    result = gk("scan", url, "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    sections = {d["name"]: d for d in data["datasets"]}
    assert sorted(sections) == ["empty", "people"]
    assert sections["people"]["columns"][1]["entity"] == "CN_RESIDENT_ID"
    assert sections["empty"]["rows_total"] == 0
    assert sections["empty"]["columns"][1]["entity"] == "PHONE_NUMBER"  # header only, flagged
    assert sections["empty"]["columns"][1]["evidence"]["note"].startswith("all values are null")


def test_tables_on_every_backend_including_one_without_rows(
    db_url: str, unique_table: Callable[[str], str], gk: Callable[..., CliResult]
) -> None:
    people, empty = unique_table("people"), unique_table("empty")
    meta = _make_tables(db_url, people, empty)
    try:
        for table, entity, rows in ((people, "CN_RESIDENT_ID", 5), (empty, "PHONE_NUMBER", 0)):
            result = gk("scan", db_url, "--table", table, "--format", "json")
            assert result.code == 0, result.err
            data = json.loads(result.out)
            assert (data["rows_total"], data["columns"][1]["entity"]) == (rows, entity)
    finally:
        engine = sa.create_engine(db_url)
        meta.drop_all(engine)
        engine.dispose()


def test_scan_records_an_audit_event_without_values(
    tmp_path: Path, gk: Callable[..., CliResult]
) -> None:
    assert gk("scan", str(TRICKY), "--format", "json").code == 0
    engine = sa.create_engine(f"sqlite:///{tmp_path}/audit.db")
    with engine.connect() as conn:
        dump = "\n".join(
            str(row)
            for table in sa.inspect(conn).get_table_names()
            for row in conn.execute(sa.text(f'SELECT * FROM "{table}"'))
        )
    engine.dispose()
    assert "scan" in dump and "tricky.csv" in dump
    assert not [v for v in _raw_values(TRICKY) if v in dump]


def test_audit_failure_releases_no_report(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = cli(
        "--audit-url", f"sqlite:///{blocker}/sub/audit.db", "scan", str(TRICKY), "--format", "json"
    )
    assert result.code == 3
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1 and result.err.startswith("Error: ")
