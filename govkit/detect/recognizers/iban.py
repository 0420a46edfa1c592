"""Presidio recognizer for ``IBAN_CODE``."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitPatternRecognizer


class IbanRecognizer(GovkitPatternRecognizer):
    """``IBAN_CODE`` via govkit's pattern and validator."""

    ENTITY = "IBAN_CODE"
    CONTEXT = ["iban", "account"]
