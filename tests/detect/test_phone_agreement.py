"""One phone validator: scan, validate and protect agree on every case of one table.

Each row: a value as typed, and its canonical form (None: not a phone) with the
default regions (CN, HK, MO, TW, US, GB). Scan's column matcher also needs to
know whether the value is a bare digit run valid only as a foreign national
number (it then has the phone shape, and the header decides).
"""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pytest

from govkit.detect.matchers import match_values
from govkit.detect.phone_checks import phone_ok
from govkit.normalize import normalize_phone, normalize_text, phone_numbers
from govkit.protect.normalize import normalized
from govkit.quality.expectations import checks

CASES: list[tuple[str, str | None, bool]] = [
    # value, canonical, bare foreign national
    ("13812345678", "13812345678", False),
    ("138-1234-5678", "13812345678", False),
    ("+86 138 1234 5678", "13812345678", False),
    ("0086 138 1234 5678", "13812345678", False),
    ("8613812345678", "13812345678", False),
    ("１３８１２３４５６７８", "13812345678", False),
    ("138.1234.5678", "13812345678", False),
    ("(010) 1234 5678", "1012345678", False),
    ("0755-8888 6666", "75588886666", False),
    ("010-12345678 转 8001", "1012345678", False),
    ("+86 10 1234 5678", "1012345678", False),
    ("+44 20 7946 0958", "+442079460958", False),
    ("0044 20 7946 0958", "+442079460958", False),
    ("+1 (415) 555-2671", "+14155552671", False),
    ("+852 2345 6789", "+85223456789", False),
    ("(646) 786-8997", "+16467868997", False),
    ("646-786-8997 ext. 12", "+16467868997", False),
    ("6467868997", "+16467868997", True),
    ("2345 6789", "+85223456789", False),
    ("23456789", "+85223456789", True),
    ("02-2345-6789", "+886223456789", False),
    ("0161 496 0000", "+441614960000", False),
    # not phones
    ("12345", None, False),
    ("1381234567", None, False),
    ("138123456789", None, False),
    ("10000000000", None, False),
    ("+86 999", None, False),
    ("+44 12", None, False),
    ("2024-01-05 10:11:12", None, False),
    ("SKU-AB-10293", None, False),
    ("order 12", None, False),
    ("6222 0212 3456 7890", None, False),
]
VALUES = [value for value, _, _ in CASES]


@pytest.mark.parametrize(("value", "canonical", "bare_foreign"), CASES)
def test_definition(value: str, canonical: str | None, bare_foreign: bool) -> None:
    assert normalize_phone(value) == canonical


def test_vectorised_equals_definition() -> None:
    found = phone_numbers(pa.array(VALUES, pa.string()))
    assert found.canonical == [c for _, c, _ in CASES]
    assert found.valid.tolist() == [c is not None for _, c, _ in CASES]


def _text_ok(value: str, canonical: str | None) -> bool:
    """In running text a foreign national number needs 3+ digit groups, brackets or a cue."""
    if canonical is None or not canonical.startswith("+"):
        return canonical is not None
    written = value.strip()
    return written.startswith(("+", "00", "(")) or len(re.findall("[0-9]+", written)) >= 3


def test_scan_text_patterns_agree() -> None:
    assert [phone_ok(v) for v in VALUES] == [_text_ok(v, c) for v, c, _ in CASES]
    assert [phone_ok("tel " + v) for v in VALUES] == [c is not None for _, c, _ in CASES]


def test_scan_column_matcher_agrees() -> None:
    values = pa.array([normalize_text(v) for v in VALUES], pa.string())
    valid = match_values(values, ["PHONE_NUMBER"]).valid["PHONE_NUMBER"].tolist()
    assert valid == [c is not None and not bare for _, c, bare in CASES]


def test_validate_agrees() -> None:
    series = pd.Series(VALUES)
    assert checks.valid_cn_phone(series, True).tolist() == [c is not None for _, c, _ in CASES]
    chinese = [c is not None and not c.startswith("+") for _, c, _ in CASES]
    assert checks.valid_cn_phone(series, False).tolist() == chinese


def test_protect_agrees() -> None:
    expected = [c or normalize_text(v) for v, c, _ in CASES]
    assert normalized("PHONE_NUMBER", pa.array(VALUES, pa.string())) == expected


def test_duplicates_use_the_same_key() -> None:
    frame = pd.DataFrame({"phone": ["138-1234-5678", "+86 13812345678", "(646) 786-8997"]})
    unique = checks.unique_after_normalization(frame, {"phone": "PHONE_NUMBER"})
    assert unique.tolist() == [False, False, True]
