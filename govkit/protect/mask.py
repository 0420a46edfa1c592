"""``mask``: hide the middle of a value, format-aware, vectorised with ``pyarrow.compute``.

Styles (``auto`` picks by entity): ``phone`` → ``138****5678`` (separators and
``+86`` removed first), ``cn_id`` → region kept (``110101************``), ``card``
→ last 4 (``************1234``), ``email`` → ``z***@example.com``, ``name`` → first
character, ``generic`` → ``keep_first``/``keep_last``. A value too short to keep
anything is masked whole.
"""

from __future__ import annotations

from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field

from govkit.protect.base import Transform, as_strings
from govkit.protect.registry import register

Style = Literal["auto", "phone", "cn_id", "card", "email", "name", "generic"]
_AUTO: dict[str, Style] = {
    "PHONE_NUMBER": "phone",
    "CN_RESIDENT_ID": "cn_id",
    "CREDIT_CARD": "card",
    "IBAN_CODE": "card",
    "EMAIL_ADDRESS": "email",
    "PERSON": "name",
}
_KEEP: dict[Style, tuple[int, int]] = {
    "phone": (3, 4),
    "cn_id": (6, 0),
    "card": (0, 4),
    "name": (1, 0),
}


class MaskParams(BaseModel):
    """Parameters of ``mask``.

    Attributes:
        style: format-aware style, or ``auto`` (by the column's entity).
        keep_first: characters shown at the start (``generic`` style).
        keep_last: characters shown at the end (``generic`` style).
        char: the mask character.
    """

    model_config = ConfigDict(extra="forbid")

    style: Style = "auto"
    keep_first: int = Field(default=0, ge=0)
    keep_last: int = Field(default=4, ge=0)
    char: str = Field(default="*", min_length=1, max_length=1)


def keep_ends(values: pa.Array, first: int, last: int, char: str) -> pa.Array:
    """Show ``first`` and ``last`` characters, mask the rest; mask short values whole."""
    length = pc.utf8_length(values)
    show = pc.greater(length, first + last)
    empty = pa.scalar("", pa.string())
    head = pc.if_else(show, pc.utf8_slice_codeunits(values, 0, first), empty)
    tail = pc.if_else(show, pc.utf8_slice_codeunits(values, -last), empty) if last else empty
    hidden = pc.if_else(show, pc.subtract(length, first + last), length)
    stars = pc.binary_repeat(pa.scalar(char, pa.string()), hidden)
    return pc.binary_join_element_wise(head, stars, tail, "")


def _digits(values: pa.Array) -> pa.Array:
    """Letters, digits and ``+`` after NFKC (full-width digits become digits).

    NFKC leaves ASCII text as it is, so only the non-ASCII values are normalised.
    """
    wide = pc.invert(pc.fill_null(pc.string_is_ascii(values), True))
    if pc.any(wide).as_py():
        values = pc.replace_with_mask(values, wide, pc.utf8_normalize(values.filter(wide), "NFKC"))
    return pc.replace_substring_regex(values, r"[^0-9A-Za-z+]", "")


@register
class Mask(Transform):
    """Partial masking; deterministic, one-way."""

    name = "mask"
    Params = MaskParams

    def style(self) -> Style:
        """The style in force for this column."""
        style: Style = self.params.style  # type: ignore[attr-defined]
        if style == "auto":
            return _AUTO.get(self.entity or "", "generic")
        return style

    def apply(self, values: pa.Array) -> pa.Array:
        """Masked values; nulls stay null."""
        strings = as_strings(values)
        params: MaskParams = self.params  # type: ignore[assignment]
        style, char = self.style(), params.char
        if style == "generic":
            return keep_ends(strings, params.keep_first, params.keep_last, char)
        if style == "email":
            local = pc.replace_substring_regex(strings, r"^([^@])[^@]*@", rf"\1{char * 3}@")
            is_email = pc.match_substring_regex(strings, r"^[^@]+@[^@]+$")
            return pc.if_else(is_email, local, keep_ends(strings, 1, 0, char))
        if style == "phone":
            strings = _digits(strings)
            strings = pc.replace_substring_regex(strings, r"^(?:\+86|0086|86)(1\d{10})$", r"\1")
        elif style in ("card", "cn_id"):
            strings = _digits(strings)
        first, last = _KEEP[style]
        return keep_ends(strings, first, last, char)
