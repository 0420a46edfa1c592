"""Presidio recognizer for ``HEALTH`` from a vocabulary (a sensitive category)."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitVocabRecognizer, vocabulary_regex
from govkit.detect.vocab import HEALTH_VALUES


class HealthRecognizer(GovkitVocabRecognizer):
    """``HEALTH``: terms of the health vocabulary."""

    ENTITY = "HEALTH"
    TERMS = vocabulary_regex(HEALTH_VALUES)
