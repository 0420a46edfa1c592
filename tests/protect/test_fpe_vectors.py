"""FF1 against every NIST SP 800-38G sample vector (radix 10 and 36, AES-128/192/256)."""

from __future__ import annotations

import pyarrow as pa
import pytest
from fastfpe import ff1
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.detect.validators import (
    cn_resident_id_check_char,
    is_cn_resident_id,
    is_luhn,
    luhn_check_digit,
)
from govkit.protect.checkdigits import luhn_check_digits, resident_id_check_chars
from govkit.protect.fpe import Fpe, FpeParams
from govkit.protect.keys import DataKey

K128 = "2B7E151628AED2A6ABF7158809CF4F3C"
K192 = K128 + "EF4359D8D580AA4F"
K256 = K192 + "7F036D6F04FC6A94"
DIGITS = "0123456789"
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
TWEAK = "39383736353433323130"
TWEAK36 = "3737373770717273373737"

NIST_FF1 = [
    ("sample 1", K128, "", DIGITS, "0123456789", "2433477484"),
    ("sample 2", K128, TWEAK, DIGITS, "0123456789", "6124200773"),
    ("sample 3", K128, TWEAK36, BASE36, "0123456789abcdefghi", "a9tv40mll9kdu509eum"),
    ("sample 4", K192, "", DIGITS, "0123456789", "2830668132"),
    ("sample 5", K192, TWEAK, DIGITS, "0123456789", "2496655549"),
    ("sample 6", K192, TWEAK36, BASE36, "0123456789abcdefghi", "xbj3kv35jrawxv32ysr"),
    ("sample 7", K256, "", DIGITS, "0123456789", "6657667009"),
    ("sample 8", K256, TWEAK, DIGITS, "0123456789", "1001623463"),
    ("sample 9", K256, TWEAK36, BASE36, "0123456789abcdefghi", "xs8a0azh2avyalyzuwd"),
]


@pytest.mark.parametrize(("name", "key", "tweak", "alphabet", "plain", "cipher"), NIST_FF1)
def test_nist_ff1_sample(
    name: str, key: str, tweak: str, alphabet: str, plain: str, cipher: str
) -> None:
    assert ff1.encrypt(key.lower(), tweak, alphabet, plain) == cipher
    assert ff1.decrypt(key.lower(), tweak, alphabet, cipher) == plain


def test_wrong_ciphertext_is_not_the_vector() -> None:
    assert ff1.encrypt(K128.lower(), "", DIGITS, "0123456788") != "2433477484"


def _fpe(check: str | None, entity: str) -> Fpe:
    key = DataKey("fk-test", "fpe", bytes.fromhex(K256))
    return Fpe(FpeParams(check_digit=check), column="c", entity=entity, key=key)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("check", "entity", "value", "validator"),
    [
        ("cn_resident_id", "CN_RESIDENT_ID", "11010519491231002X", is_cn_resident_id),
        ("luhn", "CREDIT_CARD", "6212268297174819", is_luhn),
        (None, "PHONE_NUMBER", "13812345678", None),
    ],
)
def test_fpe_keeps_format_and_check_digit(
    check: str | None, entity: str, value: str, validator: object
) -> None:
    fpe = _fpe(check, entity)
    out = fpe.apply(pa.array([value])).to_pylist()[0]
    assert out != value and len(out) == len(value)
    assert out[:-1].isdigit()
    if validator is not None:
        assert validator(out)  # type: ignore[operator]
    fpe.params.key_id = "fk-test"  # type: ignore[attr-defined]

    class One:
        def get(self, key_id: str) -> DataKey:
            return DataKey("fk-test", "fpe", bytes.fromhex(K256))

    assert fpe.reveal(pa.array([out]), One()).to_pylist() == [value]  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.from_regex(r"[0-9]{1,25}", fullmatch=True), min_size=1, max_size=30))
def test_vectorised_luhn_equals_validators(bodies: list[str]) -> None:
    assert luhn_check_digits(bodies) == [luhn_check_digit(b) for b in bodies]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.from_regex(r"[0-9]{17}", fullmatch=True), min_size=1, max_size=30))
def test_vectorised_resident_id_equals_validators(bodies: list[str]) -> None:
    assert resident_id_check_chars(bodies) == [cn_resident_id_check_char(b) for b in bodies]
