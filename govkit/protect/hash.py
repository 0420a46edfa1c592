"""``hash``: keyed HMAC-SHA256 pseudonyms; one-way and deterministic.

Unkeyed hashes of phone numbers or IDs fall to brute force (11 digits is 10^11
guesses), so only a keyed HMAC is offered. Values read
``gk1.<key id>.<base64url(32-byte MAC)>`` over the normalised value.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pyarrow as pa

from govkit.protect.base import Transform, as_strings, per_distinct
from govkit.protect.codec import prefix, seal
from govkit.protect.normalize import normalized_array
from govkit.protect.registry import register

_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))


def hmac_states(key: bytes) -> tuple[Any, Any]:
    """HMAC-SHA256's inner and outer hash states after the padded key (RFC 2104).

    ``outer.copy()`` fed ``inner.copy()``'s digest of a message is ``hmac.digest(key,
    message, "sha256")``; this is how the standard library's own ``hmac`` computes it
    without OpenSSL's HMAC, whose per-message copy costs more than two ``hashlib``
    copies (``bench/bench_protect.py``: 0.95M against 1.66M phones a second).
    """
    if len(key) > hashlib.sha256().block_size:
        key = hashlib.sha256(key).digest()
    key = key.ljust(hashlib.sha256().block_size, b"\0")
    return hashlib.sha256(key.translate(_IPAD)), hashlib.sha256(key.translate(_OPAD))


@register
class Hash(Transform):
    """HMAC-SHA256 under a ``hash`` key."""

    name = "hash"
    key_purpose = "hash"
    uses_run_cache = True

    def apply(self, values: pa.Array) -> pa.Array:
        """MAC per value; nulls and empty strings pass through."""
        if self.key is None:
            raise AssertionError("internal invariant broken: self.key is not None")
        inner, outer = hmac_states(self.key.material)
        head = prefix(self.key.id)

        def seal_all(items: list[bytes]) -> list[bytes]:
            out: list[bytes] = []
            append = out.append
            inner_copy, outer_copy = inner.copy, outer.copy
            for v in items:
                mac = inner_copy()
                mac.update(v)
                tag = outer_copy()
                tag.update(mac.digest())
                append(tag.digest())
            return out

        ident = self.cache_ident()

        def protect(distinct: pa.Array) -> pa.Array:
            normal = normalized_array(self.entity, distinct)
            return seal(normal, seal_all, head=head, cache=self.cache, ident=ident)

        return per_distinct(as_strings(values), protect)
