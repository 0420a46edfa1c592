"""The vectorised checks behind govkit's expectations, row by row (no GX)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

from govkit.quality.expectations import checks

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("11010519491231002X", True),
        ("11010519491231002x", True),  # lower-case x is normalised
        ("１１０１０５１９４９１２３１００２X", True),  # full-width digits
        ("110105194912310021", False),  # wrong check character
        ("420601591127199", True),  # legacy 15-digit
        ("not-an-id", False),
    ],
)
def test_resident_id(value: str, ok: bool) -> None:
    assert checks.valid_cn_resident_id(pd.Series([value])).tolist() == [ok]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("6212268297174819", True),
        ("4111 1111 1111 1111", True),
        ("4111111111111112", False),
        ("12345", False),
    ],
)
def test_bank_card(value: str, ok: bool) -> None:
    assert checks.valid_bank_card(pd.Series([value])).tolist() == [ok]


@pytest.mark.parametrize(
    ("value", "international", "ok"),
    [
        ("138-1234-5678", False, True),
        ("+86 138 1234 5678", False, True),
        ("010-12345678", False, True),
        ("12", False, False),
        ("+44 20 7946 0958", False, False),
        ("+44 20 7946 0958", True, True),
    ],
)
def test_phone(value: str, international: bool, ok: bool) -> None:
    assert checks.valid_cn_phone(pd.Series([value]), international).tolist() == [ok]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("91350100M000100Y43", True), ("91350100M000100Y44", False), ("short", False)],
)
def test_uscc(value: str, ok: bool) -> None:
    assert checks.valid_cn_uscc(pd.Series([value])).tolist() == [ok]


@pytest.mark.parametrize(
    ("id_number", "birth", "ok"),
    [
        ("11010519491231002X", "1949-12-31", True),
        ("11010519491231002X", "1949-12-30", False),
        ("110105491231002", "1949-12-31", True),  # legacy: 19 + YYMMDD
        ("garbage", "1949-12-31", False),
    ],
)
def test_id_birth_date(id_number: str, birth: str, ok: bool) -> None:
    got = checks.id_matches_birth_date(pd.Series([id_number]), pd.Series([birth]))
    assert got.tolist() == [ok]


@pytest.mark.parametrize(
    ("id_number", "gender", "ok"),
    [
        ("11010519491231002X", "女", True),  # 17th digit 2: even = female
        ("11010519491231002X", "F", True),
        ("11010519491231002X", "男", False),
        ("110105194912310013", "M", True),
        ("110105194912310013", "male", True),
        ("110105194912310013", "其他", False),
        ("110105194912310013", " Ｍ ", True),  # full-width, padded
        ("110105194912310013", "FEMALE", False),
        ("110105491231001", "M", True),  # legacy 15-digit: the last digit
        ("110105491231002", "M", False),
        ("１１０１０５１９４９１２３１００１３", "男", True),  # full-width ID
        ("110-105-1949-1231-0013", "男", True),  # separators are dropped first
        ("1101051949123100A3", "男", False),  # no sex digit
        ("11010519491231001", "男", False),  # 17 characters: no sex digit
        ("", "男", False),
    ],
)
def test_id_gender(id_number: str, gender: str, ok: bool) -> None:
    got = checks.id_matches_gender(pd.Series([id_number]), pd.Series([gender]))
    assert got.tolist() == [ok]


@pytest.mark.parametrize(
    ("value", "lo", "hi", "integer", "ok"),
    [
        ("3", 1, 5, True, True),
        ("9", 1, 5, True, False),
        ("2.5", 1, 5, True, False),
        ("2.5", 1, 5, False, True),
        ("x", 1, 5, False, False),  # text that is not a number fails
        ("-3", 0, None, False, False),
    ],
)
def test_number_between(value: str, lo: float, hi: float | None, integer: bool, ok: bool) -> None:
    assert checks.number_between(pd.Series([value]), lo, hi, integer).tolist() == [ok]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2025-12-31", True),
        ("2025-12-31T23:59:59", True),
        ("2026-01-01T07:00:00+08:00", True),  # 23:00 UTC the day before
        ("2026-01-01T09:00:00+08:00", False),  # 01:00 UTC
        ("2026-01-02", False),
        ("31/12/2025", False),
    ],
)
def test_not_in_future(value: str, ok: bool) -> None:
    assert checks.not_in_future(pd.Series([value]), now=NOW).tolist() == [ok]


def test_id_gender_with_nulls_in_either_column() -> None:
    ids = pd.Series(["110105194912310013", None, "11010519491231002X", None])
    genders = pd.Series([None, "M", "女", None])
    assert checks.id_matches_gender(ids, genders).tolist() == [False, False, True, False]


def test_normalized_keys_of_text_equal_normalize_value_per_value() -> None:
    from govkit.normalize import normalize_value

    names = ["张三", " 张三 ", "ＺＨＡＮＧ", "Zhang\u00a0San", "zhang san", None, "", "①"]
    frame = pd.DataFrame({"name": pd.Series(names, dtype=object), "n": [1, 2, 3, 4, 5, 6, 7, 8]})
    keys = checks.normalized_keys(frame, {})
    got = [None if pd.isna(k) else k for k in keys["name"].tolist()]
    assert got == [None if v is None else normalize_value("TEXT", v) for v in names]
    assert keys["n"].tolist() == [normalize_value("TEXT", str(v)) for v in range(1, 9)]
    chunked = pa.table({"name": pa.chunked_array([names[:4], names[4:]])}).to_pandas()
    again = checks.normalized_keys(chunked, {})["name"].tolist()  # Arrow-backed, two chunks
    assert [None if pd.isna(k) else k for k in again] == got


def test_unique_after_normalization_marks_every_member() -> None:
    frame = pd.DataFrame(
        {
            "name": ["张三", "张三", "张三", "李四"],
            "phone": ["138-1234-5678", "+86 138 1234 5678", "13912345678", "138-1234-5678"],
        }
    )
    got = checks.unique_after_normalization(frame, {"phone": "PHONE_NUMBER"})
    assert got.tolist() == [False, False, True, True]
