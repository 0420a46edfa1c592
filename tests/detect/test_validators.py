"""Validators: scalar and vectorised checks agree and catch the tricky negatives."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from govkit.detect.validators import (
    cn_resident_id_check_char,
    is_cn_phone,
    is_cn_resident_id,
    is_cn_uscc,
    is_email,
    is_luhn,
    luhn_check_digit,
    valid_cn_resident_ids,
    valid_luhn,
)


def _rid(body17: str) -> str:
    return body17 + cn_resident_id_check_char(body17)


def _card(body: str) -> str:
    return body + luhn_check_digit(body)


VALID_ID = _rid("11010119900307775")
RESIDENT_IDS = [
    ("11010519491231002X", True),  # the GB 11643 textbook example
    ("11010519491231002x", True),  # lower-case x
    (VALID_ID, True),
    (_rid("11010319800101123"), True),  # 110103 崇文区, retired in 2010: still a real ID
    (_rid("62020119851111123"), True),  # 620201: stdnum raises KeyError here
    (_rid("81000019900101123"), True),  # Hong Kong residence permit
    (_rid("82000019900101123"), True),  # Macau
    (_rid("83000019900101123"), True),  # Taiwan
    ("１１０１０５１９４９１２３１００２Ｘ", True),  # full-width
    ("110105 19491231 002X", True),
    ("110105491231002", True),  # legacy 15-digit
    # negatives
    ("11010519491231002" + ("1" if "11010519491231002X"[-1] != "1" else "2"), False),
    (_rid("11010519490230002"), False),  # 30 February
    (_rid("11010521000101002"), False),  # born in the future
    (_rid("99010119900101123"), False),  # no such province
    (_rid("11010518890101123"), False),  # before 1900
    ("1101051949123100", False),  # 16 digits
    ("110105491331002", False),  # legacy, month 13
    ("20240105123456789012"[:18], False),  # order number shape
    ("123456789012345678", False),
    ("2024-01-05T10:11:12", False),
    ("", False),
    ("张伟", False),
]


@pytest.mark.parametrize(("value", "expected"), RESIDENT_IDS)
def test_is_cn_resident_id(value: str, expected: bool) -> None:
    assert is_cn_resident_id(value) is expected


def test_valid_cn_resident_ids_matches_the_scalar_version() -> None:
    values = [v for v, _ in RESIDENT_IDS] + [None]
    got = valid_cn_resident_ids(pa.array(values, pa.string()))
    assert got.tolist() == [e for _, e in RESIDENT_IDS] + [False]


def test_vectorised_checks_agree_with_scalar_on_random_digits() -> None:
    rng = np.random.default_rng(7)
    ids = ["".join(map(str, rng.integers(0, 10, 18))) for _ in range(3000)]
    ids += [
        _rid(
            f"{rng.integers(11, 66)}0101{rng.integers(1950, 2010)}0{rng.integers(1, 10)}15{rng.integers(100, 999)}"[
                :17
            ]
        )
        for _ in range(500)
    ]
    cards = ["".join(map(str, rng.integers(0, 10, int(rng.integers(11, 21))))) for _ in range(3000)]
    arr_ids = pa.array(ids, pa.string()).slice(1)  # a non-zero offset
    assert valid_cn_resident_ids(arr_ids).tolist() == [is_cn_resident_id(v) for v in ids[1:]]
    assert valid_luhn(pa.array(cards)).tolist() == [is_luhn(v) for v in cards]
    assert (
        0.05 < float(valid_luhn(pa.array(cards)).mean()) < 0.15
    )  # base rate ~10 % of 12-19 digits


def test_check_char_helpers_reject_bad_bodies() -> None:
    assert cn_resident_id_check_char("11010519491231002") == "X"
    assert luhn_check_digit("7992739871") == "3"
    for bad in ("", "12a", "１２"):
        with pytest.raises(ValueError):
            luhn_check_digit(bad)
    with pytest.raises(ValueError):
        cn_resident_id_check_char("123")


CARDS = [
    (_card("622202123456789012"), True),  # UnionPay 19
    (_card("622202123456789"), True),  # UnionPay 16
    ("4111111111111111", True),  # Visa test card
    ("4111 1111 1111 1111", True),
    ("4111-1111-1111-1111", True),
    ("５５５５５５５５５５５５４４４４", True),  # full-width Mastercard test card
    ("378282246310005", True),  # Amex
    ("4111111111111112", False),
    ("79927398713", False),  # valid Luhn but only 11 digits
    ("12345678901234567890", False),  # 20 digits
    ("4111a11111111111", False),
    ("", False),
]


@pytest.mark.parametrize(("value", "expected"), CARDS)
def test_is_luhn(value: str, expected: bool) -> None:
    assert is_luhn(value) is expected


def test_valid_luhn_matches_the_scalar_version() -> None:
    values = [v for v, _ in CARDS] + [None]
    assert valid_luhn(pa.array(values, pa.string())).tolist() == [e for _, e in CARDS] + [False]
    assert valid_luhn(pa.chunked_array([pa.array(["4111111111111111"])])).tolist() == [True]
    assert valid_luhn(pa.array([], pa.string())).tolist() == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("91350100M000100Y43", True),
        ("91110000600037341L", True),
        ("911100006000373410", False),
        ("91350100M000100Y4", False),
        ("91350100I000100Y43", False),  # I is not in the alphabet
        ("", False),
    ],
)
def test_is_cn_uscc(value: str, expected: bool) -> None:
    assert is_cn_uscc(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", True),
        ("+86 138 1234 5678", True),
        ("010-12345678", True),
        ("１３８１２３４５６７８", True),
        ("+44 20 7946 0958", False),  # valid, but not Chinese
        ("12345678901", False),
        ("10293", False),
        ("", False),
    ],
)
def test_is_cn_phone(value: str, expected: bool) -> None:
    assert is_cn_phone(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("wang.wei@example.cn", True),
        ("a+b@mail.co.uk", True),
        (" li@qq.com ", True),
        ("wang..wei@example.cn", False),
        ("wangwei@example", False),
        ("wangwei.example.cn", False),
        ("@example.cn", False),
        ("邮箱wangwei@example.cn", False),
        ("", False),
    ],
)
def test_is_email(value: str, expected: bool) -> None:
    assert is_email(value) is expected
