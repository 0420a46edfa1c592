"""The byte-level path of ``phone_numbers`` agrees with ``normalize_phone`` (libphonenumber).

Plain ASCII phones are settled on bytes (:mod:`govkit.normalize._bytes`), everything
else by Arrow regexes and ``phonenumbers``. Each form below is checked alone and
inside one mixed array (so both paths run in one call and their results are merged
back in row order), with the shape and bare flags against their regex definitions.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pyarrow as pa
import pytest

from govkit.normalize import PhoneNumbers, normalize_phone, phone_numbers, phones
from govkit.normalize._bytes import compact_ascii

FORMS = [
    # CN mobiles, every prefix and separator
    "13812345678", "138-1234-5678", "138 1234 5678", "138.1234.5678", "138/1234/5678",
    "(138)12345678", "138\t1234\t5678", "  13812345678  ", "+8613812345678", "+86 138 1234 5678",
    "+86-138-1234-5678", "0086 138 1234 5678", "008613812345678", "8613812345678",
    "86 138 1234 5678", "(+86) 138 1234 5678", "+86(138)1234-5678",
    # full-width and other non-ASCII forms (regex path)
    "１３８１２３４５６７８", "１３８-１２３４-５６７８", "+８６ 138 1234 5678", "138·1234·5678",
    "138\u30001234\u30005678", "138 1234 567８",
    # CN landlines
    "010-12345678", "(010) 1234 5678", "0755-8888 6666", "0571-8888888", "+86 10 1234 5678",
    "0086 10 12345678", "010 1234 5678", "010-12345678 转 8001",
    # international
    "+44 20 7946 0958", "0044 20 7946 0958", "+1 (415) 555-2671", "+1 646-786-8997",
    "+852 2345 6789", "+81 90-1234-5678", "001 646 786 8997", "+7 912 345 67 89",
    # national formats of other regions
    "(646) 786-8997", "6467868997", "2345 6789", "02-2345-6789", "0161 496 0000",
    # not phones, or not valid
    "", " ", "+", "++8613812345678", "+86+13812345678", "138123456789", "1381234567",
    "10000000000", "12345", "+86 999", "+44 12", "2024-01-05", "order 12", "SKU-AB-10293",
    "13812345678x", "1-3-8", "0000000000", "+0086 138 1234 5678", "16101234567", "17405123456",
    "17406123456", "14512345678", "19912345678", "0123456789", "08612345678",
]  # fmt: skip


def _compact(value: str) -> str:
    return re.sub(r"[ \t\-().·/]+", "", unicodedata.normalize("NFKC", value))


@pytest.mark.parametrize("value", FORMS)
def test_each_form_alone(value: str) -> None:
    found = phone_numbers(pa.array([value], pa.string()))
    assert found.canonical == [normalize_phone(value)]
    assert found.valid.tolist() == [normalize_phone(value) is not None]


def test_all_forms_in_one_array_with_nulls() -> None:
    values = [v for form in FORMS for v in (form, None)]
    found = phone_numbers(pa.array(values, pa.string()))
    assert found.canonical == [None if v is None else normalize_phone(v) for v in values]
    fast = [
        v is not None and re.fullmatch(r"[0-9+\-(). /\t·]+", unicodedata.normalize("NFKC", v))
        for v in values
    ]
    shape = [
        v is not None
        and bool(f)
        and re.fullmatch(r"(?:\+|00)?[0-9]{7,15}", _compact(v)) is not None
        for v, f in zip(values, fast, strict=True)
    ]
    assert found.shape.tolist() == shape
    bare = [
        v is not None
        and re.fullmatch(r"[ \t\n\f\r]*[0-9]+[ \t\n\f\r]*", unicodedata.normalize("NFKC", v))
        is not None
        for v in values
    ]
    assert found.bare.tolist() == bare


@pytest.mark.parametrize(
    ("value", "simple", "compact", "bare"),
    [
        ("138-1234-5678", True, "13812345678", False),
        (" 13812345678\t", True, "13812345678", True),
        ("138 1234", True, "1381234", False),
        ("+86 (10) 1234", True, "+86101234", False),
        ("１３８", False, "", False),
        ("138x", False, "", False),
        ("", False, "", False),
        (None, False, None, False),
    ],
)
def test_compact_ascii(value: str | None, simple: bool, compact: str | None, bare: bool) -> None:
    got = compact_ascii(pa.array([value], pa.string()))
    assert got.simple.tolist() == [simple]
    assert got.compact.to_pylist() == [compact]
    assert got.bare.tolist() == [bare]


def test_a_sliced_array_reads_its_own_rows() -> None:
    values = pa.array(["x", "138-1234-5678", "+44 20 7946 0958", "y"], pa.string()).slice(1, 2)
    assert phone_numbers(values).canonical == ["13812345678", "+442079460958"]


def _fields(
    found: PhoneNumbers,
) -> tuple[list[str | None], list[bool], list[bool], list[bool], list[bool]]:
    return (
        found.canonical,
        found.valid.tolist(),
        found.shape.tolist(),
        found.national.tolist(),
        found.bare.tolist(),
    )


@pytest.mark.parametrize("exact", [True, False])
def test_bare_mobiles_shortcut_equals_the_general_path(
    exact: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(11)
    mobiles = [
        "1" + rng.choice("3456789") + "".join(rng.choices("0123456789", k=9)) for _ in range(1200)
    ]
    odd = ["17406123456", "16001234567", "12012345678", "１３８１２３４５６７８", "138 1234567"]
    values = [v for group in (mobiles, odd, FORMS, [None]) for v in group]
    rng.shuffle(values)
    array = pa.array(values, pa.string())
    shortcut = phone_numbers(array, exact=exact)
    monkeypatch.setattr(phones, "SHORTCUT_LEAST", 10**9)
    general = phone_numbers(array, exact=exact)
    assert _fields(shortcut) == _fields(general)
    if exact:
        assert shortcut.canonical == [None if v is None else normalize_phone(v) for v in values]
