"""What a phone number is, and its one canonical form — for scan, validate and protect alike.

:func:`normalize_phone` is the definition (``phonenumbers`` per value).
:func:`phone_numbers` gives the same result for a whole Arrow array: CN mobiles,
CN landlines and ``+``/``00`` international numbers are settled in Arrow with
``phonenumbers``' own metadata patterns (:mod:`govkit.normalize._metadata`);
only what that path cannot settle (national formats of other regions, typed
extensions, odd characters) is parsed, once per distinct value. A property test
pins the equality.

Canonical form: a Chinese number is its national significant number
(``13812345678``, ``1012345678`` for ``010-12345678``); any other country's
number is E.164 (``+442079460958``). Tokens and hashes are computed on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers.phonemetadata import PhoneMetadata

from govkit.normalize._metadata import any_type, international
from govkit.normalize.regions import current_regions
from govkit.normalize.text import normalize_text

__all__ = ["PhoneNumbers", "is_phone", "normalize_phone", "phone_numbers"]

Bools = npt.NDArray[np.bool_]

_SEPARATORS = re.compile(r"[\s\-().·/]+")
_CN_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_CN_LANDLINE = re.compile(r"0[1-9][0-9]{8,10}")
_EXTENSION = re.compile(r"(?:ext\.?|x|转|分机)\s*[0-9]{1,6}$", re.IGNORECASE)


def _parse(number: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None


def _canonical(number: phonenumbers.PhoneNumber) -> str:
    if number.country_code == 86:
        return str(number.national_number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@cache
def _needs_trunk_zero(region: str) -> bool:
    """Regions whose national format starts with the trunk prefix 0 (GB, TW …): without it, no."""
    meta = PhoneMetadata.metadata_for_region(region)
    return meta is not None and meta.national_prefix == "0"


def _national(compact: str, regions: Sequence[str]) -> str | None:
    if "CN" in regions:
        cn = compact
        if cn.startswith("86") and len(cn) == 13 and _CN_MOBILE.fullmatch(cn[2:]):
            cn = cn[2:]
        if _CN_MOBILE.fullmatch(cn) or _CN_LANDLINE.fullmatch(cn):
            number = _parse(cn, "CN")
            if number is not None and phonenumbers.is_valid_number(number):
                return str(number.national_number)
    for region in regions:
        if region == "CN" or (_needs_trunk_zero(region) and not compact.startswith("0")):
            continue
        number = _parse(compact, region)
        if (
            number is not None
            and number.country_code == phonenumbers.country_code_for_region(region)
            and phonenumbers.is_valid_number(number)
        ):
            return _canonical(number)
    return None


def normalize_phone(s: str, regions: Sequence[str] | None = None) -> str | None:
    """Return the canonical form of a phone number, or None when ``s`` is not one.

    A number with a country code (``+``/``00``) must be valid for that country;
    one without must be valid in one of ``regions`` (default:
    :func:`~govkit.normalize.regions.current_regions`), tried in order.

    Examples:
        ``normalize_phone("+86 138-1234-5678")`` → ``"13812345678"``;
        ``normalize_phone("(646) 786-8997")`` → ``"+16467868997"``;
        ``normalize_phone("order 12")`` → ``None``.
    """
    text = _EXTENSION.sub("", normalize_text(s))
    compact = _SEPARATORS.sub("", text)
    if not compact or len(compact) > 20:
        return None
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+"):
        if not compact[1:].isdigit() or not compact[1:].isascii():
            return None
        number = _parse(compact, None)
        if number is None or not phonenumbers.is_valid_number(number):
            return None
        return _canonical(number)
    if not compact.isdigit() or not compact.isascii():
        return None
    return _national(compact, current_regions() if regions is None else regions)


def is_phone(s: str, regions: Sequence[str] | None = None) -> bool:
    """True when :func:`normalize_phone` accepts ``s``."""
    return normalize_phone(s, regions) is not None


@dataclass(frozen=True)
class PhoneNumbers:
    """Per value of an array: canonical form (None: not a phone) and what kind of match.

    Attributes:
        canonical: :func:`normalize_phone` of each value.
        valid: ``canonical is not None``.
        shape: digits only after separators, 7–15 of them, optionally after ``+``/``00``.
        national: valid only as another region's national format (no country code
            written, not a Chinese number) — e.g. ``(646) 786-8997``.
        bare: the value is nothing but digits (no separator, prefix or bracket).
    """

    canonical: list[str | None]
    valid: Bools
    shape: Bools
    national: Bools
    bare: Bools


_FAST = r"^[0-9+\-(). /\t·]+$"
_STRIP = r"[ \t\-().·/]+"


def _np(mask: pa.Array) -> Bools:
    out: Bools = np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)
    return out


def _cn_fast(compact: pa.Array, with_cn: bool) -> tuple[pa.Array, Bools]:
    """Candidate CN national numbers (null where none) and which rows have one."""
    if with_cn:
        pattern = r"^(?:(?:\+86|0086|86)?(?P<m>1[3-9][0-9]{9})|0(?P<l>[1-9][0-9]{8,10}))$"
    else:  # a bare national number is not Chinese; +86/0086 mobiles still are
        pattern = r"^(?:\+86|0086)(?P<m>1[3-9][0-9]{9})(?P<l>)$"
    found = pc.extract_regex(compact, pattern)
    mobile, landline = pc.struct_field(found, [0]), pc.struct_field(found, [1])
    number = pc.coalesce(
        pc.if_else(pc.equal(mobile, ""), None, mobile),
        pc.if_else(pc.equal(landline, ""), None, landline),
    )
    return number, _np(pc.is_valid(number))


def phone_numbers(values: pa.Array, regions: Sequence[str] | None = None) -> PhoneNumbers:
    """:func:`normalize_phone` over a string array (nulls are not phones), vectorised.

    Args:
        values: the values, as typed.
        regions: national formats accepted (default: the regions in force).
    """
    regions = tuple(current_regions() if regions is None else regions)
    n = len(values)
    nfkc = pc.utf8_normalize(values, "NFKC")
    compact = pc.replace_substring_regex(nfkc, _STRIP, "")
    fast = _np(pc.match_substring_regex(nfkc, _FAST))
    out: list[str | None] = [None] * n
    valid = np.zeros(n, dtype=bool)
    settled = np.zeros(n, dtype=bool)  # rows whose answer is known without parsing
    number, cn = _cn_fast(compact, "CN" in regions)
    cn &= fast
    rows = np.flatnonzero(cn)
    if rows.size:
        ok = any_type(number.take(pa.array(rows)), "CN")
        numbers = number.take(pa.array(rows[ok])).to_pylist()
        for i, text in zip(rows[ok], numbers, strict=True):
            out[i] = text
        valid[rows[ok]] = True
        settled[rows[ok]] = True
        if set(regions) <= {"CN"}:
            settled[rows] = True  # invalid in CN and no other region to try
    rest = np.flatnonzero(fast & ~cn)
    if rest.size:
        intl, handled, ok = international(compact.take(pa.array(rest)))
        for j in np.flatnonzero(handled):
            out[rest[j]] = intl[j] if ok[j] else None
        valid[rest[handled & ok]] = True
        settled[rest[handled]] = True
    _slow_path(values, np.flatnonzero(~settled), regions, out, valid)
    shape = _np(pc.match_substring_regex(compact, r"^(?:\+|00)?[0-9]{7,15}$"))
    bare = _np(pc.match_substring_regex(nfkc, r"^\s*[0-9]+\s*$"))
    prefixed = _np(pc.match_substring_regex(compact, r"^(?:\+|00)"))
    foreign = np.array([c is not None and c.startswith("+") for c in out], dtype=bool)
    return PhoneNumbers(out, valid, shape & fast, valid & foreign & ~prefixed, bare)


def _slow_path(
    values: pa.Array,
    rows: npt.NDArray[np.intp],
    regions: tuple[str, ...],
    out: list[str | None],
    valid: Bools,
) -> None:
    """Parse the rows the fast path left open, once per distinct value."""
    if not rows.size:
        return
    texts = values.take(pa.array(rows)).to_pylist()
    seen: dict[str, str | None] = {}
    for i, text in zip(rows, texts, strict=True):
        if text is None:
            continue
        if text not in seen:
            seen[text] = normalize_phone(text, regions)
        out[i] = seen[text]
        valid[i] = seen[text] is not None
