"""``text``: replace the personal data embedded in free text, leave the rest.

Each span the detector finds (``govkit.detect.text.TextDetector``) is masked the
way its entity is masked (``联系电话138****5678``) or replaced by a label
(``联系电话<PHONE_NUMBER>``). Counts of replaced spans go to the manifest.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict

from govkit.protect.base import Transform, as_strings
from govkit.protect.mask import Mask, MaskParams
from govkit.protect.registry import register


class TextParams(BaseModel):
    """Parameters of ``text``.

    Attributes:
        replace: ``mask`` each span format-aware, or put a ``label`` (``<EMAIL_ADDRESS>``).
    """

    model_config = ConfigDict(extra="forbid")

    replace: Literal["mask", "label"] = "mask"


@register
class Text(Transform):
    """Span replacement in free-text columns; one-way."""

    name = "text"
    Params = TextParams

    def __init__(self, params: BaseModel, **kwargs: Any) -> None:
        super().__init__(params, **kwargs)
        self.spans_replaced = 0
        self._detector: Any = None

    def detector(self) -> Any:
        """The span detector, built on first use (it loads dictionaries)."""
        if self._detector is None:
            from govkit.detect.text import TextDetector

            self._detector = TextDetector.default()
        return self._detector

    def apply(self, values: pa.Array) -> pa.Array:
        """Texts with every detected span replaced; nulls stay null."""
        items = as_strings(values).to_pylist()
        find = self.detector().find
        found: list[tuple[int, int, int, str]] = []
        by_entity: dict[str, list[str]] = defaultdict(list)
        for row, text in enumerate(items):
            if not text:
                continue
            for span in find(text):
                found.append((row, span.start, span.end, span.entity))
                by_entity[span.entity].append(text[span.start : span.end])
        if not found:
            return as_strings(values)
        masked = self._replacements(by_entity)
        cursor: dict[str, int] = defaultdict(int)
        pieces: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for row, start, end, entity in found:
            pieces[row].append((start, end, masked[entity][cursor[entity]]))
            cursor[entity] += 1
        for row, spans in pieces.items():
            text = items[row]
            assert text is not None
            for start, end, new in sorted(spans, reverse=True):
                text = text[:start] + new + text[end:]
            items[row] = text
        self.spans_replaced += len(found)
        return pa.array(items, pa.string())

    def _replacements(self, by_entity: dict[str, list[str]]) -> dict[str, list[str]]:
        if self.params.replace == "label":  # type: ignore[attr-defined]
            return {e: [f"<{e}>"] * len(texts) for e, texts in by_entity.items()}
        out: dict[str, list[str]] = {}
        for entity, texts in by_entity.items():
            mask = Mask(MaskParams(style="auto"), column=self.column, entity=entity)
            if mask.style() == "generic":
                mask = Mask(
                    MaskParams(style="generic", keep_first=0, keep_last=0), column=self.column
                )
            out[entity] = [v or "" for v in mask.apply(pa.array(texts, pa.string())).to_pylist()]
        return out
