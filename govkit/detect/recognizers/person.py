"""Presidio recognizer for ``PERSON`` without an NLP model: cue words, surname rules, optional spaCy."""

from __future__ import annotations

from govkit.detect.names import en_names, zh_names
from govkit.detect.recognizers.base import GovkitSpanRecognizer


class PersonRecognizer(GovkitSpanRecognizer):
    """``PERSON``: Chinese names (surname + context + dictionary), English names after cue words."""

    ENTITY = "PERSON"
    SCORE = 0.6

    def __init__(self, supported_language: str = "en", spacy_model: str | None = None) -> None:
        super().__init__(supported_language)
        self.spacy_model = spacy_model

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Return the spans of person names in ``text``."""
        return zh_names(text) + en_names(text, self.spacy_model)
