"""Token text is built in bulk (:func:`govkit.protect.codec.encode`) exactly as per value.

Every token reads ``gk1.<key id>.<base64url, padded>`` of the primitive's output over
the normalised value; these tests pin that text against the per-value definition.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import random

import pyarrow as pa
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from govkit.protect.codec import encode
from govkit.protect.keys import DataKey
from govkit.protect.registry import build


def _one(head: bytes, payload: bytes) -> str:
    return (head + base64.urlsafe_b64encode(payload)).decode("ascii")


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 16, 26, 27, 28, 29, 32, 44, 60])
def test_one_length(size: int) -> None:
    payloads = [os.urandom(size) for _ in range(50)] + [b"\xff" * size, b"\x00" * size]
    assert encode(b"gk1.tk-1.", payloads).to_pylist() == [_one(b"gk1.tk-1.", p) for p in payloads]


def test_mixed_lengths_keep_row_order() -> None:
    rng = random.Random(7)
    payloads = [os.urandom(rng.randint(1, 40)) for _ in range(500)]
    assert encode(b"gk1.hk-2.", payloads).to_pylist() == [_one(b"gk1.hk-2.", p) for p in payloads]


def test_no_payloads() -> None:
    assert encode(b"gk1.x.", []).to_pylist() == []


KEY = {
    "tokenize": DataKey("tk-codec001", "tokenize", os.urandom(64)),
    "hash": DataKey("hk-codec001", "hash", os.urandom(32)),
}


class Keys:
    def active(self, purpose: str) -> DataKey:
        return KEY[purpose]

    def get(self, key_id: str) -> DataKey:
        return next(k for k in KEY.values() if k.id == key_id)


def _expected(name: str, canonical: str) -> str:
    key = KEY[name]
    data = canonical.encode()
    if name == "tokenize":
        raw = AESSIV(key.material).encrypt(data, None)
    else:
        raw = hmac.new(key.material, data, hashlib.sha256).digest()
    return _one(f"gk1.{key.id}.".encode(), raw)


PHONES = [
    ("+86 138-1234-5678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("010-12345678", "1012345678"),
    ("+1 646-786-8997", "+16467868997"),
    ("+44 20 7946 0958", "+442079460958"),
    ("order 12", "order 12"),  # not a phone: its text form
    ("  x ", "x"),
]


@pytest.mark.parametrize("name", ["tokenize", "hash"])
def test_phone_tokens_are_the_primitive_over_the_canonical_form(name: str) -> None:
    t = build(name, {}, column="c", entity="PHONE_NUMBER", keys=Keys())  # type: ignore[arg-type]
    values = [v for v, _ in PHONES] + [None, ""]
    out = t.apply(pa.array(values, pa.string())).to_pylist()
    assert out == [_expected(name, c) for _, c in PHONES] + [None, ""]


@pytest.mark.parametrize("budget", [1, 64, 10_000, 256 << 20])  # bytes of values per chunk
def test_tokens_in_chunks_equal_tokens_at_once(
    monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    from govkit.protect import codec

    monkeypatch.setattr(codec, "_BULK_BYTES", budget)
    values = [f"V{i:05d}" * (1 + i % 4) for i in range(300)] + [None, "", "张伟"]
    random.Random(budget).shuffle(values)
    transform = build("tokenize", {}, column="c", entity=None, keys=Keys())  # type: ignore[arg-type]
    got = transform.apply(pa.array(values, pa.string())).to_pylist()
    assert got == [v if not v else _expected("tokenize", v) for v in values]
