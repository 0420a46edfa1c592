"""``find_spans``: personal data inside one text, as offsets — the public text door.

A pipeline can redact one chat message or e-mail (``govkit redact`` does), and
accuracy can be measured from outside the package. The result carries offsets,
never the values: ``text[span.start:span.end]`` is the caller's to read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache

from govkit.detect.text import TextDetector

__all__ = ["TextSpan", "find_spans", "redact_text"]


@dataclass(frozen=True)
class TextSpan:
    """One finding in a text (a stable, documented shape: see docs/scan.md).

    Attributes:
        entity: entity name, e.g. ``PHONE_NUMBER``, ``CN_RESIDENT_ID``, ``PERSON``.
        start: offset of the first character (Python ``str`` index).
        end: offset after the last character.
        score: confidence, 0–1.
        validator: what confirmed the match (``"Luhn + issuer prefix"``, ``"pattern"`` …).
    """

    entity: str
    start: int
    end: int
    score: float
    validator: str

    def to_dict(self) -> dict[str, object]:
        """The span as a JSON-ready dict (no value, only offsets)."""
        return asdict(self)


@lru_cache(maxsize=1)
def _default_detector() -> TextDetector:
    return TextDetector.default()


def find_spans(
    text: str, *, entities: Iterable[str] | None = None, detector: TextDetector | None = None
) -> list[TextSpan]:
    """Return the personal-data spans in ``text``: sorted, non-overlapping.

    Args:
        text: any text (Chinese, English, mixed; full-width forms are understood).
        entities: only these entities (default: all).
        detector: a configured :class:`TextDetector` (default: the built-in one).

    Example:
        ``find_spans("电话13812345678")`` →
        ``[TextSpan("PHONE_NUMBER", 2, 13, 0.85, "phonenumbers")]``.
    """
    wanted = None if entities is None else frozenset(entities)
    found = (detector or _default_detector()).find(text)
    return [
        TextSpan(s.entity, s.start, s.end, s.score, s.validator)
        for s in found
        if wanted is None or s.entity in wanted
    ]


def redact_text(text: str, spans: Iterable[TextSpan], style: str = "entity") -> str:
    """Return ``text`` with every span replaced: ``<PHONE_NUMBER>`` (``entity``) or ``*`` (``stars``)."""
    out, last = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < last:
            continue
        out.append(text[last : span.start])
        out.append(f"<{span.entity}>" if style == "entity" else "*" * (span.end - span.start))
        last = span.end
    out.append(text[last:])
    return "".join(out)
