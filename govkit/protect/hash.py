"""``hash``: keyed HMAC-SHA256 pseudonyms; one-way and deterministic.

Unkeyed hashes of phone numbers or IDs fall to brute force (11 digits is 10^11
guesses), so only a keyed HMAC is offered. Values read
``gk1.<key id>.<base64url(32-byte MAC)>`` over the normalised value.
"""

from __future__ import annotations

import hashlib
import hmac

import pyarrow as pa

from govkit.protect.base import Transform, as_strings, per_distinct
from govkit.protect.codec import prefix, seal
from govkit.protect.normalize import normalized_array
from govkit.protect.registry import register


@register
class Hash(Transform):
    """HMAC-SHA256 under a ``hash`` key."""

    name = "hash"
    key_purpose = "hash"

    def apply(self, values: pa.Array) -> pa.Array:
        """MAC per value; nulls and empty strings pass through."""
        if self.key is None:
            raise AssertionError("internal invariant broken: self.key is not None")
        base = hmac.new(self.key.material, digestmod=hashlib.sha256)
        head = prefix(self.key.id)

        def seal_all(items: list[bytes]) -> list[bytes]:
            out: list[bytes] = []
            append = out.append
            for v in items:
                mac = base.copy()
                mac.update(v)
                append(mac.digest())
            return out

        ident = self.cache_ident()

        def protect(distinct: pa.Array) -> pa.Array:
            normal = normalized_array(self.entity, distinct)
            return seal(normal, seal_all, head=head, cache=self.cache, ident=ident)

        return per_distinct(as_strings(values), protect)
