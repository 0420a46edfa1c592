"""Presidio recognizer for ``ETHNICITY`` from a vocabulary (a sensitive category)."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitVocabRecognizer, vocabulary_regex
from govkit.detect.vocab import ETHNICITY_VALUES


class EthnicityRecognizer(GovkitVocabRecognizer):
    """``ETHNICITY``: terms of the ethnicity vocabulary."""

    ENTITY = "ETHNICITY"
    TERMS = vocabulary_regex(ETHNICITY_VALUES)
