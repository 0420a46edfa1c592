"""JSON Lines whose types shift between blocks; Excel's limits on what a sheet can hold."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from govkit.datasets import open_dataset, write_dataset
from govkit.errors import DatasetError

SPARSE_THEN_PRESENT = (
    b'{"id": 1, "resolved_at": null}\n' * 400 + b'{"id": 2, "resolved_at": "soon"}\n'
)
NUMBER_THEN_TEXT = b'{"phone": 13812345678}\n' * 400 + b'{"phone": "138-1234-5678"}\n'
DATE_THEN_TEXT = b'{"when": "2024-05-01"}\n' * 400 + b'{"when": "n/a"}\n'
DATES_ONLY = b'{"when": "2024-05-01T08:30:00"}\n' * 401
INT_THEN_FLOAT = b'{"amount": 12}\n' * 400 + b'{"amount": 12.5}\n'
NEW_FIELD_LATE = b'{"a": "x"}\n' * 400 + b'{"a": "y", "late": true}\n'


@pytest.mark.parametrize("chunk", [256, 1 << 20], ids=["many-chunks", "one-chunk"])
@pytest.mark.parametrize(
    ("raw", "column", "kind", "last"),
    [
        (SPARSE_THEN_PRESENT, "resolved_at", pa.string(), "soon"),
        (NUMBER_THEN_TEXT, "phone", pa.string(), "138-1234-5678"),
        (INT_THEN_FLOAT, "amount", pa.float64(), 12.5),
        (NEW_FIELD_LATE, "late", pa.bool_(), True),
        (DATE_THEN_TEXT, "when", pa.string(), "n/a"),
        (DATES_ONLY, "when", pa.string(), "2024-05-01T08:30:00"),
    ],
    ids=[
        "null-then-text",
        "number-then-text",
        "int-then-float",
        "field-appears-late",
        "date-then-text",
        "iso-dates-stay-text",
    ],
)
def test_jsonl_types_are_unified_over_the_whole_file(
    tmp_path: Path, chunk: int, raw: bytes, column: str, kind: pa.DataType, last: object
) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(raw)
    dataset = open_dataset(str(path), batch_rows=100)
    dataset.chunk_bytes = chunk  # type: ignore[attr-defined]
    assert dataset.schema.field(column).type == kind
    batches = list(dataset.batches())
    assert len(batches) >= 5 and all(b.schema == dataset.schema for b in batches)
    values = pa.Table.from_batches(batches).column(column).to_pylist()
    assert len(values) == 401 and values[-1] == last


@pytest.mark.parametrize(
    ("raw", "column", "first"),
    [(NUMBER_THEN_TEXT, "phone", "13812345678"), (DATE_THEN_TEXT, "when", "2024-05-01")],
)
def test_jsonl_values_unified_to_text_keep_their_exact_form(
    tmp_path: Path, raw: bytes, column: str, first: str
) -> None:
    path = tmp_path / "p.jsonl"
    path.write_bytes(raw)
    dataset = open_dataset(str(path))
    dataset.chunk_bytes = 256  # type: ignore[attr-defined]
    assert dataset.read_all().column(column).to_pylist()[0] == first


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"a": 1}\n{"a": \n', "not valid JSON Lines"),
        (b'{"a": 1}\n{"a": "x"}\n[1, 2]\n', "not valid JSON Lines"),
        (b'{"a": {"b": 1}}\n{"a": "flat"}\n', "column 'a' mixes nested and plain values"),
        (b"\n\n   \n", "no records"),
    ],
    ids=["truncated", "not-an-object", "nested-vs-plain", "blank-lines-only"],
)
def test_bad_jsonl_is_refused_with_the_file_named(tmp_path: Path, raw: bytes, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(raw)
    dataset = open_dataset(str(path))
    dataset.chunk_bytes = 12  # type: ignore[attr-defined]  # one line per chunk
    with pytest.raises(DatasetError, match=message) as exc:
        dataset.read_all()
    assert str(exc.value).startswith(str(path))


def test_xlsx_refuses_control_characters_naming_the_column(tmp_path: Path) -> None:
    table = pa.table({"ok": ["a", "b"], "备注": ["fine", "secret\x0bvalue"]})
    target = tmp_path / "out.xlsx"
    with pytest.raises(DatasetError, match="column '备注' holds control characters") as exc:
        write_dataset(table.to_batches(), table.schema, str(target))
    assert "secret" not in str(exc.value)
    assert list(tmp_path.iterdir()) == []


def test_xlsx_keeps_tabs_and_newlines(tmp_path: Path) -> None:
    table = pa.table({"note": ["line1\nline2", "a\tb"]})
    target = tmp_path / "out.xlsx"
    write_dataset(table.to_batches(), table.schema, str(target))
    assert open_dataset(str(target)).read_all().equals(table)


def test_xlsx_with_duplicate_headers_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "电话", "姓名"])
    sheet.append(["张伟", "13812345678", "李娜"])
    path = tmp_path / "dupes.xlsx"
    book.save(path)
    with pytest.raises(DatasetError, match="duplicate column names: 姓名"):
        open_dataset(str(path))


@pytest.mark.parametrize("sheet", [None, "客户"])
def test_xlsx_sheet_by_name_or_first(tmp_path: Path, sheet: str | None) -> None:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "客户"
    first.append(["身份证号", "金额"])
    first.append(["11010519491231002X", 12.0])
    other = book.create_sheet("其他")
    other.append(["x"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    table = open_dataset(str(path), sheet=sheet).read_all()
    assert table.to_pydict() == {"身份证号": ["11010519491231002X"], "金额": ["12"]}


def test_xlsx_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    assert book.active is not None
    book.active.title = "客户"
    book.active.append(["a"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    with pytest.raises(DatasetError, match="no sheet 'nope' \\(sheets: 客户\\)"):
        open_dataset(str(path), sheet="nope")
