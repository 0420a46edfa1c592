"""Personal data inside free text: spans of entities in one text, or over a whole column.

``TextDetector.find(text)`` returns non-overlapping, sorted spans.
``TextDetector.find_many(texts)`` gives the same spans for a batch faster: each
pattern's RE2 gate runs vectorised over the whole batch, and the pattern's Python
regex only on the texts its gate passes; protect uses it to replace embedded
values. ``TextDetector.find_column(array)`` first runs a vectorised RE2
prefilter over the Arrow array and scans only rows that can hold a span.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from govkit.detect.names import EN_NAME_GATE, NAME_PREFILTER, ZH_NAME_RULES, en_names, zh_names
from govkit.detect.patterns import PREFILTER, TEXT_PATTERNS, TextPattern
from govkit.detect.places import ADDRESS_GATE, ADDRESS_PREFILTER, zh_addresses
from govkit.detect.vocab import EN_NAME_CUES, ZH_NAME_CUES

__all__ = ["Span", "TextDetector", "fold", "fold_all", "gate_rows", "needs_span_scan"]

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


_ADDRESS = Span(0, 0, "LOCATION", 0.7, "gazetteer + place suffix")
_ZH_NAME = Span(0, 0, "PERSON", 0.6, "surname + context + dictionary")
_EN_NAME = Span(0, 0, "PERSON", 0.6, "cue words")


def _unless_ascii(
    rule: Callable[[str], list[tuple[int, int]]],
) -> Callable[[str], list[tuple[int, int]]]:
    """``rule``, answering nothing for an ASCII text as :func:`zh_names` does."""
    return lambda text: [] if text.isascii() else rule(text)


def fold(text: str) -> str:
    """Full-width ASCII and the ideographic space as ASCII; offsets are unchanged."""
    return text.translate(_FOLD)


def fold_all(texts: Sequence[str | None]) -> list[str]:
    """:func:`fold` of each text (None: ``""``), over the batch's UTF-16 code units at once.

    Only code units of the basic plane change, never a surrogate pair's halves, so
    every text keeps its length.

    Raises:
        UnicodeEncodeError: a text holds a lone surrogate.
    """
    plain = [t or "" for t in texts]
    units = np.frombuffer("".join(plain).encode("utf-16-le"), dtype=np.uint16)
    wide = (units >= 0xFF01) & (units <= 0xFF5E)
    space = units == 0x3000
    if not (wide.any() or space.any()):
        return plain
    units = units.copy()
    units[wide] -= 0xFEE0
    units[space] = 0x20
    joined = units.tobytes().decode("utf-16-le")
    ends = np.cumsum([len(t) for t in plain]).tolist()
    return [joined[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]


_GATES_AT_ONCE = 3
"""Gates whose union :func:`gate_rows` runs first (each RE2 pass costs mostly per row)."""
_SUBSET_BELOW = 0.9
"""Share of the batch under which the gates of a group run only on their union's rows."""


def gate_rows(array: pa.Array, gates: Sequence[str]) -> dict[str, list[int]]:
    """The rows of ``array`` each RE2 pattern of ``gates`` matches (a substring search).

    The gates run in threes: first their union over the whole batch, then each gate
    only over the rows the union matched, when those are under 90% of the batch (a row
    that matches a gate matches the union, so no other row can match it).
    """
    found: dict[str, list[int]] = {}
    for k in range(0, len(gates), _GATES_AT_ONCE):
        group = gates[k : k + _GATES_AT_ONCE]
        union = "|".join(f"(?:{gate})" for gate in group)
        some = _matching(array, union) if len(group) > 1 else None
        if some is not None and len(some) < _SUBSET_BELOW * len(array):
            part = array.take(pa.array(some, pa.int64()))
            for gate in group:
                found[gate] = some[_matching(part, gate)].tolist()
        else:
            for gate in group:
                found[gate] = _matching(array, gate).tolist()
    return found


def _matching(array: pa.Array, pattern: str) -> npt.NDArray[np.intp]:
    """Indices of the rows of ``array`` where RE2 ``pattern`` matches."""
    mask = pc.match_substring_regex(array, pattern).to_numpy(zero_copy_only=False)
    return np.flatnonzero(mask)


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
                yield _ADDRESS._replace(start=start, end=end)
        if self.names:
            for start, end in zh_names(text):
                yield _ZH_NAME._replace(start=start, end=end)
            for start, end in en_names(text, self.spacy_model):
                yield _EN_NAME._replace(start=start, end=end)

    def find(self, text: str) -> list[Span]:
        """Return the entity spans in ``text``: non-overlapping, sorted by position.

        Where candidates overlap, the higher-priority entity wins (checksummed
        identifiers before phones before addresses before names), then the longer
        span, the higher score, the earlier start, then the candidate found first.
        """
        if not text:
            return []
        return self._resolve(list(self._candidates(fold(text))))

    def find_many(self, texts: Sequence[str | None]) -> list[list[Span]]:
        """:meth:`find` of each text (None: no spans), for a batch at once.

        Each pattern's gate (:attr:`TextPattern.gate`, and the name and address
        finders' gates) runs once over the batch as a vectorised RE2 match; the
        pattern itself runs only on the texts its gate passes. A test pins that the
        result equals ``[find(t) for t in texts]``.
        """
        if not texts:
            return []
        try:
            folded = fold_all(texts)
            array = pa.array(folded, pa.string())
        except UnicodeEncodeError:  # a lone surrogate: no UTF-8 for RE2, so text by text
            return [self.find(t) if t else [] for t in texts]
        found: list[list[Span]] = [[] for _ in folded]
        every = [i for i, t in enumerate(folded) if t]
        gates = [p.gate for p in self.patterns] + [gate for gate, _, _ in self._finders()]
        gated = gate_rows(array, [gate for gate in dict.fromkeys(gates) if gate is not None])

        def rows(gate: str | None) -> list[int]:
            return every if gate is None else gated[gate]

        deferred = self._pattern_candidates(folded, rows, found)
        for gate, finder, kind in self._finders():
            for i in rows(gate):
                found[i] += [
                    Span(s, e, kind.entity, kind.score, kind.validator)
                    for s, e in finder(folded[i])
                ]
        results = [self._resolve(candidates) if candidates else [] for candidates in found]
        for i, start, end, rank, score in deferred:
            if not self._covered(results[i], start, end, rank, score):
                results[i] = self.find(folded[i])
        return results

    def _pattern_candidates(
        self, folded: list[str], rows: Callable[[str | None], list[int]], found: list[list[Span]]
    ) -> list[tuple[int, int, int, int, float]]:
        """Add each pattern's spans to ``found``; return the checked matches left unchecked.

        A match that a span found before covers (:meth:`_covered`) is not checked:
        it is returned as ``(row, start, end, rank, score)`` for ``find_many`` to confirm.
        """
        deferred: list[tuple[int, int, int, int, float]] = []

        def covered(rank: int, score: float) -> Callable[[int, int, int], bool]:
            def skip(i: int, start: int, end: int) -> bool:
                if not self._covered(found[i], start, end, rank, score):
                    return False
                deferred.append((i, start, end, rank, score))
                return True

            return skip

        for p in self.patterns:
            skip = covered(self._rank(p.entity), p.score)
            for i, start, end, _ in p.spans_many(folded, rows(p.gate), skip):
                found[i].append(Span(start, end, p.entity, p.score, p.validator))
        return deferred

    def _rank(self, entity: str) -> int:
        """The entity's place in :meth:`_resolve`'s order (lower wins)."""
        return self._priority.get(entity, len(self._priority))

    def _covered(self, spans: list[Span], start: int, end: int, rank: int, score: float) -> bool:
        """A span of ``spans`` contains ``start:end`` and is sorted before any span inside it.

        That is, it ranks higher; or as high and is longer; or is ``start:end`` itself
        with a higher score than ``score``. Such a span is sorted before every span of
        rank ``rank`` and score ``score`` inside ``start:end`` in :meth:`_resolve`, so
        once it is taken, none of those can be. ``find_many`` leaves a checked match
        it covers unchecked, and finds the text again with :meth:`find` if the
        covering span is not among the results after all.
        """
        for s in spans:
            if s.start <= start and end <= s.end:
                other = self._rank(s.entity)
                longer = s.end - s.start - (end - start)
                if other < rank or (other == rank and (longer > 0 or s.score > score)):
                    return True
        return False

    def _finders(self) -> list[tuple[str | None, Callable[[str], list[tuple[int, int]]], Span]]:
        """Addresses and names as :meth:`_candidates` finds them: (gate, finder, span kind)."""
        finders: list[tuple[str | None, Callable[[str], list[tuple[int, int]]], Span]] = []
        if "LOCATION" in self._priority:
            finders.append((ADDRESS_GATE, zh_addresses, _ADDRESS))
        if self.names:
            finders += [(gate, _unless_ascii(rule), _ZH_NAME) for gate, rule in ZH_NAME_RULES]
            model = self.spacy_model
            finders.append(
                (EN_NAME_GATE if not model else None, lambda t: en_names(t, model), _EN_NAME)
            )
        return finders

    def _resolve(self, candidates: list[Span]) -> list[Span]:
        """The candidates that win where they overlap (see :meth:`find`), sorted."""
        candidates = [c for c in candidates if c.end > c.start]  # never taken
        if len(candidates) <= 1:
            return candidates
        if len(candidates) == 2:
            first, second = candidates
            if first.end <= second.start or second.end <= first.start:
                return sorted(candidates)  # apart: both are taken
        rank = len(self._priority)
        candidates.sort(
            key=lambda c: (
                self._priority.get(c.entity, rank),
                -(c.end - c.start),
                -c.score,
                c.start,
            )
        )
        taken: list[Span] = []
        used = bytearray(max(c.end for c in candidates))
        for span in candidates:
            start, end = span.start, span.end
            if not any(used[start:end]):
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
        for index, spans in zip(indices, self.find_many(texts), strict=True):
            if spans:
                yield index, spans
