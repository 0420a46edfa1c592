"""normalize_*: the forms people type become one canonical form."""

from __future__ import annotations

import pytest

from govkit.normalize import normalize_id, normalize_phone, normalize_text, normalize_value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  １３８１２３４５６７８ ", "13812345678"),
        ("ＡＢＣ", "ABC"),
        ("张伟", "张伟"),
        ("", ""),
        ("\tx\n", "x"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+86-138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("(138) 1234-5678", "13812345678"),
        ("010-12345678", "1012345678"),
        ("0755-12345678", "75512345678"),
        ("+86 10 1234 5678", "1012345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("0044 20 7946 0958", "+442079460958"),
        # national formats of the default regions (HK, MO, TW, US, GB)
        ("(646) 786-8997", "+16467868997"),
        ("12345678901", "+12345678901"),
        ("2345 6789", "+85223456789"),
        ("0161 496 0000", "+441614960000"),
        ("020 7946 0958", "2079460958"),  # also a Guangzhou landline: CN is tried first
        ("1381234567", None),  # GB numbers are written with their trunk 0
        ("02-2345-6789", "+886223456789"),
        # negatives
        ("C0000001", None),
        ("2024-01-05 10:11:12", None),
        ("", None),
        ("SKU-AB-10293", None),
        ("138123456789", None),
        ("123456789012345678", None),
        ("+86 999", None),
        ("hello", None),
    ],
)
def test_normalize_phone(raw: str, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "regions", "expected"),
    [
        ("12345678901", ("CN",), None),
        ("(646) 786-8997", ("CN",), None),
        ("(646) 786-8997", ("US",), "+16467868997"),
        ("+1 646 786 8997", ("CN",), "+16467868997"),
        ("13812345678", ("US",), None),
        ("+86 138 1234 5678", ("US",), "13812345678"),
        ("2345 6789", ("CN", "US"), None),
        ("2345 6789", ("HK",), "+85223456789"),
    ],
)
def test_normalize_phone_regions(raw: str, regions: tuple[str, ...], expected: str | None) -> None:
    assert normalize_phone(raw, regions) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),
        ("110105 19491231 002X", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        ("6222-0212-3456-7890", "6222021234567890"),
        ("e12345678", "E12345678"),
    ],
)
def test_normalize_id(raw: str, expected: str) -> None:
    assert normalize_id(raw) == expected


@pytest.mark.parametrize(
    ("entity", "raw", "expected"),
    [
        ("PHONE_NUMBER", "+86 138-1234-5678", "13812345678"),
        ("PHONE_NUMBER", "not a phone", "not a phone"),
        ("CN_RESIDENT_ID", " 11010519491231002x ", "11010519491231002X"),
        ("CREDIT_CARD", "6222 0212 3456 7890", "6222021234567890"),
        ("EMAIL_ADDRESS", " Wang.Wei@Example.CN ", "wang.wei@example.cn"),
        ("PERSON", " 张伟 ", "张伟"),
        ("LOCATION", "北京市朝阳区建国路８８号", "北京市朝阳区建国路88号"),
    ],
)
def test_normalize_value_dispatches_by_entity(entity: str, raw: str, expected: str) -> None:
    assert normalize_value(entity, raw) == expected
