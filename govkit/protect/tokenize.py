"""``tokenize``: deterministic AES-SIV tokens that join across tables and reveal back.

The same normalised value under the same key gives the same token, so joins on
phone or ID keep working across files and channels; ``reveal`` decrypts it.
Tokens read ``gk1.<key id>.<base64url(SIV tag + ciphertext)>``.
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from govkit.protect.base import Transform, as_strings, per_distinct
from govkit.protect.codec import prefix, reveal_column, seal_bulk
from govkit.protect.keys import DataKey, KeyProvider
from govkit.protect.normalize import normalized_array
from govkit.protect.registry import register
from govkit.protect.siv import SivEncryptor


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
        if self.key is None:
            raise AssertionError("internal invariant broken: self.key is not None")
        siv = SivEncryptor(self.key.material)
        head = prefix(self.key.id)

        def protect(distinct: pa.Array) -> pa.Array:
            # no run cache: bulk AES-SIV costs less than looking each value up
            normal = normalized_array(self.entity, distinct)
            return seal_bulk(normal, siv.encrypt_array, head=head)

        return per_distinct(as_strings(values), protect)

    def reveal(self, values: pa.Array, keys: KeyProvider) -> pa.Array:
        """The normalised original of each token."""
        return reveal_column(
            as_strings(values), keys, column=self.column, purpose="tokenize", make=_opener
        )
