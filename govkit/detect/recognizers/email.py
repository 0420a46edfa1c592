"""Presidio recognizer for ``EMAIL_ADDRESS``."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitPatternRecognizer


class EmailRecognizer(GovkitPatternRecognizer):
    """``EMAIL_ADDRESS`` via govkit's pattern and validator."""

    ENTITY = "EMAIL_ADDRESS"
    CONTEXT = ["邮箱", "email", "mail"]
