"""Header + shape: a column is its header's entity even when its values do not validate."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govkit.datasets import open_dataset
from govkit.detect.scan import scan_dataset

UNPLANNED_PHONES = [f"100{i:08d}" for i in range(40)]  # 11 digits, no country's plan
BAD_IDS = [f"1101011990030{i:04d}" + "0" for i in range(40)]  # 18 digits, mostly bad checks
BAD_CARDS = [f"62220212345{i:05d}" for i in range(40) if i % 10]  # Luhn mostly fails
US_NATIONAL = [f"(646) 786-{8000 + i}" for i in range(40)]
BARE_US = [f"646786{8000 + i}" for i in range(40)]
BARE_HK = [f"2345{6000 + i}" for i in range(40)]


@pytest.mark.parametrize(
    ("header", "values", "entity", "validated"),
    [
        ("phone", UNPLANNED_PHONES, "PHONE_NUMBER", False),
        ("mobile", BARE_US, "PHONE_NUMBER", False),  # bare foreign national: the header decides
        ("phone_us", US_NATIONAL, "PHONE_NUMBER", True),
        ("身份证号", BAD_IDS, "CN_RESIDENT_ID", False),
        ("card_no", BAD_CARDS, "CREDIT_CARD", False),
        # no header naming the entity: shape alone never classifies
        ("order_no", UNPLANNED_PHONES, None, False),
        ("member_no", BARE_HK, None, False),
        ("ref", BAD_CARDS, None, False),
        ("code", BAD_IDS, None, False),
        ("contact", US_NATIONAL, "PHONE_NUMBER", True),  # values decide on their own
    ],
)
def test_header_and_shape(
    tmp_path: Path, header: str, values: list[str], entity: str | None, validated: bool
) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({header: values}), path)
    column = scan_dataset(open_dataset(str(path))).columns[0]
    assert column.entity == entity
    note = column.evidence.note or ""
    assert ("not validated" in note) is (entity is not None and not validated)
    if entity is not None and not validated:
        assert column.confidence <= 0.7
        assert column.sensitivity in ("high", "medium")
