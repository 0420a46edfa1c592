"""A standard GX suite runs unchanged on CSV: numbers and dates are cast, identifiers stay text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from govkit.datasets import open_dataset
from govkit.quality.validate import validate_dataset

CSV = "id,score,day\n007,5,2024-01-03\n008,abc,2024-02-30\n009,11,2023-12-31\n010,,2024-05-01\n"


def _between(column: str, low: Any, high: Any) -> dict[str, Any]:
    kwargs = {"column": column, "min_value": low, "max_value": high}
    return {"type": "expect_column_values_to_be_between", "kwargs": kwargs}


@pytest.mark.parametrize(
    ("rule", "success", "unexpected"),
    [
        (_between("score", 0, 10), False, 2),  # 'abc' does not parse: unexpected; 11 is out
        (_between("score", 0, 20), False, 1),  # only 'abc'
        (_between("score", 0, None), False, 1),  # only a lower bound: 'abc' still unexpected
        (_between("day", "2024-01-01", "2024-12-31"), False, 2),  # 02-30 invalid, 2023 out
        (_between("day", "2023-01-01", "2024-12-31"), False, 1),
        (_between("id", 7, 10), True, 0),  # an identifier column compared as numbers
        ({"type": "expect_column_values_to_match_regex",
          "kwargs": {"column": "id", "regex": "^0\\d\\d$"}}, True, 0),  # ids keep zeros
        ({"type": "expect_column_mean_to_be_between",
          "kwargs": {"column": "score", "min_value": 7, "max_value": 9}}, True, None),
        ({"type": "expect_column_max_to_be_between",
          "kwargs": {"column": "score", "min_value": 0, "max_value": 10}}, False, None),
    ],
)  # fmt: skip
def test_plain_gx_rules_on_csv(
    tmp_path: Path, rule: dict[str, Any], success: bool, unexpected: int | None
) -> None:
    (tmp_path / "t.csv").write_text(CSV, encoding="utf-8")
    suite = tmp_path / "t.json"
    suite.write_text(json.dumps({"name": "t", "expectations": [rule]}), encoding="utf-8")
    result = validate_dataset(open_dataset(str(tmp_path / "t.csv")), suite)  # never raises
    (only,) = result.results
    assert only.success is success
    assert only.model_dump().get("unexpected_count") == unexpected
