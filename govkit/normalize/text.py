"""Text and identifier normalisation: the forms people type become one canonical form.

Values arrive typed the way people type them: full-width digits (``１３８``),
spaces and dashes inside identifiers, a lower-case ``x`` at the end of a
resident ID. Detectors, validators and transforms all see a value through these
functions, so ``１１０１０５…００２ｘ`` and ``110105…002X`` are one identifier.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ID_ENTITIES", "normalize_id", "normalize_text"]

_ID_SPACES = re.compile(r"[\s\-]+")

ID_ENTITIES: frozenset[str] = frozenset(
    {
        "CN_RESIDENT_ID",
        "CN_USCC",
        "CREDIT_CARD",
        "IBAN_CODE",
        "CN_PASSPORT",
        "CN_HK_MACAU_PERMIT",
        "US_SSN",
    }
)
"""Entities normalised as identifiers (:func:`normalize_id`)."""


def normalize_text(s: str) -> str:
    """Return ``s`` in NFKC form (full-width letters and digits become ASCII), trimmed.

    Example: ``normalize_text(" １３８ ")`` → ``"138"``.
    """
    return unicodedata.normalize("NFKC", s).strip()


def normalize_id(s: str) -> str:
    """Return an identifier in NFKC form, without spaces or dashes, upper-cased.

    Example: ``normalize_id("１１０１０１ 19900307 775x")`` → ``"11010119900307775X"``.
    """
    return _ID_SPACES.sub("", unicodedata.normalize("NFKC", s)).upper()
