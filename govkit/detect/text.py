"""Personal data inside free text: spans of entities in one text, or over a whole column.

``TextDetector.find(text)`` returns non-overlapping, sorted spans; protect uses
it to replace embedded values. ``TextDetector.find_column(array)`` first runs a
vectorised RE2 prefilter over the Arrow array and calls ``find`` only on rows
that can hold a span.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from govkit.detect.names import NAME_PREFILTER, en_names, zh_names
from govkit.detect.patterns import PREFILTER, TEXT_PATTERNS, TextPattern
from govkit.detect.places import ADDRESS_PREFILTER, zh_addresses
from govkit.detect.vocab import EN_NAME_CUES, ZH_NAME_CUES

__all__ = ["Span", "TextDetector", "needs_span_scan"]

# Full-width ASCII (U+FF01–FF5E) and the ideographic space map one-to-one onto
# ASCII, so offsets into the folded text are offsets into the original.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_NAME_CUES = (
    "|".join(ZH_NAME_CUES) + "|(?i:" + "|".join(re.escape(c.strip()) for c in EN_NAME_CUES) + ")"
)


def needs_span_scan(values: pa.Array | pa.ChunkedArray, *, names: bool = True) -> pa.Array:
    """Which cells may hold a span (Arrow boolean array, nulls false), vectorised.

    A cell with no digit run, no ``@``, no address sign (road, district, named
    place, address cue), no plate sign and (with
    ``names``) no name cue cannot hold anything :meth:`TextDetector.find` finds,
    so it can skip the span scan; protect's free-text transform and scan use
    this. A property test pins that it never skips a cell with a span.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = values.cast(pa.string())
    folded = pc.utf8_normalize(values, form="NFKC")
    mask = pc.match_substring_regex(folded, PREFILTER)
    mask = pc.or_(mask, pc.match_substring_regex(folded, ADDRESS_PREFILTER))
    if names:
        mask = pc.or_(mask, pc.match_substring_regex(folded, _NAME_CUES))
        mask = pc.or_(mask, pc.match_substring_regex(folded, NAME_PREFILTER))
    return pc.fill_null(mask, False)


class Span(NamedTuple):
    """A span ``text[start:end]`` holding entity ``entity``.

    ``score`` is the confidence (0–1); ``validator`` names what confirmed the
    match (``"Luhn + issuer prefix"``, ``"pattern"``, ``"surname + context + dictionary"`` …).
    """

    start: int
    end: int
    entity: str
    score: float = 0.0
    validator: str = "pattern"


def fold(text: str) -> str:
    """Full-width ASCII and the ideographic space as ASCII; offsets are unchanged."""
    return text.translate(_FOLD)


class TextDetector:
    """Finds entities in free text with patterns, validators and name detection.

    Args:
        patterns: the text patterns, in priority order.
        names: also find person names (surname rules + dictionary, cue words, optional spaCy model).
        spacy_model: name or path of an installed spaCy model for English names.
    """

    def __init__(
        self,
        patterns: tuple[TextPattern, ...] = TEXT_PATTERNS,
        *,
        names: bool = True,
        spacy_model: str | None = None,
    ) -> None:
        self.patterns = patterns
        self.names = names
        self.spacy_model = spacy_model
        self._priority: dict[str, int] = {}
        for i, p in enumerate(patterns):
            self._priority.setdefault(p.entity, i)

    @classmethod
    def default(cls, spacy_model: str | None = None) -> TextDetector:
        """Return a detector with every built-in pattern and name detection."""
        return cls(spacy_model=spacy_model)

    def _candidates(self, text: str) -> Iterator[Span]:
        for pattern in self.patterns:
            for start, end, _ in pattern.spans(text):
                yield Span(start, end, pattern.entity, pattern.score, pattern.validator)
        if "LOCATION" in self._priority:
            for start, end in zh_addresses(text):
                yield Span(start, end, "LOCATION", 0.7, "gazetteer + place suffix")
        if self.names:
            for start, end in zh_names(text):
                yield Span(start, end, "PERSON", 0.6, "surname + context + dictionary")
            for start, end in en_names(text, self.spacy_model):
                yield Span(start, end, "PERSON", 0.6, "cue words")

    def find(self, text: str) -> list[Span]:
        """Return the entity spans in ``text``: non-overlapping, sorted by position.

        Where candidates overlap, the higher-priority entity wins (checksummed
        identifiers before phones before addresses before names), then the longer span.
        """
        if not text:
            return []
        folded = fold(text)
        rank = len(self._priority)
        candidates = sorted(
            set(self._candidates(folded)),
            key=lambda c: (
                self._priority.get(c.entity, rank),
                -(c.end - c.start),
                -c.score,
                c.start,
            ),
        )
        taken: list[Span] = []
        used = bytearray(len(folded))
        for span in candidates:
            start, end = span.start, span.end
            if end > start and not any(used[start:end]):
                used[start:end] = b"\x01" * (end - start)
                taken.append(span)
        return sorted(taken)

    def candidate_rows(self, values: pa.Array) -> pa.Array:
        """Return a boolean array: which rows may hold a span (:func:`needs_span_scan`)."""
        return needs_span_scan(values, names=self.names)

    def find_column(self, values: pa.Array | pa.ChunkedArray) -> Iterator[tuple[int, list[Span]]]:
        """Yield ``(row index, spans)`` for every row of ``values`` that holds a span."""
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        mask = self.candidate_rows(values)
        indices = pc.indices_nonzero(mask).to_pylist()
        texts = values.take(pa.array(indices, pa.int64())).to_pylist() if indices else []
        for index, text in zip(indices, texts, strict=True):
            spans = self.find(str(text)) if text is not None else []
            if spans:
                yield index, spans
