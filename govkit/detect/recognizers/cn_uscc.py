"""Presidio recognizer for ``CN_USCC``."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitPatternRecognizer


class CnUsccRecognizer(GovkitPatternRecognizer):
    """``CN_USCC`` via govkit's pattern and validator."""

    ENTITY = "CN_USCC"
    CONTEXT = ["统一社会信用代码", "信用代码", "uscc"]
