"""``encrypt``: AES-256-GCM with a random 96-bit nonce per value; reversible, not joinable.

Nonces come from one ``os.urandom`` call per batch, sliced (1.7× faster than a
syscall per value; research §4). Values read ``gk1.<key id>.<base64url(nonce ‖
ciphertext ‖ tag)>``; the header is bound as associated data, so swapping the key
id or version fails verification.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pyarrow as pa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from govkit.protect.base import Transform, as_strings
from govkit.protect.codec import prefix, reveal_column, seal
from govkit.protect.keys import DataKey, KeyProvider
from govkit.protect.registry import register

NONCE = 12


def _opener(key: DataKey) -> Callable[[bytes], bytes]:
    gcm, aad = AESGCM(key.material), prefix(key.id)

    def open_(blob: bytes) -> bytes:
        try:
            return gcm.decrypt(blob[:NONCE], blob[NONCE:], aad)
        except InvalidTag as exc:
            raise ValueError("tag mismatch") from exc

    return open_


@register
class Encrypt(Transform):
    """AES-256-GCM; the exact value (not normalised) comes back on reveal."""

    name = "encrypt"
    key_purpose = "encrypt"
    reversible = True
    deterministic = False

    def apply(self, values: pa.Array) -> pa.Array:
        """Ciphertext per value; nulls and empty strings pass through."""
        if self.key is None:
            raise AssertionError("internal invariant broken: self.key is not None")
        encrypt = AESGCM(self.key.material).encrypt
        head = prefix(self.key.id)

        def seal_all(items: list[bytes]) -> list[bytes]:
            pool = os.urandom(NONCE * len(items))
            return [
                (nonce := pool[n : n + NONCE]) + encrypt(nonce, v, head)
                for n, v in zip(range(0, NONCE * len(items), NONCE), items, strict=True)
            ]

        return seal(as_strings(values), seal_all, head=head)

    def reveal(self, values: pa.Array, keys: KeyProvider) -> pa.Array:
        """The original values."""
        return reveal_column(
            as_strings(values), keys, column=self.column, purpose="encrypt", make=_opener
        )
