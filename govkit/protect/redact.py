"""``redact``: replace every value with a constant (or null)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict

from govkit.protect.base import Transform
from govkit.protect.registry import register


class RedactParams(BaseModel):
    """Parameters of ``redact``.

    Attributes:
        value: the constant written instead of each non-null value; None writes null.
    """

    model_config = ConfigDict(extra="forbid")

    value: str | None = "[REDACTED]"


@register
class Redact(Transform):
    """Replace values with a constant; nulls stay null."""

    name = "redact"
    Params = RedactParams

    def apply(self, values: pa.Array) -> pa.Array:
        """Constant where a value was, null where there was none."""
        constant = self.params.value  # type: ignore[attr-defined]
        if constant is None:
            return pa.nulls(len(values), pa.string())
        filler = pa.array([constant] * len(values), pa.string())
        return pc.if_else(pc.is_valid(values), filler, pa.scalar(None, pa.string()))
