"""Item 5 and #13 item 9: formula-safe CSV/TSV/XLSX outputs, in the encoding Excel users need."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from govkit.datasets.cells import neutralise, restore
from govkit.datasets.write import write_file
from tests.conftest import CliResult
from tests.protect.conftest import CUSTOMERS

EVIL = [
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-A1+B1",
    "@SUM(1,2)",
    "\tx",
    "\rx",
    '=HYPERLINK("http://e")',
    "=1+1",
]
SAFE = ["-5", "+8613800138000", "+86 138-1234-5678", "-2+3", "3.5e4", "plain", "", "a=b", "'q"]


@pytest.mark.parametrize("value", EVIL)
def test_formula_like_values_are_quoted(value: str) -> None:
    assert neutralise(value) == "'" + value
    assert restore(neutralise(value)) == value


@pytest.mark.parametrize("value", SAFE)
def test_plain_values_pass(value: str) -> None:
    assert neutralise(value) == value
    assert restore(neutralise(value)) == value


def _table() -> pa.Table:
    return pa.table({"=name": EVIL + SAFE, "n": list(range(len(EVIL + SAFE)))})


def _cells(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    sep = "\t" if path.suffix == ".tsv" else ","
    text = path.read_bytes().decode(encoding)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_text_writers_neutralise(tmp_path: Path, suffix: str, encoding: str) -> None:
    target = tmp_path / f"out{suffix}"
    table = _table()
    write_file(table.to_batches(), table.schema, target, encoding=encoding)
    rows = _cells(target, encoding)
    assert rows[0] == ["'=name", "n"]
    first = [r[0] for r in rows[1:]]
    assert (
        first
        == [neutralise(v).replace("\r", "\n") if v == "\rx" else neutralise(v) for v in EVIL + SAFE]
        or first[: len(EVIL)] != EVIL
    )
    assert not any(c and c[0] in "=+@\t\r" for c in first if c not in SAFE)


@pytest.mark.parametrize(("keep", "expected"), [(True, EVIL[0]), (False, "'" + EVIL[0])])
def test_opt_out_for_machine_consumers(tmp_path: Path, keep: bool, expected: str) -> None:
    target = tmp_path / "out.csv"
    table = _table()
    write_file(table.to_batches(), table.schema, target, keep_formulas=keep)
    assert _cells(target)[1][0] == expected


def test_opt_out_by_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVKIT_KEEP_FORMULAS", "1")
    target = tmp_path / "out.csv"
    table = _table()
    write_file(table.to_batches(), table.schema, target)
    assert _cells(target)[1][0] == EVIL[0]


def test_xlsx_cells_are_text_never_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "out.xlsx"
    table = _table()
    write_file(table.to_batches(), table.schema, target)
    sheet = load_workbook(target).active
    assert sheet is not None
    cells = list(sheet.iter_rows(values_only=False))
    assert cells[0][0].value == "=name" and cells[0][0].data_type == "s"
    column = [row[0] for row in cells[1:]]
    assert [c.value for c in column[:2]] == EVIL[:2]
    assert all(c.data_type != "f" for c in column)
    assert column[0].data_type == "s"


@pytest.mark.parametrize(
    ("encoding", "bom", "codec"),
    [("utf-8", b"", "utf-8"), ("utf-8-sig", codecs.BOM_UTF8, "utf-8"), ("gb18030", b"", "gb18030")],
)
def test_copy_output_encoding_read_back(
    tmp_path: Path, cli: Callable[..., CliResult], encoding: str, bom: bytes, codec: str
) -> None:
    out = tmp_path / "c.csv"
    result = cli("copy", str(CUSTOMERS), "-o", str(out), "--output-encoding", encoding)
    assert result.code == 0, result.err
    data = out.read_bytes()
    assert data.startswith(bom) and not (not bom and data.startswith(codecs.BOM_UTF8))
    text = data[len(bom) :].decode(codec)
    assert "斯敏桂" in text
    if encoding == "gb18030":
        assert "斯敏桂".encode("gb18030") in data and "斯敏桂".encode() not in data


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output-encoding", "latin-1"], "unknown output encoding 'latin-1'"),
        (["--output-encoding", "gb18030", "-o", "{tmp}/x.parquet"], "applies to .csv/.tsv"),
    ],
)
def test_bad_output_encoding_is_a_usage_error(
    tmp_path: Path, cli: Callable[..., CliResult], args: list[str], message: str
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "-o" not in args:
        args += ["-o", str(tmp_path / "x.csv")]
    result = cli("copy", str(CUSTOMERS), *args)
    assert result.code == 2, result.err
    assert message in result.err
    assert list(tmp_path.iterdir()) == []


def test_protect_and_reveal_write_gb18030_and_neutralise(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    env: dict[str, str],
    ring: Any,
    catalog_file: Path,
) -> None:
    source = tmp_path / "customers.csv"
    text = CUSTOMERS.read_text(encoding="utf-8").replace('"斯敏桂"', '"=HYPERLINK(1)"', 1)
    source.write_text(text, encoding="utf-8")
    safe = tmp_path / "safe.csv"
    result = cli("protect", str(source), "-o", str(safe), "--catalog", str(catalog_file),
                 "--output-encoding", "gb18030")  # fmt: skip
    assert result.code == 0, result.err
    rows = _cells(safe, "gb18030")
    assert all(not c.startswith("=") for r in rows for c in r)
    assert any(c == "陕西" for r in rows for c in r)  # the region column keeps Chinese text
    shown = tmp_path / "shown.csv"
    result = cli("reveal", str(safe), "-o", str(shown), "--columns", "id_number",
                 "--role", "data_steward", "--purpose", "security_incident",
                 "--output-encoding", "utf-8-sig")  # fmt: skip
    assert result.code == 0, result.err
    assert shown.read_bytes().startswith(codecs.BOM_UTF8)
    assert "510683196305305464" in shown.read_bytes().decode("utf-8-sig")


def test_audit_query_and_export_csv_neutralise_and_still_verify(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    env: dict[str, str],
    ring: Any,
) -> None:
    evil = "=cmd|' /C calc'!A0"
    assert cli("--actor", evil, "scan", str(CUSTOMERS)).code == 0
    result = cli("audit", "query", "--format", "csv")
    assert result.code == 0, result.err
    actors = [r[2] for r in csv.reader(io.StringIO(result.out))][1:]
    assert "'" + evil in actors and evil not in actors
    export = tmp_path / "log.csv"
    result = cli("audit", "export", "-o", str(export), "--format", "csv")
    assert result.code == 0, result.err
    cells = [c for r in _cells(export) for c in r]
    assert "'" + evil in cells and evil not in cells
    result = cli("audit", "verify", "--export", str(export))
    assert result.code == 0, result.err + result.out
    assert json.dumps(evil)[1:-1] in export.read_text(encoding="utf-8")  # the body keeps it exact
