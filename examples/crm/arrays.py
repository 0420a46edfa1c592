"""Vectorised helpers: digit matrices to Arrow strings, check characters, scatter/choose.

Every column is assembled from numpy draws and pyarrow compute kernels; nothing
here loops over rows in Python, so a million rows take well under a second per column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Digits = np.ndarray  # (rows, k) integer matrix of decimal digits

ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)


def bytes_to_strings(mat: np.ndarray) -> pa.Array:
    """Turn a (rows, k) matrix of ASCII/UTF-8 bytes into a string array, zero-copy."""
    rows, width = mat.shape
    data = np.ascontiguousarray(mat, dtype=np.uint8).tobytes()
    offsets = (np.arange(rows + 1, dtype=np.int64) * width).astype(np.int32)
    return pa.StringArray.from_buffers(rows, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data))


def digits_to_strings(digits: Digits) -> pa.Array:
    """Turn a (rows, k) digit matrix into strings of k ASCII digits."""
    return bytes_to_strings(digits.astype(np.uint8) + ord("0"))


def fullwidth_strings(digits: Digits) -> pa.Array:
    """Digits as full-width characters (U+FF10…U+FF19), as typed with a Chinese IME."""
    rows, width = digits.shape
    mat = np.empty((rows, width, 3), dtype=np.uint8)
    mat[:, :, 0], mat[:, :, 1] = 0xEF, 0xBC
    mat[:, :, 2] = 0x90 + digits.astype(np.uint8)
    return bytes_to_strings(mat.reshape(rows, width * 3))


def int_digits(values: np.ndarray, width: int) -> Digits:
    """Zero-padded decimal digits of non-negative integers, as a (rows, width) matrix."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values.astype(np.int64)[:, None] // powers) % 10


def date_digits(when: np.ndarray) -> Digits:
    """``YYYYMMDD`` digits (rows, 8) of numpy datetimes (any unit)."""
    day = when.astype("datetime64[D]")
    year = day.astype("datetime64[Y]").astype(np.int64) + 1970
    month = day.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (day - day.astype("datetime64[M]")).astype(np.int64) + 1
    return np.concatenate([int_digits(year, 4), int_digits(month, 2), int_digits(dom, 2)], axis=1)


def random_digits(rng: np.random.Generator, rows: int, width: int) -> Digits:
    """A (rows, width) matrix of uniform random digits."""
    return rng.integers(0, 10, size=(rows, width), dtype=np.int64)


def id_check_bytes(body17: Digits) -> np.ndarray:
    """GB 11643 (ISO 7064 MOD 11-2) check characters of 17-digit bodies, as ASCII bytes."""
    return np.asarray(ID_CHECK[(body17 * ID_WEIGHTS).sum(axis=1) % 11])


def luhn_check_digits(body: Digits) -> np.ndarray:
    """Luhn check digits for bodies (the digit to append to each row)."""
    rev = body[:, ::-1]
    doubled = rev[:, 0::2] * 2
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    total = doubled.sum(axis=1) + rev[:, 1::2].sum(axis=1)
    return np.asarray((10 - total % 10) % 10)


def luhn_valid(digits: Digits) -> np.ndarray:
    """Whether each full digit row (check digit last) passes Luhn."""
    return np.asarray(luhn_check_digits(digits[:, :-1]) == digits[:, -1])


def with_id_check(body17: Digits) -> pa.Array:
    """18-character resident ID strings: body plus its valid check character."""
    mat = np.empty((body17.shape[0], 18), dtype=np.uint8)
    mat[:, :17] = body17 + ord("0")
    mat[:, 17] = id_check_bytes(body17)
    return bytes_to_strings(mat)


def pick(pool: Sequence[str], index: np.ndarray) -> pa.Array:
    """Strings of ``pool`` at ``index``."""
    return pa.array(list(pool), pa.string()).take(pa.array(index))


def weighted_index(rng: np.random.Generator, weights: Sequence[float], rows: int) -> np.ndarray:
    """Draw ``rows`` indexes into ``weights`` with those (unnormalised) probabilities."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=rows, p=p / p.sum())


def weighted_pick(rng: np.random.Generator, table: Mapping[str, float], rows: int) -> pa.Array:
    """Draw ``rows`` keys of ``table`` weighted by its values."""
    keys = list(table)
    return pick(keys, weighted_index(rng, list(table.values()), rows))


def join(*parts: pa.Array | str) -> pa.Array:
    """Concatenate strings element-wise (null in, null out)."""
    return pc.binary_join_element_wise(*parts, "")


def choose(index: np.ndarray, options: Sequence[pa.Array]) -> pa.Array:
    """Row i takes ``options[index[i]][i]``."""
    return pc.choose(pa.array(index.astype(np.int8)), *options)


def when(mask: np.ndarray, yes: pa.Array | str, no: pa.Array | str) -> pa.Array:
    """Row i takes ``yes`` where ``mask`` is true, else ``no`` (arrays or constant strings)."""
    return pc.if_else(pa.array(mask), yes, no)


def null_where(values: pa.Array, mask: np.ndarray) -> pa.Array:
    """Replace values by null where ``mask`` is true."""
    return pc.if_else(pa.array(mask), pa.scalar(None, values.type), values)


def exact_mask(rng: np.random.Generator, rows: int, share: float, minimum: int = 1) -> np.ndarray:
    """A mask with exactly ``max(minimum, round(rows * share))`` true entries (capped at rows)."""
    count = min(rows, max(minimum, round(rows * share)))
    mask = np.zeros(rows, dtype=bool)
    mask[rng.choice(rows, size=count, replace=False)] = True
    return mask


def timestamps(seconds: np.ndarray) -> pa.Array:
    """ISO 8601 text (``YYYY-MM-DDTHH:MM:SS``) from Unix seconds."""
    return pc.strftime(pa.array(seconds, pa.timestamp("s")), format="%Y-%m-%dT%H:%M:%S")


def unix(day: str) -> int:
    """Unix seconds of a ``YYYY-MM-DD`` day."""
    return int(np.datetime64(day, "s").astype(np.int64))


def serials(prefix: str, start: int, rows: int, width: int) -> pa.Array:
    """``prefix`` + zero-padded running numbers, e.g. ``C0000001``."""
    return join(prefix, digits_to_strings(int_digits(np.arange(start, start + rows), width)))
