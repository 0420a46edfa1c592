"""The vectorised normaliser gives exactly ``normalize_value`` for every value."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.normalize import normalize_text, normalize_value
from govkit.protect.normalize import normalized

SEPARATOR = st.sampled_from(["", " ", "-", "  ", "(", ")", ".", "/", "\u3000", "\t"])
DIGIT = st.sampled_from("0123456789０１２３４５６７８９")


@st.composite
def phone_like(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["", "+86", "0086", "86", "+86 ", "+44 ", "0", "ext"]))
    parts = draw(st.lists(st.text(DIGIT, min_size=1, max_size=5), min_size=1, max_size=5))
    seps = [draw(SEPARATOR) for _ in parts]
    body = "".join(s + p for s, p in zip(seps, parts, strict=True))
    if draw(st.booleans()):
        body = (
            "1"
            + draw(st.sampled_from("3456789"))
            + "".join(draw(st.lists(DIGIT, min_size=9, max_size=9)))
        )
    return prefix + body + draw(st.sampled_from(["", " ", "x12", "转8"]))


ENTITIES = ["PHONE_NUMBER", "CN_RESIDENT_ID", "CREDIT_CARD", "EMAIL_ADDRESS", "PERSON", "LOCATION"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.none(), phone_like()), min_size=1, max_size=30))
def test_phones_match_normalize_value(values: list[str | None]) -> None:
    expected = [None if v is None else normalize_value("PHONE_NUMBER", v) for v in values]
    assert normalized("PHONE_NUMBER", pa.array(values, pa.string())) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(ENTITIES),
    st.lists(st.one_of(st.none(), st.text(max_size=25)), min_size=1, max_size=20),
)
def test_any_text_matches_normalize_value(entity: str, values: list[str | None]) -> None:
    expected = [None if v is None else normalize_value(entity, v) for v in values]
    assert normalized(entity, pa.array(values, pa.string())) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=25)), min_size=1, max_size=20))
def test_no_entity_is_normalize_text(values: list[str | None]) -> None:
    expected = [None if v is None else normalize_text(v) for v in values]
    assert normalized(None, pa.array(values, pa.string())) == expected


@pytest.mark.parametrize(
    ("entity", "value", "expected"),
    [
        ("PHONE_NUMBER", "+86 138-1234-5678", "13812345678"),
        ("PHONE_NUMBER", "010-12345678", "1012345678"),
        ("CN_RESIDENT_ID", "１１０１０５ 19491231 002x", "11010519491231002X"),
        ("EMAIL_ADDRESS", " Zhang@Example.COM ", "zhang@example.com"),
    ],
)
def test_examples(entity: str, value: str, expected: str) -> None:
    assert normalized(entity, pa.array([value])) == [expected]


TRICKY_PHONES = [
    "0755-64840747", "021-65198957", "010-12345678", "0086 10 12345678", "+1 646-786-8997",
    "+44 7275 884195", "17912345678", "14512345678", "16101234567", "17405123456", "17406123456",
    "0123456789", "08612345678", "8613812345678", "008613812345678", "0571-8888888", "0898-12345678",
    "400-123-4567", "95588123", "13800138000转123", "(010)6552-9988", "１３８ １２３４ ５６７８",
]  # fmt: skip


@pytest.mark.parametrize("value", TRICKY_PHONES)
def test_tricky_phones(value: str) -> None:
    assert normalized("PHONE_NUMBER", pa.array([value])) == [normalize_value("PHONE_NUMBER", value)]


@settings(max_examples=120, deadline=None)
@given(st.from_regex(r"0[1-9][0-9]{1,3}-?[0-9]{6,8}", fullmatch=True))
def test_landlines_match_normalize_value(value: str) -> None:
    assert normalized("PHONE_NUMBER", pa.array([value])) == [normalize_value("PHONE_NUMBER", value)]


@settings(max_examples=120, deadline=None)
@given(st.from_regex(r"(\+86 ?|0086|86)?1[0-9]{10}", fullmatch=True))
def test_mobiles_match_normalize_value(value: str) -> None:
    assert normalized("PHONE_NUMBER", pa.array([value])) == [normalize_value("PHONE_NUMBER", value)]


INTERNATIONAL = [
    "+1 646-786-8997", "+44 7275 884195", "+852 9123 4567", "+81 90-1234-5678", "+1 268 464 1234",
    "+44 1624 123456", "+65 9123 4567", "+1 111 111 1111", "+886 912 345 678", "+33 6 12 34 56 78",
    "+7 912 345 67 89", "+39 06 1234 5678", "+1 800 555 0199", "0044 20 7946 0958", "+44 020 7946 0958",
    "+800 1234 5678", "+1 1 646 786 8997", "+354 611 1234", "+031100000000",
]  # fmt: skip


@pytest.mark.parametrize("value", INTERNATIONAL)
def test_international_examples(value: str) -> None:
    assert normalized("PHONE_NUMBER", pa.array([value])) == [normalize_value("PHONE_NUMBER", value)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.from_regex(
            r"(\+|00)(1|44|852|853|81|886|33|7|39|65|61|49|354|800|0)[ \-]?[0-9]{3,12}",
            fullmatch=True,
        ),
        min_size=1,
        max_size=10,
    )
)
def test_international_match_normalize_value(values: list[str]) -> None:
    expected = [normalize_value("PHONE_NUMBER", v) for v in values]
    assert normalized("PHONE_NUMBER", pa.array(values)) == expected
