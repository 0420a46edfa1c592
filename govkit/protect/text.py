"""``text``: replace the personal data embedded in free text, leave the rest.

Each span the detector finds (``govkit.detect.text.TextDetector``) is masked the
way its entity is masked (``联系电话138****5678``) or replaced by a label
(``联系电话<PHONE_NUMBER>``). Counts of replaced spans go to the manifest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict

from govkit.protect.base import Transform, as_strings
from govkit.protect.mask import Mask, MaskParams
from govkit.protect.registry import register
from govkit.protect.spanhelper import find_spans


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
    uses_run_cache = True
    Params = TextParams

    def __init__(self, params: BaseModel, **kwargs: Any) -> None:
        super().__init__(params, **kwargs)
        self.spans_replaced = 0
        self._detector: Any = None

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the detector (rebuilt on first use where it lands) or the cache."""
        state = super().__getstate__()
        state["_detector"] = None
        return state

    def detector(self) -> Any:
        """The span detector, built on first use (it loads dictionaries)."""
        if self._detector is None:
            from govkit.detect.text import TextDetector

            self._detector = TextDetector.default()
        return self._detector

    def cache_ident(self) -> Hashable:
        """Parameters and the detector's configuration (no key)."""
        detector = self.detector()
        return (*tuple(super().cache_ident()), detector.names, detector.spacy_model)  # type: ignore[arg-type]

    def apply(self, values: pa.Array) -> pa.Array:
        """Texts with every detected span replaced; nulls stay null.

        Each distinct text of the batch is scanned once (dictionary encoding), and
        with the run's cache once per run: two views of one ticket table share it.
        """
        strings = as_strings(values)
        encoded = pc.dictionary_encode(strings)
        uniques: list[str] = encoded.dictionary.to_pylist()
        done: list[tuple[str, int]] = [(u, 0) for u in uniques]
        rows = self._candidates(encoded.dictionary)
        chosen = [uniques[i] for i in rows]
        if self.cache is not None:
            found = self.cache.resolve(self.cache_ident(), chosen, self._redact, costly=True)
        else:
            found = self._redact(chosen)
        for i, result in zip(rows, found, strict=True):
            done[i] = result
        counts = np.fromiter((n for _, n in done), dtype=np.int64, count=len(done))
        if not counts.any():
            return strings
        indices = encoded.indices.fill_null(0).to_numpy(zero_copy_only=False)
        valid = np.asarray(encoded.indices.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        self.spans_replaced += int(counts[indices[valid]].sum())
        return pa.array([t for t, _ in done], pa.string()).take(encoded.indices)

    def _candidates(self, texts: pa.Array) -> list[int]:
        """Indices of the texts that may hold a span (vectorised pre-filter).

        With a spaCy model, English names need no cue, so every text is scanned; any
        text with Latin letters is scanned too, as ``needs_span_scan`` may not know
        every English name cue ``find`` does (``Dear John Smith`` — a test pins it).
        """
        detector = self.detector()
        if detector.spacy_model is not None:
            return list(range(len(texts)))
        from govkit.detect.text import needs_span_scan

        mask = needs_span_scan(texts, names=detector.names)
        if detector.names:  # fail closed: English cue words needing no digit (``Dear …``)
            mask = pc.or_(mask, pc.fill_null(pc.match_substring_regex(texts, "[A-Za-z]"), False))
        return np.flatnonzero(np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)).tolist()

    def _redact(self, texts: list[str]) -> list[tuple[str, int]]:
        """Each text with its spans replaced, and how many spans that was.

        The spans of the whole batch are found at once (``TextDetector.find_many``, shared
        with the run's second process if it has one: :mod:`govkit.protect.spanhelper`).
        """
        found: list[tuple[int, int, int, str]] = []
        by_entity: dict[str, list[str]] = defaultdict(list)
        for row, (text, spans) in enumerate(
            zip(texts, find_spans(self.detector(), texts), strict=True)
        ):
            for span in spans:
                found.append((row, span.start, span.end, span.entity))
                by_entity[span.entity].append(text[span.start : span.end])
        out = [(t, 0) for t in texts]
        if not found:
            return out
        masked = self._replacements(by_entity)
        cursor: dict[str, int] = defaultdict(int)
        pieces: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for row, start, end, entity in found:
            pieces[row].append((start, end, masked[entity][cursor[entity]]))
            cursor[entity] += 1
        for row, edits in pieces.items():
            text = texts[row]
            for start, end, new in sorted(edits, reverse=True):
                text = text[:start] + new + text[end:]
            out[row] = (text, len(edits))
        return out

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
