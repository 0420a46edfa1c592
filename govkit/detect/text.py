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

from govkit.detect.names import en_names, zh_names
from govkit.detect.patterns import PREFILTER, TEXT_PATTERNS, TextPattern
from govkit.detect.vocab import EN_NAME_CUES, ZH_NAME_CUES

__all__ = ["Span", "TextDetector"]

# Full-width ASCII (U+FF01–FF5E) and the ideographic space map one-to-one onto
# ASCII, so offsets into the folded text are offsets into the original.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_NAME_CUES = (
    "|".join(ZH_NAME_CUES) + "|(?i:" + "|".join(re.escape(c.strip()) for c in EN_NAME_CUES) + ")"
)


class Span(NamedTuple):
    """A span ``text[start:end]`` holding entity ``entity``."""

    start: int
    end: int
    entity: str


class TextDetector:
    """Finds entities in free text with patterns, validators and name detection.

    Args:
        patterns: the text patterns, in priority order.
        names: also find person names (cue words, jieba, optional spaCy model).
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
        self._priority = {p.entity: i for i, p in enumerate(patterns)}

    @classmethod
    def default(cls, spacy_model: str | None = None) -> TextDetector:
        """Return a detector with every built-in pattern and name detection."""
        return cls(spacy_model=spacy_model)

    def _candidates(self, text: str) -> Iterator[tuple[int, int, str]]:
        for pattern in self.patterns:
            for match in pattern.regex.finditer(text):
                group = "v" if "v" in pattern.regex.groupindex else 0
                start, end = match.span(group)
                if pattern.check is None or pattern.check(match.group(group)):
                    yield start, end, pattern.entity
        if self.names:
            for start, end in zh_names(text) + en_names(text, self.spacy_model):
                yield start, end, "PERSON"

    def find(self, text: str) -> list[Span]:
        """Return the entity spans in ``text``: non-overlapping, sorted by position.

        Where candidates overlap, the higher-priority entity wins (checksummed
        identifiers before phones before addresses before names), then the longer span.
        """
        if not text:
            return []
        folded = text.translate(_FOLD)
        rank = len(self._priority)
        candidates = sorted(
            set(self._candidates(folded)),
            key=lambda c: (self._priority.get(c[2], rank), -(c[1] - c[0]), c[0]),
        )
        taken: list[Span] = []
        used = bytearray(len(folded))
        for start, end, entity in candidates:
            if end > start and not any(used[start:end]):
                used[start:end] = b"\x01" * (end - start)
                taken.append(Span(start, end, entity))
        return sorted(taken)

    def candidate_rows(self, values: pa.Array) -> pa.Array:
        """Return a boolean array: which rows may hold a span (vectorised prefilter)."""
        if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
            values = values.cast(pa.string())
        folded = pc.utf8_normalize(values, form="NFKC")
        mask = pc.match_substring_regex(folded, PREFILTER)
        if self.names:
            mask = pc.or_(mask, pc.match_substring_regex(folded, _NAME_CUES))
        return pc.fill_null(mask, False)

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
