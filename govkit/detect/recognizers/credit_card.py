"""Presidio recognizer for ``CREDIT_CARD``."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitPatternRecognizer


class CreditCardRecognizer(GovkitPatternRecognizer):
    """``CREDIT_CARD`` via govkit's pattern and validator."""

    ENTITY = "CREDIT_CARD"
    CONTEXT = ["银行卡", "卡号", "信用卡", "card"]
