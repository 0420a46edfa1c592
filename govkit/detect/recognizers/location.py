"""Presidio recognizer for ``LOCATION``."""

from __future__ import annotations

from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult

from govkit.detect.places import zh_addresses
from govkit.detect.recognizers.base import GovkitPatternRecognizer


class LocationRecognizer(GovkitPatternRecognizer):
    """``LOCATION`` via govkit's patterns and its gazetteer of Chinese places."""

    ENTITY = "LOCATION"
    CONTEXT = ["地址", "住址", "address"]
    SCORE = 0.7

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: Any = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """The patterns' matches plus the addresses without a road number (as the scanner)."""
        from govkit.detect.text import fold

        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        results += [
            RecognizerResult(self.ENTITY, start, end, self.SCORE)
            for start, end in zh_addresses(fold(text))
        ]
        return EntityRecognizer.remove_duplicates(results)
