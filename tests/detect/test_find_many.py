"""Batch span detection: ``find_many`` finds exactly what ``find`` finds, text by text.

``find_many`` runs each pattern only on the texts its RE2 gate passes, so every
gate must be implied by its pattern (each match contains a gate match), the name
and address gates by their finders, and the CN phone fast path must agree with
``phonenumbers``. Each of these is pinned here on the accuracy corpora, on
adversarial texts and on generated ones.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govkit.detect import phone_checks
from govkit.detect.names import EN_NAME_GATE, ZH_NAME_RULES, en_names, zh_names
from govkit.detect.patterns import TEXT_PATTERNS
from govkit.detect.phone_checks import _cn_valid, phone_ok
from govkit.detect.places import ADDRESS_GATE, zh_addresses
from govkit.detect.text import Span, TextDetector, fold
from govkit.normalize import normalize_phone, set_regions
from tests.detect.test_prefilter import FRAGMENTS
from tests.detect.test_text_accuracy import CASES as ACCURACY
from tests.detect.test_zh_names import CASES as ZH_CASES

ADVERSARIAL = [
    "", " ", "\n", "a", "1", "@", "::", "...", "１３８１２３４５６７８", "电话：１３８－１２３４－５６７８",
    "我是张伟\n", "客户\u3000李娜", "Dear\u00a0John Smith", "call\u2003Mary tomorrow", "x\u3000John",
    "ſsn 123456789", "DOB 1990/03/07 and 出生日期：1985年12月01日", "统一社会信用代码91350100M000100Y43",
    "12345678901234567890123456789", "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "1-2-3-4-5-6-7-8-9",
    "+86 138 1234 5678 / 0086 13912345678 / 8613812345678 / (010) 1234 5678",
    "+1 212-758-8369, +44 7911 123456, 2345 6789, 07700 900123", "17912345678 17400123456",
    "10.0.0.1 and fe80::1%eth0 and 2001:db8::/32", "DE89 3704 0044 0532 0130 00 ALL CAPS",
    "订单号 4111 1111 1111 1111", "card 4111-1111-1111-1111 exp 12/27", "王先生和李娜经理", "小李和老张",
    "欧阳娜娜、东方朔、西门吹", "热依拉·买买提收", "北京市朝阳区建国路88号国贸大厦3号楼501室",
    "寄到上海市浦东新区张江软件园", "123 Main Street, Apt 4, Springfield, IL 62704",
    "passport E12345678, H1234567890, 护照号G12345678, 港澳通行证C12345678", "京A12345 粤B·D12345",
    "my number is 555 123 4567", "My phone number is 13812345678", "ssn: 078-05-1120",
    "身份证 110101 1990 0307 8531 已核验", "ID 440305198512012344.", "z" * 300 + "13812345678",
    "张" * 50, "1" * 200,
]  # fmt: skip
TEXTS = [t for t, _ in ACCURACY] + [t for t, _ in ZH_CASES] + FRAGMENTS + ADVERSARIAL


@pytest.fixture(scope="module")
def detector() -> TextDetector:
    return TextDetector.default()


def test_find_many_equals_find_on_the_corpora(detector: TextDetector) -> None:
    expected = [detector.find(t) for t in TEXTS]
    assert detector.find_many(TEXTS) == expected
    assert sum(1 for spans in expected if spans) >= 200  # the corpora hold spans
    assert sum(1 for spans in expected if not spans) >= 50  # and texts without any


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ([], []),
        ([None, "", "好的"], [[], [], []]),
        (["联系电话13812345678"], [[Span(4, 15, "PHONE_NUMBER", 0.85, "phonenumbers")]]),
        (["a@b.cn", None], [[Span(0, 6, "EMAIL_ADDRESS", 0.95, "e-mail syntax")], []]),
        (  # a lone surrogate cannot go to Arrow: the batch is found text by text
            ["a@b.cn \ud800", "x"],
            [[Span(0, 6, "EMAIL_ADDRESS", 0.95, "e-mail syntax")], []],
        ),
    ],
)
def test_find_many_examples(
    detector: TextDetector, texts: list[str | None], expected: list[list[Span]]
) -> None:
    assert detector.find_many(texts) == expected


def test_find_many_without_names() -> None:
    detector = TextDetector(names=False)
    assert detector.find_many(TEXTS) == [detector.find(t) for t in TEXTS]
    assert not any(s.entity == "PERSON" for spans in detector.find_many(TEXTS) for s in spans)


def test_a_tie_goes_to_the_pattern_listed_first(detector: TextDetector) -> None:
    """Two patterns give the same USCC span and score: the first pattern's validator wins."""
    text = "统一社会信用代码91350100M000100Y43"
    want = [Span(8, 26, "CN_USCC", 0.9, "GB 32100 mod 31")]
    assert detector.find(text) == want
    assert detector.find_many([text]) == [want]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(FRAGMENTS + ADVERSARIAL), max_size=5), max_size=8))
def test_find_many_equals_find_on_generated_texts(parts: list[list[str]]) -> None:
    detector = TextDetector.default()
    texts = ["".join(p) for p in parts]
    assert detector.find_many(texts) == [detector.find(t) for t in texts]


def _gate_hits(gate: str, texts: list[str]) -> list[bool]:
    hits: list[bool] = pc.match_substring_regex(pa.array(texts, pa.string()), gate).to_pylist()
    return hits


def _check_gate(pattern_index: int, text: str) -> None:
    pattern = TEXT_PATTERNS[pattern_index]
    if pattern.gate is None:
        return
    matches = [m.group() for m in pattern.regex.finditer(fold(text))]
    missed = [
        m for m, hit in zip(matches, _gate_hits(pattern.gate, matches), strict=True) if not hit
    ]
    assert missed == [], (pattern_index, pattern.entity)


def test_every_pattern_has_a_gate() -> None:
    """A pattern without a gate would run on every text: each built-in one has one."""
    assert [p.entity for p in TEXT_PATTERNS if p.gate is None] == []


@pytest.mark.parametrize("index", range(len(TEXT_PATTERNS)))
def test_each_match_on_the_corpora_passes_its_gate(index: int) -> None:
    for text in TEXTS:
        _check_gate(index, text)


@pytest.mark.parametrize("index", range(len(TEXT_PATTERNS)))
def test_each_generated_match_passes_its_gate(index: int) -> None:
    """Strings built from the pattern itself (hypothesis ``from_regex``) pass its gate."""
    pattern = TEXT_PATTERNS[index]

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(pattern.regex))
    def check(text: str) -> None:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return  # a lone surrogate: not a string Arrow can hold
        _check_gate(index, text)

    check()


FINDERS = [
    *((gate, rule, f"zh_names rule {rule.__name__}") for gate, rule in ZH_NAME_RULES),
    (EN_NAME_GATE, en_names, "en_names"),
    (ADDRESS_GATE, zh_addresses, "zh_addresses"),
]


@pytest.fixture(scope="module")
def name_texts() -> list[str]:
    """The corpora and 5,000 texts of three random fragments each, folded."""
    rng = random.Random(15)
    texts = [fold(t) for t in TEXTS]
    return texts + [fold("".join(rng.sample(FRAGMENTS + ADVERSARIAL, 3))) for _ in range(5000)]


@pytest.mark.parametrize(("gate", "finder", "name"), FINDERS, ids=[f[2] for f in FINDERS])
def test_name_and_address_gates_pass_every_text_with_a_find(
    gate: str, finder: Callable[[str], list[tuple[int, int]]], name: str, name_texts: list[str]
) -> None:
    found = [t for t in name_texts if finder(t)]
    assert len(found) >= 5, name  # the corpora exercise this finder
    assert [t for t, hit in zip(found, _gate_hits(gate, found), strict=True) if not hit] == []


def test_zh_names_is_its_rules_in_order() -> None:
    """Batch detection runs the rules one by one: together they are ``zh_names``."""
    assert [zh_names(t) for t in TEXTS] == [
        [s for _, rule in ZH_NAME_RULES for s in rule(t)] for t in TEXTS
    ]


def test_name_gates_skip_texts_without_names() -> None:
    texts = ["好的，已经收到了", "Package arrived damaged, requesting a replacement.", "订单已发货"]
    for gate, _, name in FINDERS:
        assert _gate_hits(gate, texts) == [False, False, False], name


def test_the_space_class_is_pythons() -> None:
    """The English name gate's white-space class is exactly what ``\\s`` matches in Python."""
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    python = [re.match(r"\s", c) is not None for c in chars]
    re2 = _gate_hits(EN_NAME_GATE[: EN_NAME_GATE.index("]") + 1], chars)
    assert [c for c, a, b in zip(chars, python, re2, strict=True) if a != b] == []


# --- the CN phone fast path agrees with phonenumbers


def _forms(number: str) -> list[str]:
    return [
        number,
        f"{number[:3]}-{number[3:7]}-{number[7:]}",
        f"+86 {number[:3]} {number[3:7]} {number[7:]}",
        f"0086{number}",
        f"86{number}",
    ]


def test_cn_mobile_fast_path_agrees_for_every_prefix() -> None:
    """Every five-digit mobile prefix (the metadata's mobile patterns read at most five
    digits), written five ways, with two suffixes: the fast path's answer is libphonenumber's."""
    rng = random.Random(86)
    disagree, settled = [], 0
    for prefix in range(13000, 20000):
        suffixes = ["000000", f"{rng.randrange(10**6):06d}"]
        for number in (f"{prefix}{s}" for s in suffixes):
            for core in _forms(number):
                fast = _cn_valid(core)
                slow = normalize_phone(core, ("CN",))
                settled += fast
                if fast != (slow == number):
                    disagree.append(core)
    assert disagree == []
    assert settled > 20_000  # most mobile prefixes are valid ones


def test_cn_landline_fast_path_agrees_for_every_area_prefix() -> None:
    """Every trunk 0 + three-digit prefix, at each landline length, two random suffixes each."""
    rng = random.Random(10)
    disagree, settled = [], 0
    for prefix in range(100, 1000):
        for length in (10, 11, 12):
            for _ in range(2):
                core = f"0{prefix}{rng.randrange(10 ** (length - 4)):0{length - 4}d}"
                fast = _cn_valid(core)
                settled += fast
                if fast != (normalize_phone(core, ("CN",)) == core[1:]):
                    disagree.append(core)
    assert disagree == []
    assert settled > 800  # about a sixth of these shapes are valid landlines


@pytest.mark.parametrize(
    ("core", "default", "us_only"),
    [
        ("13812345678", True, False),
        ("8613812345678", True, False),
        ("+86 138 1234 5678", True, True),
        ("0086 138 1234 5678", True, True),
        ("010-12345678", True, False),
        ("0755-8888 6666", True, False),
        ("10000000000", False, False),
        ("138 1234 567", False, False),
        ("(010) 1234 5678", False, False),  # brackets: left to normalize_phone
        ("138.1234.5678", False, False),  # dots: left to normalize_phone
        ("+1 212-758-8369", False, False),
    ],
)
def test_cn_fast_path_shapes_and_regions(core: str, default: bool, us_only: bool) -> None:
    assert _cn_valid(core) is default
    try:
        set_regions(["US"])
        assert _cn_valid(core) is us_only
    finally:
        set_regions(None)


PHONE_TEXTS = [
    "13812345678", "138-1234-5678", "+86 138 1234 5678", "0086 13912345678", "8613812345678",
    "(010) 1234 5678", "010-12345678", "0755-8888 6666", "138.1234.5678", "tel 2345 6789",
    "+1 212-758-8369", "212-758-8369", "17400123456", "17912345678", "19912345678",
    "14012345678", "10000000000", "2024-01-05", "电话：13812345678", "call 010 1234 5678",
]  # fmt: skip


def test_phone_ok_is_the_same_without_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """``phone_ok`` answers the same when every number goes through ``normalize_phone``."""
    with_fast = [phone_ok(t) for t in PHONE_TEXTS]
    assert sum(with_fast) >= 10
    monkeypatch.setattr(phone_checks, "_cn_valid", lambda core, national=None: False)
    assert [phone_ok(t) for t in PHONE_TEXTS] == with_fast
