"""``keep``: pass the column through unchanged (low-tier data, or a ``raw`` view)."""

from __future__ import annotations

import pyarrow as pa

from govkit.protect.base import Transform
from govkit.protect.registry import register


@register
class Keep(Transform):
    """Leave the values as they are."""

    name = "keep"

    def apply(self, values: pa.Array) -> pa.Array:
        """Return the values unchanged."""
        return values
