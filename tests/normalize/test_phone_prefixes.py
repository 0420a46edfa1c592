"""Validity looked up by leading digits (:mod:`govkit.normalize._prefixes`) equals the patterns.

The plans are proven by construction; these tests check the construction against
libphonenumber's own metadata and code: exhaustively where a length is short, on
completions of every deciding prefix of the default regions otherwise, and through
``phone_numbers`` on a table of written forms with plans forced on and off.
"""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, SUPPORTED_REGIONS, PhoneNumberType
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.phonenumberutil import _number_type_helper

from govkit.normalize import _prefixes, normalize_phone, phone_numbers
from govkit.normalize._metadata import _any_type_regex, _strip_pattern, _strips, any_type
from govkit.normalize._prefixes import plan, rewrite
from govkit.normalize.regions import DEFAULT_REGIONS


def _library(number: str, region: str) -> bool:
    """libphonenumber's own answer: some number type (the general pattern first)."""
    meta = PhoneMetadata.metadata_for_region(region)
    assert meta is not None
    return bool(_number_type_helper(number, meta) != PhoneNumberType.UNKNOWN)


@pytest.mark.parametrize(
    ("pattern", "symbol", "every_digit", "expected"),
    [
        (r"1[3-9]\d{9}", "X", False, r"1[3-9][0-9X]{9}"),
        (r"1[3-9]\d{9}", "Y", True, r"[1Y][3-9Y][0-9Y]{9}"),
        (r"(?:10|2\d)\d{5,6}", "X", False, r"(?:10|2[0-9X])[0-9X]{5,6}"),
        (r"(?:10|2\d)\d{5,6}", "Y", True, r"(?:[1Y][0Y]|[2Y][0-9Y])[0-9Y]{5,6}"),
        (r"6(?:\d{2})?", "Y", True, r"[6Y](?:[0-9Y]{2})?"),
    ],
)
def test_rewrite(pattern: str, symbol: str, every_digit: bool, expected: str) -> None:
    assert rewrite(pattern, symbol, every_digit=every_digit) == expected


@pytest.mark.parametrize("pattern", [r"1\d*", r"1\d+", r"[^0]\d", r"1\s2", r"(?=1)\d", r"1."])
def test_rewrite_refuses_what_it_does_not_know(pattern: str) -> None:
    with pytest.raises(ValueError, match="unsupported pattern syntax"):
        rewrite(pattern, "X", every_digit=False)


def _short_lengths() -> list[tuple[str, int]]:
    """Every (region, length ≤ 5) of the metadata's general descriptions."""
    out = []
    for region in sorted(SUPPORTED_REGIONS):
        meta = PhoneMetadata.metadata_for_region(region)
        general = meta.general_desc if meta else None
        for length in general.possible_length if general else ():
            if length <= 5:
                out.append((region, length))
    return out


@pytest.mark.parametrize(("region", "length"), _short_lengths())
def test_exhaustive_for_short_numbers(region: str, length: int) -> None:
    found = plan(region, length)
    assert found is not None
    numbers = np.arange(10**length, dtype=np.int64)
    texts = pa.array([str(v).zfill(length) for v in numbers.tolist()], pa.string())
    assert found.lookup(numbers).tolist() == _any_type_regex(texts, region).tolist()


def _leaf_samples(region: str, length: int, rng: random.Random) -> list[str]:
    found = plan(region, length)
    assert found is not None
    samples = []
    for prefix in found.prefixes:
        rest = length - len(prefix)
        for tail in ("0" * rest, "9" * rest, "".join(rng.choices("0123456789", k=rest))):
            samples.append(prefix + tail)
    return samples


@pytest.mark.parametrize("region", DEFAULT_REGIONS)
def test_every_deciding_prefix_agrees_with_libphonenumber(region: str) -> None:
    rng = random.Random(region)
    meta = PhoneMetadata.metadata_for_region(region)
    assert meta is not None and meta.general_desc is not None
    for length in meta.general_desc.possible_length:
        samples = _leaf_samples(region, length, rng)
        found = plan(region, length)
        assert found is not None
        got = found.lookup(np.array([int(s) for s in samples], dtype=np.int64))
        assert got.tolist() == [_library(s, region) for s in samples], (region, length)


def test_cn_mobiles_are_decided_by_their_first_five_digits() -> None:
    found = plan("CN", 11)
    assert found is not None
    mobile = [p for p in found.prefixes if p[:2] in {"13", "14", "15", "16", "17", "18", "19"}]
    assert mobile and max(len(p) for p in mobile) == 5


def test_a_plan_that_grows_too_big_is_not_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_prefixes, "MAX_NODES", 50)
    plan.cache_clear()
    try:
        assert plan("CN", 10) is None
        numbers = pa.array(["1012345678", "7558888666", "1234567890"] * 2000, pa.string())
        expected = [_library(v, "CN") for v in numbers.to_pylist()[:3]] * 2000
        monkeypatch.setattr(_prefixes, "_BUILT", {})
        monkeypatch.setattr(_prefixes, "_SEEN", {})
        assert any_type(numbers, "CN").tolist() == expected
    finally:
        plan.cache_clear()


FORMS: list[tuple[str, str | None]] = [
    # CN mobiles: prefixes, separators, full-width digits
    ("13812345678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("+8613812345678", "13812345678"),
    ("0086 138-1234-5678", "13812345678"),
    ("008613812345678", "13812345678"),
    ("8613812345678", "13812345678"),
    ("138.1234.5678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("＋８６ １３８ １２３４ ５６７８", "13812345678"),
    ("17400123456", "17400123456"),
    ("16101234567", "16101234567"),
    # CN landlines with area codes
    ("010-12345678", "1012345678"),
    ("(021) 6123 4567", "2161234567"),
    ("0755-8888 6666", "75588886666"),
    ("0571-88888888", "57188888888"),
    ("+86 10 1234 5678", "1012345678"),
    ("0086 755 8888 6666", "75588886666"),
    # HK, MO, TW, US, GB
    ("+852 2345 6789", "+85223456789"),
    ("+852 9123 4567", "+85291234567"),
    ("+853 6612 3456", "+85366123456"),
    ("+886 2 2345 6789", "+886223456789"),
    ("+886 912 345 678", "+886912345678"),
    ("+1 646-786-8997", "+16467868997"),
    ("001 415 555 2671", "+14155552671"),
    ("+44 20 7946 0958", "+442079460958"),
    ("+44 7400 123456", "+447400123456"),
    ("(646) 786-8997", "+16467868997"),
    ("0161 496 0000", "+441614960000"),
    # invalid prefixes
    ("17406123456", "+17406123456"),  # not a CN mobile (1740[0-5]), but a US number
    ("+86 174 0612 3456", None),
    ("16001234567", None),
    ("+86 160 0123 4567", None),
    ("+86 120 1234 5678", None),
    ("+1 046-786-8997", None),
    ("+44 00 7946 0958", None),
    # too short, too long
    ("1381234567", None),
    ("138123456789", None),
    ("+86 138 1234 567", None),
    ("+86 138 1234 56789", None),
    ("010-1234", None),
    ("+852 2345 678", None),
]


@pytest.mark.parametrize("worth", [0, 10**9], ids=["planned", "regex"])
def test_forms_on_both_paths(worth: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_prefixes, "WORTH", worth)
    monkeypatch.setattr(_prefixes, "WORTH_CALLS", worth)
    monkeypatch.setattr(_prefixes, "_BUILT", {})
    monkeypatch.setattr(_prefixes, "_SEEN", {})
    values = [v for v, _ in FORMS]
    found = phone_numbers(pa.array(values, pa.string()))
    assert found.canonical == [c for _, c in FORMS]
    assert found.canonical == [normalize_phone(v) for v in values]


def _strip_codes() -> list[int]:
    return sorted(c for c in COUNTRY_CODE_TO_REGION_CODE if _strip_pattern(c) is not None)


@pytest.mark.parametrize("code", _strip_codes())
def test_national_prefix_strip_in_arrow_equals_re(code: int) -> None:
    strip = _strip_pattern(code)
    assert strip is not None
    rng = random.Random(code)
    heads = [str(v) for v in range(1000)] + [str(v).zfill(3) for v in range(100)]
    texts = [h + "".join(rng.choices("0123456789", k=rng.randint(0, 12))) for h in heads]
    got = _strips(pa.array(texts, pa.string()), strip)
    assert got.tolist() == [strip.match(t) is not None for t in texts]
