"""A cell longer than the inspected prefix: a structured column fails closed, free text is scanned whole."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govkit.datasets import open_dataset
from govkit.detect.columns import MAX_CELL
from govkit.detect.scan import scan_dataset

LONG = "A" * (MAX_CELL + 10) + "13812345678"


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize(
    ("values", "sensitivity", "action"),
    [
        (["A1", "B2", LONG, "C3"], "high", "tokenize"),  # a phone past the prefix
        (["A1", "B2", "A" * MAX_CELL, "C3"], "low", "none"),  # exactly the prefix: seen whole
        (["A1", "B2", "C3", "D4"], "low", "none"),
    ],
)
def test_structured_column_with_an_overlong_cell(
    tmp_path: Path, values: list[str], sensitivity: str, action: str, full: bool
) -> None:
    path = tmp_path / "long.parquet"
    pq.write_table(pa.table({"code": values}), path)
    column = scan_dataset(open_dataset(str(path)), full=full).columns[0]
    assert (column.sensitivity, column.recommended_action) == (sensitivity, action)
    if sensitivity == "high":
        assert "fail closed" in (column.evidence.note or "")
        assert "13812345678" not in column.model_dump_json()


def test_free_text_column_is_not_failed_closed(tmp_path: Path) -> None:
    sentence = "客户来电咨询订单，说明情况后挂断。" * 8
    values = [sentence + str(i) for i in range(20)] + [sentence * (MAX_CELL // len(sentence) + 1)]
    path = tmp_path / "notes.parquet"
    pq.write_table(pa.table({"note": values}), path)
    column = scan_dataset(open_dataset(str(path))).columns[0]
    assert column.kind == "free_text"
    assert column.sensitivity == "low"  # protect still scans every cell whole (free_text rule)
