"""Presidio recognizer for ``IP_ADDRESS``."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitPatternRecognizer


class IpAddressRecognizer(GovkitPatternRecognizer):
    """``IP_ADDRESS`` via govkit's pattern and validator."""

    ENTITY = "IP_ADDRESS"
    CONTEXT = ["ip", "IP地址"]
