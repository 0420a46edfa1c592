"""An output's ``keep_formulas:`` reaches the Spark CSV writer, as it reaches the local one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govkit.spark.frames import write_frame
from tests.spark._compare import read_output

pytestmark = pytest.mark.xdist_group("spark")


@pytest.mark.parametrize(
    ("keep", "env", "expected"),
    [
        (True, None, "=HYPERLINK(1)"),
        (False, None, "'=HYPERLINK(1)"),
        (None, None, "'=HYPERLINK(1)"),
        (None, "1", "=HYPERLINK(1)"),
        (False, "1", "'=HYPERLINK(1)"),  # the output's setting wins over the environment
    ],
)
def test_keep_formulas_of_the_output_decides(
    spark: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    keep: bool | None,
    env: str | None,
    expected: str,
) -> None:
    if env is None:
        monkeypatch.delenv("GOVKIT_KEEP_FORMULAS", raising=False)
    else:
        monkeypatch.setenv("GOVKIT_KEEP_FORMULAS", env)
    frame = spark.createDataFrame([("=HYPERLINK(1)", "12")], "a string, b string")
    target = tmp_path / "out.csv"
    write_frame(frame, str(target), str(target), keep_formulas=keep)
    assert read_output(target).to_pylist() == [{"a": expected, "b": "12"}]
