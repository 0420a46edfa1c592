"""Vectorised row checks behind the govkit expectations (pandas in, boolean Series out).

These functions hold the logic; the Great Expectations classes in this package
only wrap them. They import no GX, so the benchmark's hand-written reference and
the tests call them directly. ``True`` means the row meets the expectation.
Nulls are filtered out by GX before a check sees a column.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from govkit.normalize import PhoneNumbers

MALE = frozenset({"男", "M", "MALE", "男性"})
FEMALE = frozenset({"女", "F", "FEMALE", "女性"})


def _arrow(series: pd.Series) -> pa.Array:
    """Return the values as an Arrow string array (non-strings are cast to text)."""
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        arr = pa.array(series.astype("str"), type=pa.string(), from_pandas=True)
    else:
        arr = pa.array(series.astype("str").to_numpy(dtype=object), type=pa.string())
    if isinstance(arr, pa.ChunkedArray):  # a pandas column backed by Arrow chunks
        arr = arr.combine_chunks()
    return arr


def _normalized_ids(series: pd.Series) -> pa.Array:
    """NFKC, no spaces or dashes, upper-case: the Arrow twin of ``normalize_id``."""
    arr = pc.utf8_normalize(_arrow(series), form="NFKC")
    arr = pc.replace_substring_regex(arr, pattern=r"[\s\-]+", replacement="")
    return pc.utf8_upper(arr)


def _bools(mask: np.ndarray | pa.Array | Sequence[bool], index: pd.Index) -> pd.Series:
    values = mask.to_numpy(zero_copy_only=False) if isinstance(mask, pa.Array) else mask
    return pd.Series(np.asarray(values, dtype=bool), index=index)


def valid_cn_resident_id(series: pd.Series) -> pd.Series:
    """Resident ID numbers (18-char with check char, legacy 15-digit, HK/MO/TW permits)."""
    from govkit.detect.validators import valid_cn_resident_ids

    return _bools(valid_cn_resident_ids(_arrow(series)), series.index)


def _map_scalar(series: pd.Series, fn: Callable[[str], bool]) -> pd.Series:
    """Apply a scalar validator once per distinct value (repeats are common)."""
    codes, uniques = pd.factorize(series, sort=False)
    verdicts = np.fromiter((bool(fn(str(u))) for u in uniques), dtype=bool, count=len(uniques))
    verdicts = np.append(verdicts, False)  # code -1 (a missing value) picks this
    return pd.Series(verdicts[codes], index=series.index)


def valid_cn_uscc(series: pd.Series) -> pd.Series:
    """Unified social credit codes (GB 32100, mod-31 check character)."""
    from govkit.detect.validators import is_cn_uscc

    return _map_scalar(series, is_cn_uscc)


def _phones(series: pd.Series) -> PhoneNumbers:
    """The one phone validator (:func:`govkit.normalize.phone_numbers`) over a column."""
    from govkit.normalize import phone_numbers

    return phone_numbers(_arrow(series))


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or pd.api.types.is_string_dtype(series.dtype)


def _slow(values: pd.Series, fn: Callable[[str], object]) -> np.ndarray:
    """Apply ``fn`` once per distinct value; returns an object array aligned to ``values``."""
    codes, uniques = pd.factorize(values, sort=False)
    mapped = np.array([fn(str(u)) for u in uniques] + [None], dtype=object)
    return mapped[codes]


def forget() -> None:
    """Kept for callers: phone checks hold no cache of values any more."""


def valid_cn_phone(series: pd.Series, international: bool = False) -> pd.Series:
    """Chinese mobile or landline numbers, however they are typed (``+86``, dashes, full-width).

    With ``international``, valid numbers of other countries pass as well: with
    their country code (``+44 …``, ``001 …``) or in the national format of a
    configured region (``(646) 786-8997``). The validator is the one scan and
    protect use.
    """
    found = _phones(series)
    foreign = pc.fill_null(pc.starts_with(found.array, "+"), True)
    cn = found.valid & ~np.asarray(foreign.to_numpy(zero_copy_only=False), dtype=bool)
    return pd.Series(found.valid if international else cn, index=series.index)


def valid_bank_card(series: pd.Series) -> pd.Series:
    """Payment card numbers: 12–19 digits (spaces/dashes allowed) passing the Luhn check."""
    from govkit.detect.validators import valid_luhn

    return _bools(valid_luhn(_arrow(series)), series.index)


def _id_birth_digits(ids: pa.Array) -> pa.Array:
    """YYYYMMDD from an 18-char ID, ``19``+YYMMDD from a 15-digit one, else null."""
    length = pc.utf8_length(ids)
    long_form = pc.utf8_slice_codeunits(ids, 6, 14)
    short_form = pc.binary_join_element_wise("19", pc.utf8_slice_codeunits(ids, 6, 12), "")
    return pc.if_else(
        pc.equal(length, 18), long_form, pc.if_else(pc.equal(length, 15), short_form, None)
    )


def id_matches_birth_date(ids: pd.Series, births: pd.Series) -> pd.Series:
    """The birth date inside the resident ID equals the birth-date column.

    The birth-date column may be text (``1990-03-07``, ``1990/3/7`` is not
    accepted) or a date type. A row whose ID carries no readable date fails.
    """
    from_id = _id_birth_digits(_normalized_ids(ids))
    if pd.api.types.is_datetime64_any_dtype(births.dtype):
        column = pa.array(births.dt.strftime("%Y%m%d").astype("str"), type=pa.string())
    else:
        column = pc.replace_substring_regex(
            pc.utf8_normalize(_arrow(births), form="NFKC"), pattern=r"[^0-9]", replacement=""
        )
        column = pc.utf8_slice_codeunits(column, 0, 8)
    same = pc.fill_null(pc.equal(from_id, column), False)
    return _bools(same, ids.index)


def id_matches_gender(ids: pd.Series, genders: pd.Series) -> pd.Series:
    """The sex digit of the resident ID (odd = male) agrees with the gender column.

    Gender values 男/M/Male and 女/F/Female are understood (any case); other
    values fail, as do IDs without a readable sex digit.
    """
    norm = _normalized_ids(ids)
    length = pc.utf8_length(norm)
    digit = pc.if_else(
        pc.equal(length, 18),
        pc.utf8_slice_codeunits(norm, 16, 17),
        pc.if_else(pc.equal(length, 15), pc.utf8_slice_codeunits(norm, 14, 15), None),
    )
    # one ASCII digit: a sex digit in another script (Arabic-Indic …) no longer counts
    number = pc.if_else(
        pc.fill_null(pc.match_substring_regex(digit, "^[0-9]$"), False), digit, None
    )
    parity = pc.bit_wise_and(pc.cast(number, pa.int8()), 1)
    odd = pc.fill_null(pc.equal(parity, 1), False).to_numpy(zero_copy_only=False)
    even = pc.fill_null(pc.equal(parity, 0), False).to_numpy(zero_copy_only=False)
    gender = pc.dictionary_encode(_arrow(genders))  # a handful of distinct values
    upper = pc.utf8_upper(
        pc.utf8_trim_whitespace(pc.utf8_normalize(gender.dictionary, form="NFKC"))
    ).take(gender.indices)
    male = pc.fill_null(pc.is_in(upper, pa.array(sorted(MALE))), False)
    female = pc.fill_null(pc.is_in(upper, pa.array(sorted(FEMALE))), False)
    male = male.to_numpy(zero_copy_only=False)
    female = female.to_numpy(zero_copy_only=False)
    return _bools((male & odd) | (female & even), ids.index)


def number_between(
    series: pd.Series,
    min_value: float | None = None,
    max_value: float | None = None,
    integer: bool = False,
) -> pd.Series:
    """Values are numbers (text is parsed) within ``[min_value, max_value]``.

    Text that is not a number fails, so a typo cannot hide as a missing value.
    """
    numbers = pd.to_numeric(series, errors="coerce")
    ok = numbers.notna()
    if min_value is not None:
        ok &= numbers >= min_value
    if max_value is not None:
        ok &= numbers <= max_value
    if integer:
        ok &= numbers.fillna(0) % 1 == 0
    return ok.astype(bool)


def not_in_future(series: pd.Series, now: dt.datetime | None = None) -> pd.Series:
    """Dates or timestamps that parse (ISO 8601) and are not after ``now`` (UTC).

    Naive timestamps are read as UTC. Text that does not parse fails.
    """
    limit = pd.Timestamp(now or dt.datetime.now(dt.UTC))
    limit = limit.tz_localize("UTC") if limit.tzinfo is None else limit.tz_convert("UTC")
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        stamps = series if series.dt.tz is not None else series.dt.tz_localize("UTC")
    else:
        text = series.astype("str")
        stamps = pd.to_datetime(text, errors="coerce", utc=True, format="ISO8601")
    return (stamps.notna() & (stamps <= limit)).astype(bool)


def normalized_keys(frame: pd.DataFrame, entities: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Each column normalised for its entity (``entities``: column → entity; others as text).

    The row keys :func:`unique_after_normalization` compares; the Spark engine builds
    them per partition and lets Spark find the duplicates across partitions. Each column
    is normalised with ``govkit.normalize.normalize_value`` for its entity (``entities``:
    column → entity name such as ``PHONE_NUMBER``; other columns as text), so
    ``138-1234-5678`` equals ``+86 13812345678``.
    """
    from govkit.normalize import normalize_value, normalized

    keys = {}
    for column in frame.columns:
        entity = (entities or {}).get(str(column), "TEXT")
        values = frame[column]
        if entity == "PHONE_NUMBER" or _is_text(values):  # vectorised, nulls stay null
            key = np.asarray(normalized(entity, _arrow(values)), dtype=object)
        else:
            key = _slow(values, functools.partial(normalize_value, entity))
        keys[column] = pd.Series(key, index=frame.index)
    return pd.DataFrame(keys, index=frame.index)


def unique_after_normalization(
    frame: pd.DataFrame, entities: Mapping[str, str] | None = None
) -> pd.Series:
    """Rows whose normalised key (all columns together) occurs only once.

    Each column is normalised with ``govkit.detect.normalize.normalize_value``
    for its entity (``entities``: column → entity name such as ``PHONE_NUMBER``;
    other columns as text), so ``138-1234-5678`` equals ``+86 13812345678``.
    Every row of a duplicate group fails, as with GX's compound uniqueness.
    """
    return ~normalized_keys(frame, entities).duplicated(keep=False)
