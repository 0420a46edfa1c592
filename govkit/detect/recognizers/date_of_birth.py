"""Presidio recognizer for ``DATE_OF_BIRTH``: a date after a birth cue word."""

from __future__ import annotations

from govkit.detect.recognizers.base import GovkitSpanRecognizer, text_pattern


class DateOfBirthRecognizer(GovkitSpanRecognizer):
    """``DATE_OF_BIRTH``: ``出生日期：1990-03-07``, ``DOB 1990/3/7`` (the date only)."""

    ENTITY = "DATE_OF_BIRTH"
    SCORE = 0.8

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Return the spans of birth dates in ``text``."""
        return [m.span("v") for m in text_pattern(self.ENTITY).regex.finditer(text)]
