"""Presidio recognizer for ``LOCATION``."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitPatternRecognizer


class LocationRecognizer(GovkitPatternRecognizer):
    """``LOCATION`` via govkit's pattern and validator."""

    ENTITY = "LOCATION"
    CONTEXT = ["地址", "住址", "address"]
