"""``tokenize``: deterministic AES-SIV tokens that join across tables and reveal back.

The same normalised value under the same key gives the same token, so joins on
phone or ID keep working across files and channels; ``reveal`` decrypts it.
Tokens read ``gk1.<key id>.<base64url(SIV tag + ciphertext)>``.
"""

from __future__ import annotations

import binascii
from collections.abc import Callable

import pyarrow as pa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from govkit.protect.base import Transform, as_strings
from govkit.protect.codec import EMPTY, prefix, reveal_column, tokens
from govkit.protect.keys import DataKey, KeyProvider
from govkit.protect.normalize import normalized_bytes
from govkit.protect.registry import register


def _opener(key: DataKey) -> Callable[[bytes], bytes]:
    siv = AESSIV(key.material)

    def open_(blob: bytes) -> bytes:
        try:
            return siv.decrypt(blob, None)
        except InvalidTag as exc:
            raise ValueError("tag mismatch") from exc

    return open_


@register
class Tokenize(Transform):
    """AES-SIV (RFC 5297) over the normalised value; deterministic and reversible."""

    name = "tokenize"
    key_purpose = "tokenize"
    reversible = True

    def apply(self, values: pa.Array) -> pa.Array:
        """Token per value; nulls and empty strings pass through."""
        assert self.key is not None
        encrypt = AESSIV(self.key.material).encrypt
        b64 = binascii.b2a_base64
        items = normalized_bytes(self.entity, as_strings(values))
        head = prefix(self.key.id)
        out = [head + b64(encrypt(v, None), newline=False) if v else EMPTY.get(v) for v in items]
        return tokens(out)

    def reveal(self, values: pa.Array, keys: KeyProvider) -> pa.Array:
        """The normalised original of each token."""
        return reveal_column(
            as_strings(values), keys, column=self.column, purpose="tokenize", make=_opener
        )
