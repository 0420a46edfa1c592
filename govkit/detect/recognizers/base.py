"""Base classes: govkit's text patterns and detectors as Presidio recognizers.

Recognizers built on these run inside any Presidio ``AnalyzerEngine``; their
regex flags leave case alone (Presidio's default is case-insensitive, which
would let ``e12345678`` pass as a passport number).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from govkit.detect.patterns import TEXT_PATTERNS, TextPattern

_FLAGS = re.DOTALL | re.MULTILINE


def text_patterns(entity: str) -> list[TextPattern]:
    """Return the text patterns of ``entity`` (the text scanner's, in its order)."""
    found = [p for p in TEXT_PATTERNS if p.entity == entity]
    if not found:
        raise KeyError(entity)
    return found


def text_pattern(entity: str) -> TextPattern:
    """Return the first text pattern of ``entity``."""
    return text_patterns(entity)[0]


class GovkitPatternRecognizer(PatternRecognizer):
    """A Presidio PatternRecognizer over one govkit text pattern and its validator."""

    ENTITY: ClassVar[str]
    CONTEXT: ClassVar[list[str]] = []

    def __init__(self, supported_language: str = "en") -> None:
        specs = text_patterns(self.ENTITY)
        spec = specs[0]  # every pattern of one entity shares its validator
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            supported_language=supported_language,
            patterns=[
                Pattern(f"{self.ENTITY.lower()}_{i}", p.regex.pattern, p.score)
                for i, p in enumerate(specs)
            ],
            context=self.CONTEXT,
            global_regex_flags=_FLAGS,
        )
        self._check = spec.check

    def validate_result(self, pattern_text: str) -> bool | None:
        """Run govkit's validator (checksum, number plan) on a match."""
        return None if self._check is None else bool(self._check(pattern_text))


_AMBIGUOUS = frozenset(
    ["none", "other", "无", "良好", "健康", "healthy", "white", "black", "mixed"]
)
"""Vocabulary words too common in running text to count as a finding there."""


def vocabulary_regex(words: frozenset[str]) -> re.Pattern[str]:
    """Return a pattern for the terms of a vocabulary inside text (longest first).

    ASCII terms need word boundaries; one-character and ambiguous terms are left out.
    """
    return re.compile(
        "|".join(
            re.escape(t) if not t.isascii() else r"\b" + re.escape(t) + r"\b"
            for t in sorted(words, key=len, reverse=True)
            if len(t) > 1 and t not in _AMBIGUOUS
        ),
        re.IGNORECASE,
    )


class GovkitSpanRecognizer(EntityRecognizer):
    """A Presidio EntityRecognizer over a function returning ``(start, end)`` spans."""

    ENTITY: ClassVar[str]
    SCORE: ClassVar[float] = 0.7

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entities=[self.ENTITY],
            name=type(self).__name__,
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load: govkit ships its vocabularies in the package."""

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Return the spans of this entity in ``text``."""
        raise NotImplementedError

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        """Return Presidio results for this recognizer's entity."""
        if entities and self.ENTITY not in entities:
            return []
        return [
            RecognizerResult(self.ENTITY, start, end, self.SCORE)
            for start, end in sorted(set(self.spans(text)))
        ]


class GovkitVocabRecognizer(GovkitSpanRecognizer):
    """A recognizer for the terms of a vocabulary (the sensitive categories)."""

    TERMS: ClassVar[re.Pattern[str]]
    SCORE = 0.5

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Return the spans of vocabulary terms in ``text``."""
        return [m.span() for m in self.TERMS.finditer(text)]
