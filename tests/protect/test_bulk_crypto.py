"""The bulk primitives equal the libraries' own, value by value: AES-SIV and HMAC-SHA256."""

from __future__ import annotations

import hashlib
import hmac
import os
import random

import numpy as np
import pyarrow as pa
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.errors import ProtectionError
from govkit.protect.hash import hmac_states
from govkit.protect.siv import SivEncryptor


def _payloads(key: bytes, values: pa.Array) -> list[bytes]:
    """SivEncryptor's payloads put back in row order."""
    blob, lengths, order = SivEncryptor(key).encrypt_array(values)
    out: list[bytes] = [b""] * len(values)
    at = 0
    for size, row in zip(lengths.tolist(), order.tolist(), strict=True):
        out[row] = blob[at : at + size].tobytes()
        at += size
    assert at == len(blob)
    return out


@pytest.mark.parametrize("key_bytes", [32, 48, 64])
def test_every_length_to_100_equals_the_library(key_bytes: int) -> None:
    rng = random.Random(key_bytes)
    key = rng.randbytes(key_bytes)
    values = [rng.randbytes(n) for n in range(1, 101) for _ in range(3)]
    rng.shuffle(values)
    library = AESSIV(key)
    assert _payloads(key, pa.array(values, pa.binary())) == [
        library.encrypt(v, None) for v in values
    ]


@pytest.mark.parametrize(
    ("label", "values"),
    [
        ("one length, contiguous", [f"1381234{i:04d}".encode() for i in range(500)]),
        ("block multiple", [f"{i:032d}".encode() for i in range(200)]),
        ("two lengths", [f"4401011990010{i}".encode() for i in range(300)]),
        ("one value", [b"x"]),
        ("utf-8", ["张伟".encode(), "李娜@例子.中国".encode(), "１３８".encode()]),
    ],
)
def test_written_forms_equal_the_library(label: str, values: list[bytes]) -> None:
    key = os.urandom(64)
    assert _payloads(key, pa.array(values, pa.binary())) == [
        AESSIV(key).encrypt(v, None) for v in values
    ], label


def test_a_slice_of_a_larger_array_is_read_at_its_offset() -> None:
    key = os.urandom(64)
    values = [f"v{i}".encode() * (1 + i % 5) for i in range(100)]
    part = pa.array(values, pa.binary()).slice(37, 40)
    assert _payloads(key, part) == [AESSIV(key).encrypt(v, None) for v in values[37:77]]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(min_size=1, max_size=70), min_size=1, max_size=40))
def test_random_batches_equal_the_library(values: list[bytes]) -> None:
    key = bytes(range(64))
    assert _payloads(key, pa.array(values, pa.binary())) == [
        AESSIV(key).encrypt(v, None) for v in values
    ]


def test_a_fault_in_the_bulk_path_fails_closed() -> None:
    siv = SivEncryptor(os.urandom(64))
    siv._d = siv._d ^ np.uint8(1)  # a wrong S2V constant: every value of 16+ bytes is wrong
    with pytest.raises(ProtectionError, match="disagrees with the library"):
        siv.encrypt_array(pa.array([b"0123456789abcdef0"], pa.binary()))


def test_a_key_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError):
        SivEncryptor(os.urandom(20))


RFC_4231 = [  # (key, data, HMAC-SHA-256) test cases 1, 2, 6 and 7
    (b"\x0b" * 20, b"Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    (
        b"Jefe",
        b"what do ya want for nothing?",
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    ),
    (
        b"\xaa" * 131,
        b"Test Using Larger Than Block-Size Key - Hash Key First",
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    ),
    (
        b"\xaa" * 131,
        b"This is a test using a larger than block-size key and a larger than block-size data."
        b" The key needs to be hashed before being used by the HMAC algorithm.",
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
    ),
]


@pytest.mark.parametrize(("key", "data", "mac"), RFC_4231)
def test_hmac_states_give_rfc_4231_macs(key: bytes, data: bytes, mac: str) -> None:
    inner, outer = hmac_states(key)
    inner.update(data)
    outer.update(inner.digest())
    assert outer.hexdigest() == mac


@settings(max_examples=100, deadline=None)
@given(st.binary(min_size=0, max_size=150), st.binary(max_size=200))
def test_hmac_states_equal_the_standard_library(key: bytes, data: bytes) -> None:
    inner, outer = hmac_states(key)
    inner.update(data)
    outer.update(inner.digest())
    assert outer.digest() == hmac.digest(key, data, hashlib.sha256)


@pytest.mark.parametrize(
    "values",
    [
        pa.array([], pa.binary()),
        pa.array([b"x"], pa.binary()).slice(1, 0),
        pa.array([None, None], pa.binary()).drop_null(),
    ],
    ids=["empty", "empty-slice", "nulls-dropped"],
)
def test_no_values_give_no_payloads(values: pa.Array) -> None:
    blob, lengths, order = SivEncryptor(os.urandom(64)).encrypt_array(values)
    assert (len(blob), len(lengths), len(order)) == (0, 0, 0)
