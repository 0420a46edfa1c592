"""What a phone number is, and its one canonical form — for scan, validate and protect alike.

:func:`normalize_phone` is the definition (``phonenumbers`` per value).
:func:`phone_numbers` gives the same result for a whole Arrow array: CN mobiles,
CN landlines and ``+``/``00`` international numbers are settled in Arrow with
``phonenumbers``' own metadata patterns (:mod:`govkit.normalize._metadata`);
only what that path cannot settle (national formats of other regions, typed
extensions, odd characters) is parsed, once per distinct value. Rows written in a
common shape (``999-9999-9999``, ``+99 999 9999 9999`` …) are settled first from
digits read at fixed byte offsets (:mod:`._shortcut`), by the same rules. Property
tests pin the equalities.

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

from govkit.normalize._bytes import compact_ascii, cut, digit_counts, head, prefixed
from govkit.normalize._metadata import any_type, international
from govkit.normalize._shortcut import LEAST, settle
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
    """Per value of an array: canonical form (null: not a phone) and what kind of match.

    Attributes:
        array: :func:`normalize_phone` of each value, as an Arrow ``string`` array.
        valid: ``canonical is not None``.
        shape: digits only after separators, 7–15 of them, optionally after ``+``/``00``.
        national: valid only as another region's national format (no country code
            written, not a Chinese number) — e.g. ``(646) 786-8997``.
        bare: the value is nothing but digits (no separator, prefix or bracket).
    """

    array: pa.Array
    valid: Bools
    shape: Bools
    national: Bools
    bare: Bools

    @property
    def canonical(self) -> list[str | None]:
        """:func:`normalize_phone` of each value, as a list."""
        items: list[str | None] = self.array.to_pylist()
        return items


_FAST = r"^[0-9+\-(). /\t·]+$"
_NOT_A_PHONE_CHAR = (
    r"[^0-9+\-().·/xXeEtT转分机 \t\n\r\f\v\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}"
    r"\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
)
"""A character no phone number can contain (digits, separators, an extension mark, spaces)."""
_STRIP = r"[ \t\-().·/]+"
_DATE = r"^\s*(?:19|20)[0-9]{2}[-/. ][01]?[0-9][-/. ][0-3]?[0-9]\s*$"


def _np(mask: pa.Array) -> Bools:
    out: Bools = np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)
    return out


@dataclass(frozen=True)
class _Prepared:
    """Every value NFKC-normalised and without separators, and what its characters allow."""

    nfkc: pa.Array
    compact: pa.Array
    maybe: Bools  # no character a phone number cannot contain (else surely None)
    fast: Bools  # only digits, ``+`` and separators
    bare: Bools  # ``^\s*[0-9]+\s*$`` on the NFKC form


def _merge(base: pa.Array, rows: npt.NDArray[np.intp], part: pa.Array) -> pa.Array:
    mask = np.zeros(len(base), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(base, pa.array(mask), part)


def _prepare(values: pa.Array) -> _Prepared:
    """Byte-level for plain ASCII rows (:mod:`._bytes`), Arrow regexes for the others."""
    quick = compact_ascii(values)
    simple = quick.simple
    nfkc, compact = values, quick.compact
    maybe, fast, bare = simple.copy(), simple.copy(), quick.bare.copy()
    rows = np.flatnonzero(~simple & _np(pc.is_valid(values)))
    if rows.size:  # full-width digits, other separators, letters, empty strings …
        part = pc.utf8_normalize(values.take(pa.array(rows)), "NFKC")
        nfkc = _merge(values, rows, part)
        compact = _merge(compact, rows, pc.replace_substring_regex(part, _STRIP, ""))
        maybe[rows] = ~_np(pc.match_substring_regex(part, _NOT_A_PHONE_CHAR))
        fast[rows] = _np(pc.match_substring_regex(part, _FAST))
        bare[rows] = _np(pc.match_substring_regex(part, r"^\s*[0-9]+\s*$"))
    return _Prepared(nfkc, compact, maybe, fast, bare)


def _cn_fast(
    compact: pa.Array, with_cn: bool, counts: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
) -> tuple[pa.Array, Bools]:
    r"""Candidate CN national numbers (null where none) and which rows have one.

    The candidates of ``^(?:(?:\+86|0086|86)?(1[3-9][0-9]{9})|0([1-9][0-9]{8,10}))$``
    (without CN among the regions, only the ``+86``/``0086`` mobiles), tested on bytes;
    ``counts`` is :func:`digit_counts` of ``compact``.
    """
    lengths, digits = counts
    b = head(compact, 6)

    def at(k: int, low: str, high: str | None = None) -> Bools:
        hit: Bools = (b[:, k] >= ord(low)) & (b[:, k] <= ord(high or low))
        return hit

    def mobile(k: int) -> Bools:  # 1[3-9] at position k
        return at(k, "1") & at(k + 1, "3", "9")

    plus = at(0, "+") & at(1, "8") & at(2, "6") & mobile(3) & (lengths == 14) & (digits == 13)
    all_digits = digits == lengths
    zero86 = at(0, "0") & at(1, "0") & at(2, "8") & at(3, "6") & mobile(4) & (lengths == 15)
    skip = np.zeros(len(compact), dtype=np.int64)
    skip[plus] = 3
    skip[zero86 & all_digits] = 4
    found = plus | (zero86 & all_digits)
    if with_cn:
        bare = mobile(0) & (lengths == 11)
        cn86 = at(0, "8") & at(1, "6") & mobile(2) & (lengths == 13)
        landline = at(0, "0") & at(1, "1", "9") & (lengths >= 10) & (lengths <= 12)
        skip[cn86 & all_digits] = 2
        skip[landline & all_digits] = 1
        found |= (bare | cn86 | landline) & all_digits
    return cut(compact, found, skip), found


def phone_numbers(
    values: pa.Array, regions: Sequence[str] | None = None, *, exact: bool = True
) -> PhoneNumbers:
    """:func:`normalize_phone` over a string array (nulls are not phones), vectorised.

    Args:
        values: the values, as typed.
        regions: national formats accepted (default: the regions in force).
        exact: False lets a classifier judge bare national numbers (digits and
            separators, no country code) that the fast path leaves open from each
            region's metadata patterns in Arrow (:func:`_by_plan`), without parsing;
            their validity and ``national`` flag are set, their ``canonical`` is left
            None. Scan's column matcher uses it; protect and validate use the exact
            default.
    """
    regions = tuple(current_regions() if regions is None else regions)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    settled = settle(values, "CN" in regions, SHORTCUT_LEAST)
    if not settled.rows.size:
        return _phone_numbers(values, regions, exact)
    n = len(values)
    todo = np.asarray(values.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    todo[settled.rows] = False  # left: rows of other shapes (nulls are no phones)
    rest = np.flatnonzero(todo)
    none = np.zeros(0, dtype=bool)
    part = (
        _phone_numbers(values.take(pa.array(rest)), regions, exact)
        if rest.size
        else PhoneNumbers(pa.nulls(0, pa.string()), none, none, none, none)
    )
    index = np.zeros(n, dtype=np.int64)
    index[rest] = np.arange(len(rest))
    index[settled.rows] = len(rest) + np.arange(len(settled.rows))
    missing = np.ones(n, dtype=bool)
    missing[rest] = False
    missing[settled.rows] = False
    at = pa.array(index, mask=missing if missing.any() else None)
    array = pa.concat_arrays([part.array, settled.array]).take(at)

    def spread(flags: Bools, done: Bools) -> Bools:
        out = np.zeros(n, dtype=bool)
        out[rest] = flags
        out[settled.rows] = done
        return out

    abroad = np.zeros(len(settled.rows), dtype=bool)  # a settled row is no foreign national number
    return PhoneNumbers(
        array,
        spread(part.valid, settled.valid),
        spread(part.shape, settled.shape),
        spread(part.national, abroad),
        spread(part.bare, settled.bare),
    )


SHORTCUT_LEAST = LEAST
"""Rows a written shape needs to be settled by :mod:`._shortcut` (tests raise it to turn it off)."""


def _phone_numbers(values: pa.Array, regions: tuple[str, ...], exact: bool) -> PhoneNumbers:
    """:func:`phone_numbers` of a string array, every row through the general fast path."""
    n = len(values)
    prepared = _prepare(values)
    maybe, fast, compact = prepared.maybe, prepared.fast, prepared.compact
    nothing = pa.nulls(n, pa.string())
    if not maybe.any():
        none = np.zeros(n, dtype=bool)
        return PhoneNumbers(nothing, none, none, none, none)
    valid = np.zeros(n, dtype=bool)
    settled = np.zeros(n, dtype=bool)  # rows whose answer is known without parsing
    counts = digit_counts(compact)
    number, cn = _cn_fast(compact, "CN" in regions, counts)
    cn &= fast
    rows = np.flatnonzero(cn)
    if rows.size:
        ok = any_type(number.take(pa.array(rows)), "CN")
        valid[rows[ok]] = True
        settled[rows[ok]] = True
        if set(regions) <= {"CN"}:
            settled[rows] = True  # invalid in CN and no other region to try
    out = pc.if_else(pa.array(valid), number, nothing)
    rest = np.flatnonzero(fast & ~cn & (prefixed(compact, b"+") | prefixed(compact, b"00")))
    if rest.size:
        intl, handled, ok = international(compact.take(pa.array(rest)))
        done = rest[handled]
        settled_values = pc.if_else(pa.array(ok[handled]), intl.filter(pa.array(handled)), None)
        out = _merge(out, done, settled_values)
        valid[rest[handled & ok]] = True
        settled[done] = True
    open_rows = ~settled & maybe
    foreign = np.zeros(n, dtype=bool)
    if not exact:
        digits = open_rows & fast & _np(pc.match_substring_regex(compact, r"^[0-9]+$"))
        planned = digits & _np(pc.match_substring_regex(compact, r"^[0-9]{5,16}$"))
        planned &= ~_np(pc.match_substring_regex(prepared.nfkc, _DATE))  # a date is not a phone
        _by_plan(compact, np.flatnonzero(planned), regions, valid, foreign)
        open_rows &= ~digits  # more than 16 or fewer than 5 digits: no national number
    out = _slow_path(values, np.flatnonzero(open_rows), regions, out, valid)
    lengths, digit_count = counts
    plus, zeros = prefixed(compact, b"+"), prefixed(compact, b"00")
    body = digit_count - np.where(zeros, 2, 0)
    shape = ((plus & (digit_count == lengths - 1)) | (digit_count == lengths)) & (
        ((digit_count >= 7) & (digit_count <= 15)) | (zeros & (body >= 7) & (body <= 15))
    )
    foreign |= _np(pc.starts_with(out, "+"))
    return PhoneNumbers(out, valid, shape & fast, valid & foreign & ~(plus | zeros), prepared.bare)


def _by_plan(
    compact: pa.Array,
    rows: npt.NDArray[np.intp],
    regions: tuple[str, ...],
    valid: Bools,
    foreign: Bools,
) -> None:
    """Validity of bare national numbers from each region's metadata patterns, in Arrow.

    The national number is the digits without the region's trunk prefix (required
    where numbers are written with a trunk 0, optional for the US ``1``); it is
    valid when one of the region's number-type patterns matches it.
    """
    if not rows.size:
        return
    digits = compact.take(pa.array(rows))
    hit = np.zeros(len(rows), dtype=bool)
    cn = np.zeros(len(rows), dtype=bool)
    for region in regions:
        meta = PhoneMetadata.metadata_for_region(region)
        if meta is None:
            continue
        trunk = meta.national_prefix or ""
        if trunk:
            starts = _np(pc.starts_with(digits, trunk))
            national = pc.if_else(
                pa.array(starts), pc.utf8_slice_codeunits(digits, len(trunk)), digits
            )
            allowed = starts if trunk == "0" else np.ones(len(rows), dtype=bool)
        else:
            national, allowed = digits, np.ones(len(rows), dtype=bool)
        ok = allowed & any_type(national, region) & ~hit
        if region == "CN":
            cn |= ok
        hit |= ok
    valid[rows] = hit
    foreign[rows] = hit & ~cn


def _slow_path(
    values: pa.Array,
    rows: npt.NDArray[np.intp],
    regions: tuple[str, ...],
    out: pa.Array,
    valid: Bools,
) -> pa.Array:
    """Parse the rows the fast path left open, once per distinct value; ``out`` with them."""
    if not rows.size:
        return out
    texts = values.take(pa.array(rows)).to_pylist()
    seen: dict[str, str | None] = {}
    found: list[str | None] = []
    for i, text in zip(rows, texts, strict=True):
        if text is not None and text not in seen:
            seen[text] = normalize_phone(text, regions)
        found.append(None if text is None else seen[text])
        valid[i] = found[-1] is not None
    return _merge(out, rows, pa.array(found, pa.string()))
