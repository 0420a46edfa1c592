"""The check of a phone number found in text, one candidate at a time or a batch at once.

:func:`phone_ok` is the definition. :func:`phone_ok_many` gives the same answers
for a batch: Chinese numbers are settled by ``phonenumbers``' own CN metadata
without parsing (:func:`_cn_valid`), the rest by :func:`govkit.normalize.phone_numbers`,
which settles numbers with a country code in Arrow and parses only national formats
of other regions. A test pins ``phone_ok_many == [phone_ok(t) for t in texts]``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import pyarrow as pa
from phonenumbers.phonemetadata import PhoneMetadata, PhoneNumberDesc

from govkit.normalize import current_regions, normalize_phone, normalize_text, phone_numbers

__all__ = ["CUE_PREFIX", "DATE_LIKE", "phone_ok", "phone_ok_many"]

CUE_PREFIX = re.compile(r"[^0-9+(（]*")
"""The cue word a match may start with (``tel``, ``电话：`` …): everything before the number."""
DATE_LIKE = re.compile(r"(?:19|20)[0-9]{2}[-/. ][01]?[0-9][-/. ][0-3]?[0-9]")
_GROUPS = re.compile(r"[0-9]+")
_CN_SHAPE = re.compile(
    r"(?:\+86|0086)(?P<intl>1[3-9][0-9]{9})|(?:86)?(?P<mobile>1[3-9][0-9]{9})|0(?P<land>[1-9][0-9]{8,10})"
)
_PHONE_TYPES = (
    "mobile", "fixed_line", "premium_rate", "toll_free", "shared_cost", "voip",
    "personal_number", "pager", "uan", "voicemail",
)  # fmt: skip
"""The number types ``phonenumbers`` tries before calling a number valid (any one will do,
so the commonest come first)."""
BULK_FROM = 32
"""Open candidates from which :func:`phone_ok_many` hands them to ``phone_numbers`` at once
(its fixed cost in Arrow exceeds a few parses)."""

_Desc = tuple[re.Pattern[str], frozenset[int]]


def _desc(desc: PhoneNumberDesc | None) -> _Desc | None:
    """A number description's pattern and possible lengths (None: it matches nothing)."""
    if desc is None or not desc.national_number_pattern:
        return None
    return re.compile(desc.national_number_pattern), frozenset(desc.possible_length or ())


@cache
def _cn_plan() -> tuple[_Desc | None, tuple[_Desc, ...]]:
    """China's general pattern and its number-type patterns, from ``phonenumbers``' metadata."""
    meta = PhoneMetadata.metadata_for_region("CN")
    if meta is None:
        raise LookupError("phonenumbers has no metadata for CN")
    types = (_desc(getattr(meta, name)) for name in _PHONE_TYPES)
    return _desc(meta.general_desc), tuple(d for d in types if d is not None)


def _matches(number: str, desc: _Desc | None) -> bool:
    """``phonenumbers``' ``_is_number_matching_desc``: possible length, then the whole pattern."""
    if desc is None:
        return False
    pattern, lengths = desc
    return (not lengths or len(number) in lengths) and pattern.fullmatch(number) is not None


def _cn_valid(core: str, national: bool | None = None) -> bool:
    """True when ``core`` is surely a valid Chinese number; False: not settled here.

    Settles a mobile (bare, ``86``, ``+86`` or ``0086``) or a landline with its trunk 0
    by ``phonenumbers``' own test of its CN metadata (general pattern, then any number
    type), without parsing. :func:`normalize_phone` gives such a number its national
    form, so :func:`phone_ok` accepts it; a test pins the agreement with
    ``phonenumbers.parse`` for every five-digit mobile prefix and landline shapes.
    ``national``: whether CN is among the regions (None: look it up).
    """
    # Only digits and ``+`` are left once spaces and dashes go: any other character fails.
    shape = _CN_SHAPE.fullmatch(core.replace(" ", "").replace("-", ""))
    if shape is None:
        return False
    number = shape.group("intl")
    if number is None:
        if not ("CN" in current_regions() if national is None else national):
            return False
        number = shape.group("mobile") or shape.group("land")
    general, types = _cn_plan()
    return _matches(number, general) and any(_matches(number, desc) for desc in types)


def _split(text: str) -> tuple[bool, str] | None:
    """(a cue word precedes the number, the number); None: empty or a date."""
    text = normalize_text(text)
    cue = CUE_PREFIX.match(text)
    core = text[cue.end() :] if cue else text
    if not core or DATE_LIKE.match(core):
        return None
    return bool(cue and cue.group().strip()), core


def _accepted(core: str, cue: bool, canonical: str | None) -> bool:
    """Whether a number with this canonical form (None: invalid) counts as a phone.

    A foreign national number written as two digit groups needs a cue word.
    """
    if canonical is None:
        return False
    if canonical.startswith("+") and not core.startswith(("+", "00", "(", "（")):
        return cue or len(_GROUPS.findall(core)) >= 3
    return True


def phone_ok(text: str) -> bool:
    """A valid phone number that is not a date (:func:`govkit.normalize.is_phone`).

    Chinese, with a country code, or in a configured region's national format.
    A foreign national number written as two digit groups (``8888 6666``: a
    Hong Kong number, or a member-card number) counts only after a cue word
    (``tel``, ``office``, ``电话`` …, kept at the start of ``text``).
    """
    split = _split(text)
    if split is None:
        return False
    cue, core = split
    return _cn_valid(core) or _accepted(core, cue, normalize_phone(core))


def phone_ok_many(texts: Sequence[str]) -> list[bool]:
    """``[phone_ok(t) for t in texts]``, with the numbers ``_cn_valid`` leaves open in bulk."""
    verdicts = [False] * len(texts)
    national = "CN" in current_regions()
    open_rows: list[tuple[int, bool, str]] = []
    for k, text in enumerate(texts):
        split = _split(text)
        if split is None:
            continue
        cue, core = split
        if _cn_valid(core, national):
            verdicts[k] = True
        else:
            open_rows.append((k, cue, core))
    cores = [core for _, _, core in open_rows]
    if len(cores) >= BULK_FROM:
        forms = phone_numbers(pa.array(cores, pa.string())).canonical
    else:
        forms = [normalize_phone(core) for core in cores]
    for (k, cue, core), form in zip(open_rows, forms, strict=True):
        verdicts[k] = _accepted(core, cue, form)
    return verdicts
