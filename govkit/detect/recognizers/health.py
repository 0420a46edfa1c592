"""Presidio recognizer for ``HEALTH`` from a vocabulary (a sensitive category)."""

from __future__ import annotations

import re

from govkit.detect.recognizers.base import GovkitSpanRecognizer
from govkit.detect.vocab import HEALTH_VALUES

_AMBIGUOUS = frozenset(
    ["none", "other", "无", "良好", "健康", "healthy", "white", "black", "mixed"]
)
_TERMS = re.compile(
    "|".join(
        re.escape(t) if not t.isascii() else r"\b" + re.escape(t) + r"\b"
        for t in sorted(HEALTH_VALUES, key=len, reverse=True)
        if len(t) > 1 and t not in _AMBIGUOUS
    ),
    re.IGNORECASE,
)


class HealthRecognizer(GovkitSpanRecognizer):
    """``HEALTH``: terms of the health vocabulary."""

    ENTITY = "HEALTH"
    SCORE = 0.5

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Return the spans of vocabulary terms in ``text``."""
        return [m.span() for m in _TERMS.finditer(text)]
