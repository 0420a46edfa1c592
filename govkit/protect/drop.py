"""``drop``: remove the column from the output (a ``deny`` view)."""

from __future__ import annotations

import pyarrow as pa

from govkit.errors import ProtectionError
from govkit.protect.base import Transform
from govkit.protect.registry import register


@register
class Drop(Transform):
    """The column does not appear in the output; the plan removes it before apply."""

    name = "drop"

    def apply(self, values: pa.Array) -> pa.Array:
        """Never called: dropped columns are removed from the batch."""
        raise ProtectionError(f"column {self.column!r}: drop has no values to transform")
