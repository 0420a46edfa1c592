"""A steward's first hour, as README and docs tell it, on their own (generated) data.

Fresh folder, no GOVKIT_* variable (the docs ask a newcomer to set none after
``govkit init``): init, scan a GBK CSV and an .xlsx, keys, protect for two roles,
validate a plain Great Expectations suite, run, verify the audit log and ask who
touched high-tier data in the last hour. Every exit code and key line is checked.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import CliResult

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜敏静丽强磊军洋"
CITIES = ("北京市朝阳区", "上海市浦东新区", "广州市天河区", "成都市武侯区")


def _resident_id(rng: random.Random) -> str:
    body = f"110105{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body += f"{rng.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def _write_crm(path: Path, rows: int = 200) -> None:
    """The steward's own customer table: Chinese headers, GBK, their own consent column."""
    rng = random.Random(7)
    lines = ["客户编号,姓名,身份证号,手机号,城市,年龄,同意分析"]
    for i in range(rows):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        phone = f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
        age = "abc" if i == 3 else str(rng.randint(18, 80))
        consent = "true" if i % 4 else "false"
        lines.append(
            f"C{i:05d},{name},{_resident_id(rng)},{phone},{rng.choice(CITIES)},{age},{consent}"
        )
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))


def _write_orders(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["订单号", "客户编号", "金额", "下单日期"])
    for i in range(60):
        sheet.append(
            [f"O{i:05d}", f"C{i % 50:05d}", round(10 + i * 3.5, 2), f"2026-11-{i % 28 + 1:02d}"]
        )
    book.save(path)


def _suite(path: Path, *rules: dict[str, object]) -> Path:
    """A suite as Great Expectations saves it: no govkit fields (no meta.rule_id)."""
    path.write_text(
        json.dumps(
            {"name": path.stem, "expectations": list(rules), "meta": {}}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def steward(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("GOVKIT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_first_hour(
    steward: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1. a project, then work from its folder with plain commands
    made = cli("init", "gov")
    assert made.code == 0, made.err
    assert "created gov/govkit.yaml" in made.err
    project = steward / "gov"
    monkeypatch.chdir(project)
    config = cli("config")
    assert config.code == 0
    assert config.out.splitlines()[0] == f"project file: {project / 'govkit.yaml'}"
    (project / "mine").mkdir()
    _write_crm(project / "mine" / "crm_customers.csv")
    _write_orders(project / "mine" / "orders.xlsx")

    # 2. scan their own data: a GBK CSV and an Excel sheet
    scan = cli("scan", "mine/crm_customers.csv")
    assert scan.code == 0, scan.err
    for entity in ("CN_RESIDENT_ID", "PHONE_NUMBER", "PERSON"):
        assert entity in scan.out  # whole, not broken mid-word
    assert "dataset(s), 7 columns" in scan.err
    gate = cli("scan", "mine/crm_customers.csv", "--fail-on", "high")
    assert gate.code == 1
    assert gate.err.splitlines()[-1] == (
        "Error: mine/crm_customers.csv: 1 column(s) at or above tier 'high': 身份证号; "
        "publish only a protected copy (govkit protect), or review them in the catalog"
    )
    xlsx = cli("scan", "mine/orders.xlsx", "--format", "json")
    assert xlsx.code == 0, xlsx.err
    assert [c["name"] for c in json.loads(xlsx.out)["columns"]][:2] == ["订单号", "客户编号"]

    # 3. keys: made by init, usable without exporting anything
    keys = cli("keys", "list")
    assert keys.code == 0, keys.err
    assert "tokenize" in keys.out and "active" in keys.out

    # 4. protect for an analyst: the denial names the rule, its file and the fix
    denied = cli(
        "protect", "./mine/crm_customers.csv", "-o", "safe/analyst.parquet",
        "--role", "analyst", "--purpose", "analytics",
    )  # fmt: skip
    assert denied.code == 1
    assert "consent_analytics" in denied.err and "rules-baseline.yaml" in denied.err
    assert "add 'crm_customers' to that rule's except_datasets" in denied.err
    rules = project / "policies" / "rules-baseline.yaml"
    text = rules.read_text(encoding="utf-8")
    rule_start = text.index("  - id: consent-analytics-rows")
    rules.write_text(  # as the denial says: leave the table to a copy of the rule ...
        text[:rule_start]
        + text[rule_start:].replace(
            "    datasets: [", "    except_datasets: [crm_customers]\n    datasets: [", 1
        ),
        encoding="utf-8",
    )
    (project / "policies" / "rules-crm.yaml").write_text(  # ... that names its own column
        "rules:\n"
        "  - id: crm-consent-analytics-rows\n"
        "    effect: restrict\n"
        '    roles: ["*"]\n'
        "    purposes: [analytics]\n"
        "    datasets: [crm_customers]\n"
        "    row_filter:\n"
        '      - {column: 同意分析, op: "==", value: true}\n',
        encoding="utf-8",
    )
    missing = cli(
        "protect", "./mine/crm_customers.csv", "-o", "safe/analyst.parquet",
        "--role", "analyst", "--purpose", "analytics",
    )  # fmt: skip
    assert missing.code == 3
    assert missing.err.strip() == (
        "Error: safe/analyst.parquet: the output folder safe does not exist; "
        "create it (mkdir -p safe) or choose another --output"
    )
    (project / "safe").mkdir()
    analyst = cli(
        "protect", "./mine/crm_customers.csv", "-o", "safe/analyst.parquet",
        "--role", "analyst", "--purpose", "analytics",
    )  # fmt: skip
    assert analyst.code == 0, analyst.err
    table = pq.read_table(project / "safe" / "analyst.parquet").to_pydict()
    assert len(table["客户编号"]) == 150  # the 50 rows without consent are left out
    assert all(v.startswith("gk1.tk-") for v in table["客户编号"])  # a key of any name
    assert all(not v[:6].isdigit() or "*" in v for v in table["身份证号"])  # never raw

    # ... and for customer service (absolute path: the same dataset for the auditor)
    service = cli(
        "protect", str(project / "mine" / "crm_customers.csv"), "-o", "safe/service.csv",
        "--role", "customer_service", "--purpose", "customer_service",
    )  # fmt: skip
    assert service.code == 0, service.err
    assert (project / "safe" / "service.csv").is_file()

    # 5. validate with a suite written for Great Expectations, unchanged
    suite = _suite(
        project / "crm.json",
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "客户编号"}},
        {"type": "expect_column_values_to_be_between",
         "kwargs": {"column": "年龄", "min_value": 18, "max_value": 80}},
        {"type": "expect_column_values_to_match_regex",
         "kwargs": {"column": "客户编号", "regex": "^C\\d{5}$"}},
    )  # fmt: skip
    checked = cli("validate", "mine/crm_customers.csv", "--suite", str(suite), "--format", "json")
    assert checked.code == 1, checked.err  # 'abc' is not an age: unexpected, not a crash
    result = json.loads(checked.out)
    by_type = {r["type"]: r for r in result["results"]}
    assert by_type["expect_column_values_to_be_between"]["unexpected_count"] == 1
    assert by_type["expect_column_values_to_match_regex"]["success"] is True
    assert "\\u" not in checked.out  # JSON keeps Chinese readable

    # 6. the governed pipeline of the project
    run = cli("run", "pipeline.yaml")
    assert run.code == 0, run.err
    assert "quality warning: customers." in run.err
    assert "report:" in run.err

    # 7. the audit log: intact, and the auditor's question answered
    verify = cli("audit", "verify")
    assert verify.code == 0, verify.out + verify.err
    assert verify.err.startswith("ok: chain") and "BAD_SIGNATURE" not in verify.out
    assert verify.out.strip().endswith("events verified")
    report = cli("audit", "report", "--since", "1h", "--format", "json", "-o", "hour.json")
    assert report.code == 0, report.err
    hour = json.loads((project / "hour.json").read_text(encoding="utf-8"))
    crm = str(project / "mine" / "crm_customers.csv")
    assert crm in hour["high_tier_datasets"]
    touched = {(a["role"], a["dataset"]) for a in hour["high_tier_access"]}
    assert {("analyst", crm), ("customer_service", crm)} <= touched
    assert {p["purpose"] for p in hour["purposes"]} >= {"analytics", "customer_service"}

    # 8. nothing left lying around, everything private
    assert not list(steward.rglob("audit-signing.key"))
    assert (project / ".govkit").stat().st_mode & 0o777 == 0o700
    assert (project / ".govkit" / "audit.db").stat().st_mode & 0o777 == 0o600


def test_a_folder_with_x_csv_and_x_jsonl_keeps_two_entries(
    steward: Path, cli: Callable[..., CliResult]
) -> None:
    folder = steward / "drop"
    folder.mkdir()
    (folder / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "x.jsonl").write_text('{"c": "x@example.com"}\n', encoding="utf-8")
    for _ in range(2):
        result = cli("scan", str(folder), "--catalog", "cat.yaml")
        assert result.code == 0, result.err
        assert "drift" not in result.err
    import yaml

    catalog = yaml.safe_load((steward / "cat.yaml").read_text(encoding="utf-8"))
    assert {"x.csv", "x.jsonl"} <= set(catalog["datasets"])
