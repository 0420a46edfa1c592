"""scan_dataset, the classifier's parts, bad input and the catalog merge."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest

from govkit.catalog import CatalogColumn, DatasetCatalog, load_catalog, merge_dataset, save_catalog
from govkit.classify import load_classification
from govkit.datasets import open_dataset
from govkit.detect.headers import header_hint
from govkit.detect.report import mask_value
from govkit.detect.scan import sample_rows, scan_dataset
from govkit.errors import ConfigError, PolicyError
from tests.conftest import CliResult

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scan"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("身份证号", "CN_RESIDENT_ID"), ("证件号码", "CN_RESIDENT_ID"), ("sfzh", "CN_RESIDENT_ID"),
        ("id_card", "CN_RESIDENT_ID"), ("idNumber", "CN_RESIDENT_ID"), ("手机", "PHONE_NUMBER"),
        ("联系电话", "PHONE_NUMBER"), ("sjhm", "PHONE_NUMBER"), ("mobile", "PHONE_NUMBER"),
        ("姓名", "PERSON"), ("xm", "PERSON"), ("customer_name", "PERSON"), ("邮箱", "EMAIL_ADDRESS"),
        ("银行卡号", "CREDIT_CARD"), ("bank_card", "CREDIT_CARD"), ("出生日期", "DATE_OF_BIRTH"),
        ("dob", "DATE_OF_BIRTH"), ("民族", "ETHNICITY"), ("家庭住址", "LOCATION"),
        ("store_name", None), ("product_name", None), ("customer_id", None), ("col_7", None),
        ("f5", None), ("order_no", None), ("created_at", None), ("zip", None),
        ("user_phone", "PHONE_NUMBER"), ("user_email", "EMAIL_ADDRESS"),
        ("customer_id_card", "CN_RESIDENT_ID"), ("store_address", None), ("user_name", None),
    ],
)  # fmt: skip
def test_header_hints(header: str, expected: str | None) -> None:
    hint = header_hint(header)
    assert (hint[0] if hint else None) == expected


@pytest.mark.parametrize(
    ("entity", "value", "masked"),
    [
        ("PHONE_NUMBER", "13812345678", "13*******78"),
        ("CN_RESIDENT_ID", "11010519491231002X", "11**************2X"),
        ("EMAIL_ADDRESS", "wang.wei@example.cn", "w***@example.cn"),
        ("PERSON", "张伟", "张*"),
        ("LOCATION", "北京市朝阳区建国路88号", "北京市***"),
        ("LOCATION", "海淀区", "海***"),  # a short value never shows whole
        ("LOCATION", "京", "***"),
        ("PERSON", "张", "*"),
        ("DATE_OF_BIRTH", "1990-03-07", "19**-**-**"),
        (None, "男", "*"),
        (None, "C0000001", "C*******"),
    ],
)
def test_mask_value_never_shows_the_value(entity: str | None, value: str, masked: str) -> None:
    assert mask_value(entity, value) == masked


def test_sample_is_uniform_and_counts_every_row(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("n\n" + "".join(f"{i}\n" for i in range(20_000)), encoding="utf-8")
    table, total = sample_rows(open_dataset(str(path), batch_rows=1000), 500)
    values = [int(v) for v in table.column("n").to_pylist()]
    assert total == 20_000 and len(values) == len(set(values)) == 500
    assert 7_000 < sum(values) / len(values) < 13_000  # not the head of the file


def test_full_mode_confirms_every_value() -> None:
    scan = scan_dataset(open_dataset(str(FIXTURES / "tricky.csv")), sample_size=50, full=True)
    assert (scan.rows_total, scan.rows_scanned, scan.sampled) == (240, 240, False)
    by_name = {c.name: c for c in scan.columns}
    assert by_name["f5"].entities[0].count == 240
    sampled = scan_dataset(open_dataset(str(FIXTURES / "tricky.csv")), sample_size=50)
    assert (sampled.rows_scanned, sampled.sampled) == (50, True)


def test_action_follows_the_entity_that_sets_the_tier(tmp_path: Path) -> None:
    from govkit.detect.validators import cn_resident_id_check_char

    ids = [f"110105198001{i:02d}012" for i in range(1, 21)]
    rows = [f"1381234{i:04d}" for i in range(80)] + [b + cn_resident_id_check_char(b) for b in ids]
    (tmp_path / "mix.csv").write_text("contact\n" + "\n".join(rows) + "\n", encoding="utf-8")
    column = scan_dataset(open_dataset(str(tmp_path / "mix.csv"))).columns[0]
    assert [e.type for e in column.entities] == ["PHONE_NUMBER", "CN_RESIDENT_ID"]
    assert (column.entity, column.sensitivity, column.recommended_action) == (
        "PHONE_NUMBER",
        "high",
        "tokenize",
    )


def test_free_text_lists_embedded_entities() -> None:
    scan = scan_dataset(open_dataset(str(FIXTURES / "generated" / "tickets.csv")), full=True)
    complaint = next(c for c in scan.columns if c.name == "complaint")
    types = {e.type for e in complaint.entities}
    assert complaint.kind == "free_text"
    assert {"PHONE_NUMBER", "EMAIL_ADDRESS", "PERSON", "CN_RESIDENT_ID"} <= types
    assert complaint.sensitivity == "high" and complaint.recommended_action == "redact"
    assert all(s.startswith("<") for s in complaint.masked_samples)


def test_gb18030_file_is_read_and_classified() -> None:
    scan = scan_dataset(open_dataset(str(FIXTURES / "gb18030.csv")))
    labels = {c.name: c.entity for c in scan.columns}
    assert labels["身份证号"] == "CN_RESIDENT_ID" and labels["xm"] == "PERSON"


def test_classification_yaml_changes_tiers(tmp_path: Path) -> None:
    (tmp_path / "classification.yaml").write_text(
        "tiers:\n  PHONE_NUMBER: high\nactions:\n  PHONE_NUMBER: tokenize\n", encoding="utf-8"
    )
    rules = load_classification(tmp_path)
    assert (rules.tier("PHONE_NUMBER"), rules.action("PHONE_NUMBER")) == ("high", "tokenize")
    assert rules.tier("CN_RESIDENT_ID") == "high" and rules.tier(None) == "low"
    assert load_classification(tmp_path / "missing").tier("EMAIL_ADDRESS") == "medium"


@pytest.mark.parametrize(
    ("text", "message"),
    [("tiers:\n  PHONE_NUMBER: extreme\n", "tiers.PHONE_NUMBER"), ("colour: red\n", "colour"), (": [", "not valid YAML")],
)  # fmt: skip
def test_bad_classification_yaml_names_file_and_field(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "classification.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match="classification.yaml") as info:
        load_classification(tmp_path)
    assert message in str(info.value)


def test_catalog_roundtrip_and_merge(tmp_path: Path) -> None:
    path = tmp_path / "cat.yaml"
    assert load_catalog(path).datasets == {}
    old = DatasetCatalog(
        columns={
            "a": CatalogColumn(entity="PERSON", sensitivity="medium", reviewed=True),
            "b": CatalogColumn(entity=None),
            "gone": CatalogColumn(),
        }
    )
    new = DatasetCatalog(
        columns={"a": CatalogColumn(), "b": CatalogColumn(entity="PHONE_NUMBER", sensitivity="medium"), "c": CatalogColumn()}
    )  # fmt: skip
    merged, drift = merge_dataset(old, new)
    assert merged.columns["a"].entity == "PERSON" and merged.columns["a"].reviewed
    assert merged.columns["b"].entity == "PHONE_NUMBER"
    assert drift == [
        "a: changed: PERSON/medium → none/low (steward's entry kept)",
        "b: changed: none/low → PHONE_NUMBER/medium",
        "c: new",
        "gone: removed",
    ]
    from govkit.catalog import Catalog

    save_catalog(Catalog(datasets={"d": merged}), path)
    assert load_catalog(path).datasets["d"] == merged
    path.write_text("datasets: {d: {columns: {a: {entity: 1, colour: x}}}}", encoding="utf-8")
    with pytest.raises(ConfigError, match="cat.yaml:1: datasets.d.columns.a"):
        load_catalog(path)


def _bad(tmp: Path) -> dict[str, bytes]:
    return {
        "empty.csv": b"",
        "binary.csv": b"\x00\x01\x02\xff" * 64,
        "undecodable.csv": b"name\n\xff\xfe\xfa\x80\x81\n",
    }


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "empty.csv: file is empty"),
        ("binary.csv", "binary.csv: not a text file (binary content)"),
        ("undecodable.csv", "undecodable.csv: cannot tell the text encoding"),
    ],
)
def test_bad_files_give_one_error_line(
    tmp_path: Path, cli: Callable[..., CliResult], name: str, message: str
) -> None:
    for file, data in _bad(tmp_path).items():
        (tmp_path / file).write_bytes(data)
    result = cli("--audit-url", f"sqlite:///{tmp_path}/a.db", "scan", str(tmp_path / name))
    assert result.code == 3
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert "Traceback" not in result.err and "\\xff" not in result.err


@pytest.mark.parametrize(
    "lines",
    [b'{"a": 1}\n{"a": "two"}\n{"a": 3.5}\n', b'{"a": 1}\n{"a": "two"}\n{"a": [1, 2]}\n'],
    ids=["scalars", "with-a-list"],
)
def test_mixed_types_give_a_clear_result(
    tmp_path: Path, cli: Callable[..., CliResult], lines: bytes
) -> None:
    (tmp_path / "mixed.jsonl").write_bytes(lines)
    result = cli(
        "--audit-url",
        f"sqlite:///{tmp_path}/a.db",
        "scan",
        str(tmp_path / "mixed.jsonl"),
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    column = json.loads(result.out)["columns"][0]
    assert (column["name"], column["entity"], column["sensitivity"]) == ("a", None, "low")


def test_huge_cell_null_column_and_nested_values_give_a_clear_result(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    cell = ("客户张伟来电，电话13812345678，服务很好。" * 400_000)[: 10 * 2**20 // 3]
    (tmp_path / "big.csv").write_text(f'note,empty\n"{cell}",\n', encoding="utf-8")
    result = cli(
        "--audit-url",
        f"sqlite:///{tmp_path}/a.db",
        "scan",
        str(tmp_path / "big.csv"),
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    columns = {c["name"]: c for c in json.loads(result.out)["columns"]}
    assert columns["note"]["kind"] == "free_text"
    assert columns["empty"]["evidence"]["note"] == "all values are null or empty"
    assert "13812345678" not in result.out

    nested = pa.table({"tags": pa.array([[1, 2], None]), "blob": pa.array([b"\x00\xff", None])})
    import pyarrow.parquet as pq

    pq.write_table(nested, tmp_path / "nested.parquet")
    scan = scan_dataset(open_dataset(str(tmp_path / "nested.parquet")))
    notes = {c.name: c.evidence.note for c in scan.columns}
    assert notes == {
        "tags": "nested values are not inspected",
        "blob": "binary values are not inspected",
    }
