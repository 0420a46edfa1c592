"""Presidio recognizer for ``PHONE_NUMBER``."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitPatternRecognizer


class PhoneRecognizer(GovkitPatternRecognizer):
    """``PHONE_NUMBER`` via govkit's pattern and validator."""

    ENTITY = "PHONE_NUMBER"
    CONTEXT = ["电话", "手机", "phone", "mobile", "tel"]
