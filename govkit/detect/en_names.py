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

__all__ = ["census_full_names", "census_single_names", "is_given_name", "is_surname"]

TOP_SURNAMES = 30_000
TOP_SINGLE_GIVEN = 400
"""A lone given name (no surname, no cue word) counts only among the most frequent ones."""
_WORD_NAMES = frozenset(
    "MAY JUNE APRIL AUGUST WILL BILL MARK ROSE GRANT CHANCE HOPE FAITH JOY GRACE LOVE PAT "
    "SUMMER AUTUMN DAWN SUNNY CHRISTIAN NORMAL BEST DEAR GOLDEN SAINT KING LONG YOUNG "
    "JUST AN ALL MY THE AND WAY SO SEE HE ART GUY SAGE IVY HONEY CANDY CRYSTAL STORMY "
    "SANTA PARIS GENEVA AUSTIN DALLAS HOUSTON CHINA ASIA BERRY ROBIN HUNTER MASON CARTER".split()
)
"""Census given names that are common English words: names only after a cue word."""
_PLACE_OR_THING = frozenset(
    "JANUARY APRIL MAY JUNE JULY AUGUST DECEMBER SUNDAY MONDAY VIRGINIA GEORGIA CAROLINA "
    "FLORIDA INDIANA MONTANA NEVADA DAKOTA ARIZONA JORDAN ISRAEL INDIA CHAD KENYA FLORENCE "
    "LINCOLN HOUSTON DALLAS AUSTIN DENVER PHOENIX LOUIS ORLANDO CHARLOTTE VICTORIA SYDNEY "
    "TROY ALEXANDRIA CHELSEA MADISON JACKSON CHRISTIAN RUBY JULIA PASCAL ADA JADE AMBER "
    "OLIVE IRIS VIOLET HAZEL PEARL GINGER BROOK BROOKS CLIFF DALE GLEN GLENN ROD LANCE "
    "HERB MATT MAX MILES NORMAN OTIS PRICE PRINCE REX RICH ROCKY ROSS RUSS SKY STERLING "
    "TERRY VAN WARD WADE WALKER WELLS DEAN DON BARRY FORD LEE CHASE CLAY COLE DREW EARL "
    "GUS JACK JIMMY JOHNNIE KELLY LESLIE MARSHALL MERCEDES MORGAN NICK OLIVER PAGE PAIGE "
    "PERCY PIERCE REED RILEY ROYAL SPENCER STEWART TAYLOR TUCKER TY CRUZ ANGEL DOMINGO "
    "GUADALUPE JESUS SANTOS SOL MARINA SIERRA SHANNON DIXIE".split()
)
"""Given names that are also months, places, programming languages, things or surnames
capitalised mid-sentence in business text: a lone one is not taken as a person."""
_PAIR = re.compile(
    r"(?<![A-Za-z'])(?=(?P<v>(?P<first>[A-Z][a-z]{1,14})(?: [A-Z]\.)? "
    r"(?P<last>(?:O'|Mc|Mac)?[A-Z][a-z]{1,19})(?:-[A-Z][a-z]{1,19})?)(?![A-Za-z]))"
)


_SINGLE = re.compile(
    r"(?:(?<![A-Za-z'])(?:[a-z]+|Hi|Hello|Hey|Dear|Thanks)|[,;]) (?P<v>[A-Z][a-z]{2,14})(?=(?:'s)?(?:[ ,.;:!?)]|$))(?! [A-Z0-9&])"
)
_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])")
_ANY_PAIR = re.compile(r"[A-Z][a-z]+ (?:[A-Z]\. )?[A-Z][a-z]")


def _read(name: str, limit: int | None = None) -> frozenset[str]:
    text = resources.files("names").joinpath(name).read_text(encoding="ascii")
    words = [line.split(maxsplit=1)[0] for line in text.splitlines() if line.strip()]
    return frozenset(words[:limit])


@cache
def _given() -> frozenset[str]:
    return _read("dist.male.first") | _read("dist.female.first")


@cache
def _common_given() -> frozenset[str]:
    top = _read("dist.male.first", TOP_SINGLE_GIVEN) | _read("dist.female.first", TOP_SINGLE_GIVEN)
    return top - _WORD_NAMES - _PLACE_OR_THING


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


def census_single_names(text: str) -> list[tuple[int, int]]:
    """Spans of a lone frequent given name inside a sentence ("please call John tomorrow").

    Taken only when the word is capitalised after a lower-case word or a comma (so
    not merely sentence-initial), is among the most frequent Census given names, is
    not a month, place or everyday word (:data:`_PLACE_OR_THING`, :data:`_WORD_NAMES`),
    is not followed by another capitalised word (``Jordan Logistics``), and does not
    also appear in lower case in the same text (then it is a word there).
    """
    spans: list[tuple[int, int]] = []
    words: frozenset[str] | None = None
    for m in _SINGLE.finditer(text):
        word = m.group("v")
        if word.upper() not in _common_given():
            continue
        if words is None:  # built once per text: the scan stays linear
            words = frozenset(_LOWER_WORD.findall(text))
        if word.lower() not in words:
            spans.append(m.span("v"))
    return spans
