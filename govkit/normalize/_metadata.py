"""International numbers (``+1 646-786-8997``, ``+852 …``) normalised in Arrow.

``normalize_phone`` parses each number with ``phonenumbers`` (~20 µs a value).
This module reproduces its result for ``+``/``00`` numbers by running the
library's own metadata patterns as vectorised regexes, per country code: the
country code is the shortest known prefix, the region is chosen as
``_region_code_for_number_from_list`` does (leading digits, else any number
type), and a number is valid when its region's general and type patterns match.
Numbers where the library would strip a national prefix, keep a leading zero or
use a non-geographic code are left to the slow path. Tests pin the equality.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE
from phonenumbers.phonemetadata import PhoneMetadata

from govkit.normalize._bytes import head, parts
from govkit.normalize._prefixes import TYPES, plan_for

Bools = np.ndarray


def _matches(numbers: pa.Array, desc: Any) -> pa.Array:
    """``phonenumbers``' ``_is_number_matching_desc``, vectorised (RE2 reads its patterns)."""
    if desc is None or not desc.national_number_pattern:
        return pa.array([False] * len(numbers))
    hit = pc.match_substring_regex(numbers, f"^(?:{desc.national_number_pattern})$")
    if desc.possible_length:
        lengths = pa.array(list(desc.possible_length), pa.int32())
        hit = pc.and_(hit, pc.is_in(pc.utf8_length(numbers), lengths))
    return hit


def _np(mask: pa.Array) -> Bools:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def any_type(numbers: pa.Array, region: str) -> Bools:
    """``_number_type_helper(n, metadata) != UNKNOWN`` for each national number.

    Rows of digits whose length has a proven prefix plan (:mod:`._prefixes`) are
    looked up by their value; the others run the patterns (:func:`_any_type_regex`).
    The answer is the same either way.
    """
    offsets, data = parts(numbers)
    lengths = np.diff(offsets)
    present = np.asarray(numbers.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    result = np.zeros(len(numbers), dtype=bool)
    left = np.zeros(len(numbers), dtype=bool)  # rows for the regexes
    for length in np.unique(lengths[present]).tolist():
        rows = np.flatnonzero(present & (lengths == length))
        table = plan_for(region, int(length), len(rows))
        if table is None:
            left[rows] = True
            continue
        digits = data[offsets[rows][:, None] + np.arange(length)].astype(np.int64) - ord("0")
        plain = ((digits >= 0) & (digits <= 9)).all(axis=1)
        value = digits[plain] @ (10 ** np.arange(length - 1, -1, -1, dtype=np.int64))
        result[rows[plain]] = table.lookup(value)
        left[rows[~plain]] = True
    if left.any():
        rows = np.flatnonzero(left)
        result[rows] = _any_type_regex(numbers.take(pa.array(rows)), region)
    return result


def _any_type_regex(numbers: pa.Array, region: str) -> Bools:
    """:func:`any_type` by running the patterns; each type only on rows no earlier one matched."""
    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None:
        raise AssertionError("internal invariant broken: meta is not None")
    result = np.zeros(len(numbers), dtype=bool)
    rows = np.flatnonzero(_np(_matches(numbers, meta.general_desc)))
    for name in TYPES:
        if not len(rows):
            break
        hit = _np(_matches(numbers.take(pa.array(rows)), getattr(meta, name)))
        result[rows[hit]] = True
        rows = rows[~hit]
    return result


_NEVER = "(?!)"
"""The strip pattern of a country without a national prefix: matches nothing."""


@cache
def _strip_pattern(cc: int) -> re.Pattern[str] | None:
    regions = COUNTRY_CODE_TO_REGION_CODE.get(cc, ())
    if not regions or regions[0] == "001":
        return None
    meta = PhoneMetadata.metadata_for_region(regions[0])
    if meta is None:
        return None
    return re.compile(meta.national_prefix_for_parsing or _NEVER)


_NSN_LENGTHS = pa.array(range(2, 18), pa.int32())
"""Lengths of a national significant number ``_split`` accepts."""


def _strips(numbers: pa.Array, strip: re.Pattern[str]) -> Bools:
    """Rows where ``strip.match`` (a national prefix the library would strip) succeeds.

    RE2 in Arrow answers "matches at the start" as Python's ``re`` does (which
    alternative matches does not change whether one does); a pattern RE2 cannot
    compile is run per value.
    """
    if strip.pattern == _NEVER:
        return np.zeros(len(numbers), dtype=bool)
    try:
        return _np(pc.match_substring_regex(numbers, f"^(?:{strip.pattern})"))
    except pa.ArrowInvalid:
        return np.array([strip.match(t) is not None for t in numbers.to_pylist()], dtype=bool)


def _valid(cc: int, array: pa.Array) -> Bools:
    """``is_valid_number`` for national numbers of one country code.

    Each number's region is the first of the code's regions that claims it (by
    leading digits, else by any number type); a region claiming by number type has
    already shown the number valid, the others check their types on their rows.
    """
    valid = np.zeros(len(array), dtype=bool)
    open_rows = np.arange(len(array))
    for region in COUNTRY_CODE_TO_REGION_CODE[cc]:
        if not open_rows.size:
            break
        meta = PhoneMetadata.metadata_for_region(region)
        if meta is None:
            continue
        rows = array.take(pa.array(open_rows))
        if meta.leading_digits is not None:
            claim = _np(pc.match_substring_regex(rows, f"^(?:{meta.leading_digits})"))
            mine = open_rows[claim]
            if mine.size:
                valid[mine] = any_type(array.take(pa.array(mine)), region)
        else:
            claim = any_type(rows, region)
            valid[open_rows[claim]] = True
        open_rows = open_rows[~claim]
    return valid


def _country_codes(digits: pa.Array) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Per row the country code ``_split`` reads (0: none, or one it leaves alone) and its width.

    The code is the shortest known prefix of 1–3 digits; a leading 0, or the prefix 86
    met first, gives none.
    """
    known = np.array(sorted(c for c in COUNTRY_CODE_TO_REGION_CODE if c != 86), dtype=np.int64)
    first = head(digits, 3).astype(np.int64) - ord("0")
    cc = np.zeros(len(digits), dtype=np.int64)
    width = np.zeros(len(digits), dtype=np.int64)
    todo = first[:, 0] > 0  # no country code starts with 0
    value = np.zeros(len(digits), dtype=np.int64)
    for w in (1, 2, 3):
        value = value * 10 + first[:, w - 1]
        stop = todo & (value == 86)  # CN numbers become national numbers: phones.py
        todo &= ~stop
        hit = todo & np.isin(value, known)
        cc[hit], width[hit] = value[hit], w
        todo &= ~hit
    return cc, width


def international(compact: pa.Array) -> tuple[pa.Array, Bools, Bools]:
    """E.164 for ``+``/``00`` numbers: (values, rows handled, of those the valid ones)."""
    return e164(pc.struct_field(pc.extract_regex(compact, r"^(?:\+|00)(?P<d>[0-9]{4,20})$"), [0]))


def e164(digits: pa.Array) -> tuple[pa.Array, Bools, Bools]:
    """:func:`international` of the digits after ``+``/``00`` (null: not 4–20 ASCII digits)."""
    n = len(digits)
    handled = np.zeros(n, dtype=bool)
    valid = np.zeros(n, dtype=bool)
    out = pa.nulls(n, pa.string())
    cc, width = _country_codes(pc.fill_null(digits, ""))
    for code in np.unique(cc[cc > 0]):
        strip = _strip_pattern(int(code))
        if strip is None:
            continue
        rows = np.flatnonzero(cc == code)
        nsn = pc.utf8_slice_codeunits(digits.take(pa.array(rows)), int(width[rows[0]]))
        fit = _np(
            pc.and_(
                pc.is_in(pc.utf8_length(nsn), _NSN_LENGTHS), pc.invert(pc.starts_with(nsn, "0"))
            )
        )
        fit &= ~_strips(nsn, strip)
        if not fit.any():
            continue
        mine = rows[fit]
        handled[mine] = True
        valid[mine] = _valid(int(code), nsn.filter(pa.array(fit)))
        e164 = pc.binary_join_element_wise(f"+{int(code)}", nsn.filter(pa.array(fit)), "")
        mask = np.zeros(n, dtype=bool)
        mask[mine] = True
        out = pc.replace_with_mask(out, pa.array(mask), e164)
    return out, handled, valid
