"""Presidio recognizer for ``CN_PASSPORT``."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitPatternRecognizer


class CnPassportRecognizer(GovkitPatternRecognizer):
    """``CN_PASSPORT`` via govkit's pattern and validator."""

    ENTITY = "CN_PASSPORT"
    CONTEXT = ["护照", "passport"]
