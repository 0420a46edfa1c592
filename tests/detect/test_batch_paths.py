"""The batch shortcuts of ``find_many`` answer exactly what the one-text path answers.

Phone candidates checked in bulk (:func:`phone_ok_many`), the fold over a whole
batch (:func:`fold_all`), gates run three at a time (:func:`gate_rows`) and checks
left out under a covering span must each agree with their definition, including
where the shortcut does not apply (the covering span loses, a lone surrogate).
"""

from __future__ import annotations

from dataclasses import replace

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from govkit.detect import phone_checks
from govkit.detect.patterns import TEXT_PATTERNS
from govkit.detect.phone_checks import phone_ok, phone_ok_many
from govkit.detect.text import TextDetector, fold, fold_all, gate_rows
from govkit.normalize import set_regions
from tests.detect.test_find_many import TEXTS
from tests.detect.test_phone_agreement import VALUES

# (candidate as a phone pattern matches it, phone_ok)
CANDIDATES = [
    # CN mobiles and landlines, every way the patterns write them
    ("13812345678", True), ("138-1234-5678", True), ("138 1234 5678", True),
    ("138-1234 5678", True), ("138.1234.5678", True), ("+86 138 1234 5678", True),
    ("+8613812345678", True), ("0086 13912345678", True), ("008613912345678", True),
    ("8613812345678", True), ("(+86) 138 1234 5678", True), ("(86)13812345678", True),
    ("010-12345678", True), ("0755-8888 6666", True), ("(010) 1234 5678", True),
    ("（010）12345678", True), ("010-12345678 转 123", True), ("010-12345678 ext. 12", True),
    ("电话：13812345678", True), ("tel 010 1234 5678", True), ("手机 139-1234-5678", True),
    ("１３８１２３４５６７８", True), ("＋８６ １３８ １２３４ ５６７８", True),
    ("17400123456", True), ("10000000000", False), ("12345678901", False),
    ("138 1234 567", False), ("0012345678", False),
    # with a country code: settled in Arrow in bulk
    ("+1 212-758-8369", True), ("001 212-758-8369", True), ("+44 7911 123456", True),
    ("+44 20 7946 0958", True), ("0044 20 7946 0958", True), ("+852 2345 6789", True),
    ("+1 000-000-0000", False), ("+44 1234", False), ("+999 1234 5678", False),
    ("+86 10 1234 5678", True), ("+886 2 2345 6789", True),
    # national formats of other regions
    ("212-758-8369", True), ("(646) 786-8997", True), ("7911 123456", False),
    ("020 7946 0958", True), ("2345 6789", False), ("tel 2345 6789", True),
    ("call 212 758 8369", True), ("416-555-1234", True),
    # dates, order numbers, too-long runs, odd separators
    ("2024-01-05", False), ("2024 01 05", False), ("call 2024-12-31", False),
    ("1990.03.07", False), ("12345678901234567890", False), ("1381234567890123", False),
    ("99 99 99", False), ("12-34", False), ("138--1234--5678", True),
    ("138/1234/5678", True), ("138_1234_5678", False), ("+", False), ("00", False),
    ("", False), (" ", False), ("tel ", False), ("12", False),
]  # fmt: skip


def _pattern_matches() -> list[str]:
    """Every phone pattern match on the accuracy corpora, as the checks see them."""
    phones = [p for p in TEXT_PATTERNS if p.check is phone_ok]
    return [m.group() for p in phones for t in TEXTS for m in p.regex.finditer(fold(t))]


@pytest.mark.parametrize(("candidate", "ok"), CANDIDATES)
def test_phone_ok_table(candidate: str, ok: bool) -> None:
    assert phone_ok(candidate) is ok


@pytest.mark.parametrize("bulk_from", [0, 10**9], ids=["in Arrow", "one by one"])
@pytest.mark.parametrize("regions", [None, "US", "CN,GB", "HK"])
def test_phone_ok_many_equals_phone_ok(
    monkeypatch: pytest.MonkeyPatch, bulk_from: int, regions: str | None
) -> None:
    values = [c for c, _ in CANDIDATES] + VALUES + _pattern_matches()
    values += ["tel " + v for v in VALUES] + [v + " " for v in VALUES]
    monkeypatch.setattr(phone_checks, "BULK_FROM", bulk_from)
    try:
        set_regions(regions)
        expected = [phone_ok(v) for v in values]
        assert phone_ok_many(values) == expected
    finally:
        set_regions(None)
    assert 40 <= sum(expected) <= len(values) - 40  # both answers are exercised


def test_phone_ok_many_of_nothing() -> None:
    assert phone_ok_many([]) == []


@pytest.mark.parametrize(
    ("texts", "folded"),
    [
        ([], []),
        ([None, ""], ["", ""]),
        (["plain ascii"], ["plain ascii"]),
        (["电话：１３８－１２３４", "客户\u3000李娜"], ["电话:138-1234", "客户 李娜"]),
        (["\uff01\uff5e\uff00\uff5f\u3001"], ["!~\uff00\uff5f\u3001"]),  # only FF01–FF5E
        (["a\U0001f600ｂ", "\U00010000\u3000", "ｚ"], ["a\U0001f600b", "\U00010000 ", "z"]),
    ],
)
def test_fold_all_table(texts: list[str | None], folded: list[str]) -> None:
    assert fold_all(texts) == folded
    assert fold_all(texts) == [fold(t) if t else "" for t in texts]


def test_fold_all_equals_fold_on_every_code_point() -> None:
    chars = [chr(c) for c in range(0x10FFFF + 1) if not 0xD800 <= c <= 0xDFFF]
    texts = ["".join(chars[k : k + 97]) for k in range(0, len(chars), 97)]
    assert fold_all(texts) == [fold(t) for t in texts]


def test_fold_all_refuses_a_lone_surrogate() -> None:
    with pytest.raises(UnicodeEncodeError):
        fold_all(["ok", "a\ud800"])


def _rows(array: pa.Array, gate: str) -> list[int]:
    mask = pc.match_substring_regex(array, gate).to_pylist()
    return [i for i, hit in enumerate(mask) if hit]


GATES = [
    ["@"],
    ["@", "[0-9]{6}", "xyz-never"],  # the union matches under 90% of the texts: each on those
    ["[0-9]", "[a-z]", "."],  # over 90%: each over the whole batch
    ["^[0-9]", "[0-9]$", "^$"],  # anchors keep their meaning inside the union
    ["(?i:tel)", "电话|手机", "[^\\x{4e00}-\\x{9fff}]{5}", "q{2}", "^Dear"],
]


@pytest.mark.parametrize("gates", GATES)
def test_gate_rows_equals_each_gate(gates: list[str]) -> None:
    array = pa.array([fold(t) for t in TEXTS] + ["", "x"], pa.string())
    assert gate_rows(array, gates) == {g: _rows(array, g) for g in gates}


def test_gate_rows_of_the_detector() -> None:
    detector = TextDetector.default()
    gates = [p.gate for p in detector.patterns] + [g for g, _, _ in detector._finders()]
    unique = [g for g in dict.fromkeys(gates) if g is not None]
    array = pa.array([fold(t) for t in TEXTS], pa.string())
    assert gate_rows(array, unique) == {g: _rows(array, g) for g in unique}


# A card (ranked above phones) overlaps "001 212-758-8369", so the US number inside it,
# left unchecked while that span covered it, is found after all.
LOSING_COVER = "4111-1111-1114-1-001 212-758-8369"


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        (LOSING_COVER, ["CREDIT_CARD", "PHONE_NUMBER"]),
        ("call +1 212-758-8369 now", ["PHONE_NUMBER"]),  # the cover wins: inner one unchecked
        ("+44 7911 123456 / 7911 123456", ["PHONE_NUMBER"]),
        ("身份证号110101199003078531", ["CN_RESIDENT_ID"]),  # not checked again as a USCC
        ("110101199003078531@qq.com", ["EMAIL_ADDRESS"]),  # an e-mail covers the ID
        ("订单号 4111 1111 1111 1111 电话 13812345678", ["PHONE_NUMBER"]),
    ],
)
def test_unchecked_matches_under_a_cover(text: str, entities: list[str]) -> None:
    detector = TextDetector.default()
    found = detector.find(text)
    assert [s.entity for s in found] == entities
    assert detector.find_many([text, "x", text]) == [found, [], found]


def test_a_losing_cover_is_found_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inner number of ``LOSING_COVER`` is indeed left unchecked, then found by ``find``."""
    detector = TextDetector.default()
    again: list[str] = []
    find = detector.find

    def spy(text: str) -> list[object]:
        again.append(text)
        return find(text)  # type: ignore[return-value]

    monkeypatch.setattr(detector, "find", spy)
    detector.find_many([LOSING_COVER, "call +1 212-758-8369 now"])
    assert again == [LOSING_COVER]


@pytest.mark.parametrize(("first", "second"), [(0.3, 0.9), (0.9, 0.3), (0.6, 0.6)])
def test_an_equal_span_covers_only_when_scored_higher(first: float, second: float) -> None:
    """An equal span found first covers a later one only with a higher score: with a lower
    one it loses to the later span in :meth:`_resolve`, so that one must be checked."""
    phone = next(p for p in TEXT_PATTERNS if p.check is phone_ok)
    low, high = replace(phone, score=first), replace(phone, score=second, validator="second")
    detector = TextDetector((low, high), names=False)
    texts = ["电话 13812345678", "+1 212-758-8369", "2024-01-05"]
    expected = [detector.find(t) for t in texts]
    assert [s.score for spans in expected for s in spans] == [max(first, second)] * 2
    assert detector.find_many(texts) == expected
