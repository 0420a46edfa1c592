"""English person names from the US Census name-frequency lists, shipped offline.

Source: the US Census Bureau's 1990 name-frequency files (``dist.male.first``,
``dist.female.first``, ``dist.all.last``; a US government work, public domain),
as packaged by the ``names`` package (MIT licence, PyPI ``names==0.3.0``).
Nothing is downloaded. A capitalised "First [M.] Last" pair is a name when the
first word is a Census given name and the last a Census surname (the 30,000
most frequent); given names that are everyday words (``May``, ``Will``) need a
cue word (``Mr.``, ``my name is``) instead.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

__all__ = ["census_full_names", "is_given_name", "is_surname"]

TOP_SURNAMES = 30_000
_WORD_NAMES = frozenset(
    "MAY JUNE APRIL AUGUST WILL BILL MARK ROSE GRANT CHANCE HOPE FAITH JOY GRACE LOVE PAT "
    "SUMMER AUTUMN DAWN SUNNY CHRISTIAN NORMAL BEST DEAR GOLDEN SAINT KING LONG YOUNG "
    "JUST AN ALL MY THE AND WAY SO SEE HE ART GUY SAGE IVY HONEY CANDY CRYSTAL STORMY "
    "PARIS GENEVA AUSTIN DALLAS HOUSTON CHINA ASIA BERRY ROBIN HUNTER MASON CARTER".split()
)
"""Census given names that are common English words: names only after a cue word."""
_PAIR = re.compile(
    r"(?<![A-Za-z'])(?=(?P<v>(?P<first>[A-Z][a-z]{1,14})(?: [A-Z]\.)? "
    r"(?P<last>(?:O'|Mc|Mac)?[A-Z][a-z]{1,19})(?:-[A-Z][a-z]{1,19})?)(?![A-Za-z]))"
)


_ANY_PAIR = re.compile(r"[A-Z][a-z]+ (?:[A-Z]\. )?[A-Z][a-z]")


def _read(name: str, limit: int | None = None) -> frozenset[str]:
    text = resources.files("names").joinpath(name).read_text(encoding="ascii")
    words = [line.split(maxsplit=1)[0] for line in text.splitlines() if line.strip()]
    return frozenset(words[:limit])


@cache
def _given() -> frozenset[str]:
    return _read("dist.male.first") | _read("dist.female.first")


@cache
def _surnames() -> frozenset[str]:
    return _read("dist.all.last", TOP_SURNAMES)


def is_given_name(word: str) -> bool:
    """True for a Census given name (``John``, ``Mary``), any case."""
    return word.upper() in _given()


def is_surname(word: str) -> bool:
    """True for one of the most frequent Census surnames (``Smith``, ``Garcia``), any case."""
    return word.upper().replace("'", "") in _surnames()


def census_full_names(text: str) -> list[tuple[int, int]]:
    """Spans of "First [M.] Last" pairs whose parts are Census given name and surname."""
    spans: list[tuple[int, int]] = []
    if _ANY_PAIR.search(text) is None:
        return spans
    for m in _PAIR.finditer(text):
        first = m.group("first").upper()
        if first in _WORD_NAMES or first not in _given() or not is_surname(m.group("last")):
            continue
        spans.append(m.span("v"))
    return spans
