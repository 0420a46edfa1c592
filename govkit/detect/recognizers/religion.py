"""Presidio recognizer for ``RELIGION`` from a vocabulary (a sensitive category)."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitVocabRecognizer, vocabulary_regex
from govkit.detect.vocab import RELIGION_VALUES


class ReligionRecognizer(GovkitVocabRecognizer):
    """``RELIGION``: terms of the religion vocabulary."""

    ENTITY = "RELIGION"
    TERMS = vocabulary_regex(RELIGION_VALUES)
