"""Presidio recognizer for ``US_SSN``."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitPatternRecognizer


class UsSsnRecognizer(GovkitPatternRecognizer):
    """``US_SSN`` via govkit's pattern and validator."""

    ENTITY = "US_SSN"
    CONTEXT = ["ssn", "social security"]
