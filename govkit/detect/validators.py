"""Validators: checksums, dates and number plans that turn a pattern match into a finding.

Scalar functions take one string (``str → bool``) and normalise it first. The
vectorised versions work on a whole pyarrow string array with numpy over the
Arrow buffers (5 M IDs/s; ``stdnum.cn.ric`` manages 16 k/s and rejects
residence permits and IDs from retired region codes, which are still real IDs).
"""

from __future__ import annotations

import datetime as dt
import operator
import re

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from govkit.normalize import normalize_id, normalize_phone, normalize_text

__all__ = [
    "cn_resident_id_check_char",
    "is_cn_phone",
    "is_cn_resident_id",
    "is_cn_uscc",
    "is_email",
    "is_luhn",
    "luhn_check_digit",
    "valid_cn_resident_ids",
    "valid_luhn",
]

# First two digits of GB 11643 region codes (provinces), plus 81/82/83 for the
# residence permits of Hong Kong, Macau and Taiwan residents. Finer region codes
# are not checked: a retired county code is still a real ID.
PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46]
    + [50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83]
)
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_WEIGHT_INTS = tuple(int(w) for w in _ID_WEIGHTS)  # Python ints: no NumPy scalar per digit
_ID_CHECK = "10X98765432"
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_EMAIL = re.compile(
    r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9\-]{2,59})"
)
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
_DAYS = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def cn_resident_id_check_char(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character (``0``–``9`` or ``X``) of 17 digits.

    Raises:
        ValueError: ``first17`` is not 17 ASCII digits.
    """
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("a resident ID body is 17 digits")
    total = sum(map(operator.mul, map(int, first17), _ID_WEIGHT_INTS))
    return _ID_CHECK[total % 11]


def _valid_birth_date(year: int, month: int, day: int) -> bool:
    if not 1900 <= year <= dt.date.today().year:
        return False
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def is_cn_resident_id(s: str) -> bool:
    """Return True for a valid PRC resident ID or HK/Macau/Taiwan residence permit number.

    18 characters: a known province code, a real birth date, MOD 11-2 check
    character. Legacy 15-digit numbers (``YYMMDD`` birth date, no check
    character) pass on province code and date.
    """
    v = normalize_id(s)
    if not v.isascii() or not v[:2].isdigit() or int(v[:2]) not in PROVINCES:
        return False
    if len(v) == 18 and v[:17].isdigit() and (v[17].isdigit() or v[17] == "X"):
        if not _valid_birth_date(int(v[6:10]), int(v[10:12]), int(v[12:14])):
            return False
        return cn_resident_id_check_char(v[:17]) == v[17]
    if len(v) == 15 and v.isdigit():
        return _valid_birth_date(1900 + int(v[6:8]), int(v[8:10]), int(v[10:12]))
    return False


def is_cn_uscc(s: str) -> bool:
    """Return True for a unified social credit code (GB 32100, mod 31 check character)."""
    v = normalize_id(s)
    if len(v) != 18 or any(c not in _USCC_ALPHABET for c in v):
        return False
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(v[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31] == v[17]


def luhn_check_digit(body: str) -> str:
    """Return the Luhn check digit to append to ``body`` (ASCII digits).

    Raises:
        ValueError: ``body`` is empty or not all digits.
    """
    if not body or not body.isascii() or not body.isdigit():
        raise ValueError("a Luhn body is one or more digits")
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def is_luhn(s: str) -> bool:
    """Return True for 12–19 digits (spaces and dashes allowed) that pass the Luhn check."""
    v = normalize_id(s)
    if not 12 <= len(v) <= 19 or not v.isascii() or not v.isdigit():
        return False
    return luhn_check_digit(v[:-1]) == v[-1]


def is_cn_phone(s: str) -> bool:
    """Return True for a valid Chinese mobile or landline number, however it is typed."""
    v = normalize_phone(s)
    return v is not None and not v.startswith("+")


def is_email(s: str) -> bool:
    """Return True for something shaped like a deliverable e-mail address (no DNS, no TLD list)."""
    v = normalize_text(s)
    return len(v) <= 254 and _EMAIL.fullmatch(v) is not None


# --- vectorised versions -------------------------------------------------------------


def _normalized(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    """NFKC, no spaces or dashes, upper case; one contiguous string array."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = arr.cast(pa.string())
    arr = pc.utf8_normalize(arr, form="NFKC")
    arr = pc.replace_substring_regex(arr, pattern=r"[\s\-]+", replacement="")
    return pc.utf8_upper(arr)


def _right_aligned(arr: pa.Array, width: int, pad: int) -> tuple[Ints, npt.NDArray[np.uint8]]:
    """Return (lengths with -1 for nulls, an (n, width) uint8 matrix of each value's last bytes).

    Values shorter than ``width`` are padded on the left with byte ``pad``.
    """
    n = len(arr)
    buffers = arr.buffers()
    offset_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(buffers[1], dtype=offset_type, count=arr.offset + n + 1)[arr.offset :]
    bounds: Ints = offsets.astype(np.int64)
    data = (
        np.frombuffer(buffers[2], dtype=np.uint8)
        if buffers[2] is not None
        else np.zeros(1, np.uint8)
    )
    if data.size == 0:
        data = np.zeros(1, np.uint8)
    starts, ends = bounds[:-1], bounds[1:]
    lengths: Ints = ends - starts
    if arr.null_count:
        lengths = np.where(arr.is_valid().to_numpy(zero_copy_only=False), lengths, -1)
    index = ends[:, None] - width + np.arange(width)[None, :]
    inside = index >= starts[:, None]
    matrix = np.where(inside, data[np.clip(index, 0, data.size - 1)], pad).astype(np.uint8)
    return lengths, matrix


def _valid_dates(year: Ints, month: Ints, day: Ints) -> Bools:
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_ok = (month >= 1) & (month <= 12)
    days: Ints = _DAYS[np.clip(month, 0, 12)] - ((month == 2) & ~leap).astype(np.int64)
    ok: Bools = (
        month_ok & (day >= 1) & (day <= days) & (year >= 1900) & (year <= dt.date.today().year)
    )
    return ok


def valid_cn_resident_ids(arr: pa.Array | pa.ChunkedArray) -> Bools:
    """Vectorised :func:`is_cn_resident_id` over a string array; nulls give False."""
    norm = _normalized(arr)
    lengths, m = _right_aligned(norm, 18, ord("0"))
    digit = (m >= 48) & (m <= 57)
    d: Ints = m.astype(np.int64) - 48
    result: Bools = np.zeros(len(norm), dtype=bool)

    long_ = (lengths == 18) & digit[:, :17].all(axis=1) & (digit[:, 17] | (m[:, 17] == ord("X")))
    province = d[:, 0] * 10 + d[:, 1]
    in_provinces = np.isin(province, list(PROVINCES))
    year = d[:, 6] * 1000 + d[:, 7] * 100 + d[:, 8] * 10 + d[:, 9]
    ok = (
        long_
        & in_provinces
        & _valid_dates(year, d[:, 10] * 10 + d[:, 11], d[:, 12] * 10 + d[:, 13])
    )
    checks = np.frombuffer(_ID_CHECK.encode(), dtype=np.uint8)[
        (d[:, :17] * _ID_WEIGHTS).sum(axis=1) % 11
    ]
    result |= ok & (checks == m[:, 17])

    # Legacy 15-digit numbers sit in the last 15 columns of the right-aligned matrix.
    s = d[:, 3:]
    short = (lengths == 15) & digit[:, 3:].all(axis=1)
    short &= np.isin(s[:, 0] * 10 + s[:, 1], list(PROVINCES))
    short &= _valid_dates(
        1900 + s[:, 6] * 10 + s[:, 7], s[:, 8] * 10 + s[:, 9], s[:, 10] * 10 + s[:, 11]
    )
    result |= short
    return result


def valid_luhn(arr: pa.Array | pa.ChunkedArray) -> Bools:
    """Vectorised :func:`is_luhn` over a string array; nulls give False."""
    norm = _normalized(arr)
    lengths, m = _right_aligned(norm, 19, ord("0"))
    digit = ((m >= 48) & (m <= 57)).all(axis=1)
    d: Ints = m.astype(np.int64) - 48
    doubled: Ints = d[:, -2::-2] * 2
    total: Ints = d[:, ::-2].sum(axis=1) + (doubled - 9 * (doubled > 9)).sum(axis=1)
    ok: Bools = (lengths >= 12) & (lengths <= 19) & digit & (total % 10 == 0)
    return ok
