"""``generalize``: coarser values that still serve analytics.

``year`` and ``age_band`` for dates of birth, ``province`` and ``city`` for
addresses, ``bucket`` for amounts. ``auto`` picks by entity (birth date → year,
location → province); for an entity with no natural generalisation every value
becomes ``*`` (fail closed). Unparseable values become null, never the raw value.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field

from govkit.protect.base import Transform, as_strings
from govkit.protect.registry import register

Level = Literal["auto", "year", "age_band", "province", "city", "bucket", "star"]
_AUTO: dict[str, Level] = {"DATE_OF_BIRTH": "year", "LOCATION": "province"}
_PROVINCE = r"^(?P<p>北京|上海|天津|重庆|.{2,8}?(?:省|自治区|特别行政区))"
_CITY = r"^(?P<c>(?:北京|上海|天津|重庆)市?|(?:.{2,8}?(?:省|自治区))?.{1,10}?(?:市|自治州|地区|盟))"
_TAIL = r",\s*(?P<t>[^,]+?)\s*$"


class GeneralizeParams(BaseModel):
    """Parameters of ``generalize``.

    Attributes:
        to: the level (``auto`` picks by entity).
        bands: lower bounds of age bands (``age_band``).
        edges: bucket edges (``bucket``); labels read ``100-500``, ``<0``, ``10000+``.
        as_of: the date ages are computed at (default: today; fix it for repeatable output).
    """

    model_config = ConfigDict(extra="forbid")

    to: Level = "auto"
    bands: list[float] = Field(default_factory=lambda: [18.0, 25.0, 35.0, 45.0, 55.0, 65.0])
    edges: list[float] = Field(
        default_factory=lambda: [0.0, 50.0, 100.0, 500.0, 1000.0, 5000.0, 10000.0]
    )
    as_of: dt.date | None = None


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _labels(edges: list[float]) -> list[str]:
    inner = [f"{_num(a)}-{_num(b)}" for a, b in zip(edges, edges[1:], strict=False)]
    return [f"<{_num(edges[0])}", *inner, f"{_num(edges[-1])}+"]


def _bucket(numbers: np.ndarray, valid: np.ndarray, edges: list[float]) -> pa.Array:
    labels = pa.array(_labels(edges), pa.string())
    index = np.digitize(numbers, np.asarray(edges, dtype=float), right=False)
    return labels.take(pa.array(index, mask=~np.asarray(valid, dtype=bool)))


@register
class Generalize(Transform):
    """Replace values with a coarser class; deterministic, one-way."""

    name = "generalize"
    Params = GeneralizeParams

    def level(self) -> Level:
        """The level in force for this column."""
        level: Level = self.params.to  # type: ignore[attr-defined]
        if level == "auto":
            return _AUTO.get(self.entity or "", "star")
        return level

    def apply(self, values: pa.Array) -> pa.Array:
        """Generalised values; nulls stay null."""
        params: GeneralizeParams = self.params  # type: ignore[assignment]
        strings = pc.utf8_trim_whitespace(as_strings(values))
        level = self.level()
        if level == "star":
            star = pa.scalar("*", pa.string())
            return pc.if_else(pc.is_valid(strings), star, pa.scalar(None, pa.string()))
        if level in ("year", "age_band"):
            stamps = pc.strptime(
                pc.utf8_slice_codeunits(strings, 0, 10), "%Y-%m-%d", "s", error_is_null=True
            )
            if level == "year":
                return pc.cast(pc.year(stamps), pa.string())
            today = params.as_of or dt.date.today()
            years = pc.year(stamps).to_numpy(zero_copy_only=False)
            later = pc.greater(
                pc.add(pc.multiply(pc.month(stamps), 100), pc.day(stamps)),
                today.month * 100 + today.day,
            )
            age = (
                today.year
                - np.nan_to_num(years)
                - pc.fill_null(later, False).to_numpy(zero_copy_only=False)
            )
            valid = pc.is_valid(stamps).to_numpy(zero_copy_only=False)
            return _bucket(age.astype(float), valid, params.bands)
        if level == "bucket":
            numbers = pc.cast(
                pc.if_else(
                    pc.match_substring_regex(strings, r"^-?[0-9]+(?:\.[0-9]+)?$"), strings, None
                ),
                pa.float64(),
            )
            valid = pc.is_valid(numbers).to_numpy(zero_copy_only=False)
            return _bucket(pc.fill_null(numbers, 0.0).to_numpy(), valid, params.edges)
        pattern = _PROVINCE if level == "province" else _CITY
        found = pc.struct_field(pc.extract_regex(strings, pattern), [0])
        tail = pc.struct_field(pc.extract_regex(strings, _TAIL), [0])
        return pc.coalesce(found, tail)
