"""Presidio recognizer for ``CN_HK_MACAU_PERMIT``."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitPatternRecognizer


class CnHkMacauPermitRecognizer(GovkitPatternRecognizer):
    """``CN_HK_MACAU_PERMIT`` via govkit's pattern and validator."""

    ENTITY = "CN_HK_MACAU_PERMIT"
    CONTEXT = ["通行证", "回乡证", "permit"]
