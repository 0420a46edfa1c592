"""Transforms: format-aware masks, round trips, determinism, wrong keys and tampering."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.errors import ConfigError, DecryptionError, KeyMaterialError
from govkit.protect.base import Transform
from govkit.protect.keys import DataKey, LocalKeyring
from govkit.protect.registry import build, names

KEYS = {
    "tokenize": DataKey("tk-00000001", "tokenize", os.urandom(64)),
    "encrypt": DataKey("ek-00000001", "encrypt", os.urandom(32)),
    "hash": DataKey("hk-00000001", "hash", os.urandom(32)),
    "fpe": DataKey("fk-00000001", "fpe", os.urandom(32)),
}


class FixedKeys:
    """A KeyProvider over fixed keys (the real LocalKeyring is tested in test_keys)."""

    def __init__(self, *keys: DataKey) -> None:
        self.keys = {k.id: k for k in keys}

    def active(self, purpose: str) -> DataKey:
        return next(k for k in self.keys.values() if k.purpose == purpose)

    def get(self, key_id: str) -> DataKey:
        if key_id not in self.keys:
            raise KeyMaterialError(f"no key {key_id!r}")
        return self.keys[key_id]


PROVIDER = FixedKeys(*KEYS.values())


def make(name: str, entity: str | None = None, **params: object) -> Transform:
    return build(name, params, column="c", entity=entity, keys=PROVIDER)  # type: ignore[arg-type]


def run(t: Transform, values: Sequence[str | None]) -> list[str | None]:
    return t.apply(pa.array(values, pa.string())).to_pylist()  # type: ignore[no-any-return]


def test_all_builtins_registered() -> None:
    assert names() == [
        "drop",
        "encrypt",
        "fpe",
        "generalize",
        "hash",
        "keep",
        "mask",
        "redact",
        "text",
        "tokenize",
    ]


@pytest.mark.parametrize(
    ("entity", "params", "value", "expected"),
    [
        ("PHONE_NUMBER", {}, "13812345678", "138****5678"),
        ("PHONE_NUMBER", {}, "138-1234-5678", "138****5678"),
        ("PHONE_NUMBER", {}, "+86 138 1234 5678", "138****5678"),
        ("PHONE_NUMBER", {}, "１３８１２３４５６７８", "138****5678"),
        ("PHONE_NUMBER", {}, "010-12345678", "010****5678"),
        ("CN_RESIDENT_ID", {}, "11010519491231002X", "110105************"),
        ("CREDIT_CARD", {}, "6212 2682 9717 4819", "************4819"),
        ("CN_HK_MACAU_PERMIT", {}, "H12345678", "*****5678"),  # no region to keep
        ("EMAIL_ADDRESS", {}, "zhang.san@example.com", "z***@example.com"),
        ("EMAIL_ADDRESS", {}, "not-an-email", "n***********"),
        ("PERSON", {}, "张三丰", "张**"),
        (None, {"keep_first": 2, "keep_last": 2}, "ABCDEFGH", "AB****GH"),
        (None, {"keep_first": 2, "keep_last": 2}, "ABCD", "****"),
        (None, {"keep_last": 0, "char": "#"}, "ABC", "###"),
        (None, {}, "", ""),
        (None, {}, None, None),
    ],
)
def test_mask(
    entity: str | None, params: dict[str, object], value: str | None, expected: str | None
) -> None:
    assert run(make("mask", entity, **params), [value]) == [expected]


@pytest.mark.parametrize(
    ("entity", "params", "value", "expected"),
    [
        ("DATE_OF_BIRTH", {}, "1990-03-07", "1990"),
        ("DATE_OF_BIRTH", {"to": "age_band", "as_of": dt.date(2026, 1, 1)}, "1990-03-07", "35-45"),
        ("DATE_OF_BIRTH", {"to": "age_band", "as_of": dt.date(2026, 1, 1)}, "2015-01-01", "<18"),
        ("DATE_OF_BIRTH", {}, "not a date", None),
        ("LOCATION", {}, "广东省深圳市南山区科技路1号", "广东省"),
        ("LOCATION", {}, "北京市朝阳区建国路88号", "北京"),
        ("LOCATION", {"to": "city"}, "广东省深圳市南山区科技路1号", "广东省深圳市"),
        ("LOCATION", {}, "12 Baker St, London, UK", "UK"),
        (None, {"to": "bucket"}, "12.50", "0-50"),
        (None, {"to": "bucket"}, "25000", "10000+"),
        (None, {"to": "bucket", "edges": [0, 10]}, "-1", "<0"),
        (None, {"to": "bucket"}, "abc", None),
        ("PHONE_NUMBER", {}, "13812345678", "*"),
    ],
)
def test_generalize(
    entity: str | None, params: dict[str, object], value: str, expected: str | None
) -> None:
    assert run(make("generalize", entity, **params), [value]) == [expected]


@pytest.mark.parametrize(
    ("params", "expected"),
    [({}, ["[REDACTED]", None]), ({"value": "x"}, ["x", None]), ({"value": None}, [None, None])],
)
def test_redact(params: dict[str, object], expected: list[str | None]) -> None:
    assert run(make("redact", None, **params), ["secret", None]) == expected


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("mask", {"char": "**"}, "char"),
        ("mask", {"colour": 1}, "colour"),
        ("fpe", {"check_digit": "crc"}, "check_digit"),
    ],
)
def test_bad_params_name_the_field(name: str, params: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigError, match=f"column 'c': {name}.{field}"):
        make(name, None, **params)


def test_unknown_transform() -> None:
    with pytest.raises(ConfigError, match="unknown transform 'sha1'"):
        make("sha1")


TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), TEXT), max_size=20))
def test_encrypt_round_trip(values: list[str | None]) -> None:
    t = make("encrypt")
    protected = t.apply(pa.array(values, pa.string()))
    assert t.reveal(protected, PROVIDER).to_pylist() == values  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.from_regex(r"[0-9A-Za-z@._\-]{1,30}", fullmatch=True)), max_size=20
    )
)
def test_tokenize_round_trip_and_determinism(values: list[str | None]) -> None:
    t = make("tokenize")
    first = t.apply(pa.array(values, pa.string()))
    assert first.equals(make("tokenize").apply(pa.array(values, pa.string())))
    assert t.reveal(first, PROVIDER).to_pylist() == values  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(st.from_regex(r"[0-9]{6,19}", fullmatch=True))
def test_fpe_round_trip_keeps_digits_and_length(value: str) -> None:
    t = make("fpe")
    out = run(t, [value])[0]
    assert out is not None and out.isdigit() and len(out) == len(value)
    t.params.key_id = t.key_id  # type: ignore[attr-defined]  # what the manifest records
    assert t.reveal(pa.array([out]), PROVIDER).to_pylist() == [value]  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)), st.integers(0, 999))
def test_fpe_resident_id_stays_valid(born: dt.date, seq: int) -> None:
    from govkit.detect.validators import cn_resident_id_check_char, is_cn_resident_id

    body = f"440305{born:%Y%m%d}{seq:03d}"
    value = body + cn_resident_id_check_char(body)
    t = make("fpe", "CN_RESIDENT_ID", check_digit="cn_resident_id")
    out = run(t, [value])[0]
    assert out is not None and is_cn_resident_id(out) and out[:6] == "440305"
    t.params.key_id = t.key_id  # type: ignore[attr-defined]
    assert t.reveal(pa.array([out]), PROVIDER).to_pylist() == [value]  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["tokenize", "hash", "fpe"])
def test_normalised_forms_give_one_token(name: str) -> None:
    forms = [
        "138-1234-5678",
        "+86 13812345678",
        "１３８１２３４５６７８",
        "0086 138 1234 5678",
        "13812345678",
    ]
    out = run(make(name, "PHONE_NUMBER"), forms)
    assert len(set(out)) == 1 and out[0] != "13812345678"


@pytest.mark.parametrize("name", ["tokenize", "encrypt", "hash"])
def test_values_carry_version_and_key_id(name: str) -> None:
    out = run(make(name), ["x"])[0]
    assert out is not None and out.startswith(f"gk1.{KEYS[name].id}.")


def _tamper(token: str) -> str:
    head, payload = token.rsplit(".", 1)
    flipped = "A" if payload[5] != "A" else "B"
    return f"{head}.{payload[:5]}{flipped}{payload[6:]}"


@pytest.mark.parametrize("name", ["tokenize", "encrypt"])
@pytest.mark.parametrize(
    ("case", "error", "message"),
    [
        ("tampered", DecryptionError, r"column 'c', row 0: value does not verify"),
        ("wrong key", DecryptionError, r"column 'c', row 0: value does not verify"),
        ("unknown key", KeyMaterialError, r"no key"),
        ("not a token", DecryptionError, r"column 'c', row 0: not a govkit token"),
    ],
)
def test_reveal_failures(name: str, case: str, error: type[Exception], message: str) -> None:
    t = make(name)
    token = run(t, ["secret-value"])[0]
    assert token is not None
    provider = PROVIDER
    if case == "tampered":
        token = _tamper(token)
    elif case == "wrong key":
        other = DataKey(KEYS[name].id, KEYS[name].purpose, os.urandom(len(KEYS[name].material)))
        provider = FixedKeys(other)
    elif case == "unknown key":
        token = token.replace(KEYS[name].id, "xx-deadbeef")
    else:
        token = "secret-value"
    with pytest.raises(error, match=message) as info:
        t.reveal(pa.array([token]), provider)  # type: ignore[arg-type]
    assert "secret" not in str(info.value)


def test_fpe_reveal_refuses_a_key_of_another_purpose() -> None:
    t = make("fpe")
    out = t.apply(pa.array(["6212268297174819"]))
    t.params.key_id = KEYS["tokenize"].id  # type: ignore[attr-defined]  # a forged manifest
    with pytest.raises(KeyMaterialError, match="is a tokenize key, not fpe"):
        t.reveal(out, PROVIDER)  # type: ignore[arg-type]


def test_destroyed_key_says_so(ring: LocalKeyring) -> None:
    t = build("tokenize", {}, column="c", entity=None, keys=ring)
    token = run(t, ["secret"])
    ring.destroy(t.key_id or "")
    with pytest.raises(KeyMaterialError, match=f"key {t.key_id} was destroyed"):
        t.reveal(pa.array(token), ring)


def test_text_replaces_spans_and_keeps_the_rest() -> None:
    t = make("text")
    out = run(t, ["请回电13812345678，谢谢", "no pii here", None])
    assert (
        out[0] is not None
        and "13812345678" not in out[0]
        and out[0].startswith("请回电")
        and out[0].endswith("谢谢")
    )
    assert out[1:] == ["no pii here", None]
    assert t.spans_replaced >= 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["tokenize", "encrypt", "hash", "fpe", "mask", "text"])
def test_nulls_and_empty_strings_pass_through(name: str) -> None:
    assert run(make(name), [None, "", None]) == [None, "", None]


@pytest.mark.parametrize("name", ["tokenize", "encrypt", "hash"])
def test_all_empty_batch(name: str) -> None:
    assert run(make(name), []) == []
    assert run(make(name), [None, None]) == [None, None]


@pytest.mark.parametrize(
    "values",
    [
        ["13812345678", "１３８１２３４５６７８", None, "", "+86 138-1234-5678"],
        ["ｔｅｌ：１３８ １２３４ ５６７８", "138\u00a01234\u00a05678", "①②③", "Ⅻ"],
        ["440101199001011234", "４４０１０１１９９００１０１１２３Ｘ", "4401-0119-9001-0112-34"],
        [None, None],
        ["only ascii 138-1234-5678", "ascii+digits"],
    ],
)
def test_mask_digits_equal_nfkc_of_every_value(values: list[str | None]) -> None:
    """Skipping NFKC for ASCII values changes nothing: the whole column normalised agrees."""
    from govkit.protect.mask import _digits

    array = pa.array(values, pa.string())
    whole = pc.replace_substring_regex(pc.utf8_normalize(array, "NFKC"), r"[^0-9A-Za-z+]", "")
    assert _digits(array).to_pylist() == whole.to_pylist()
