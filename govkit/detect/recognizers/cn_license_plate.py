"""Presidio recognizer for ``CN_LICENSE_PLATE``."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitPatternRecognizer


class CnLicensePlateRecognizer(GovkitPatternRecognizer):
    """``CN_LICENSE_PLATE`` via govkit's pattern and validator."""

    ENTITY = "CN_LICENSE_PLATE"
    CONTEXT = ["车牌", "plate"]
