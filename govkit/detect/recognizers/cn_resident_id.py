"""Presidio recognizer for ``CN_RESIDENT_ID``."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitPatternRecognizer


class CnResidentIdRecognizer(GovkitPatternRecognizer):
    """``CN_RESIDENT_ID`` via govkit's pattern and validator."""

    ENTITY = "CN_RESIDENT_ID"
    CONTEXT = ["身份证", "证件号", "id card", "id number"]
