"""Byte-level views of short ASCII strings in numpy: per-row character tests without regexes.

Phone numbers are a dozen ASCII bytes. Arrow's regex kernels cost about a microsecond
a value each; the tests below look at the Arrow data buffer once (per byte, then
per row with ``bincount``), which is tens of nanoseconds a value. They only ever
answer for rows made of ASCII digits, ``+`` and the separators in :data:`SEPARATORS`;
other rows are left to the regex path, which defines the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

SEPARATORS = b" \t-()./"
"""ASCII separators a phone number may be written with (``·`` is not ASCII: regex path)."""


def _is_digit(data: npt.NDArray[np.uint8]) -> Bools:
    out: Bools = (data - np.uint8(ord("0"))) < 10  # uint8 wraps below "0"
    return out


def _per_row(offsets: Ints, flags: Bools) -> Ints:
    """How many flagged bytes each row has (a cumulative sum read at the row bounds)."""
    total = np.zeros(len(flags) + 1, dtype=np.int64)
    np.cumsum(flags, out=total[1:])
    counts: Ints = total[offsets[1:]] - total[offsets[:-1]]
    return counts


_LOW = (1 << 31) - 1


def _per_row_pair(offsets: Ints, low: Bools, high: Bools) -> tuple[Ints, Ints]:
    """:func:`_per_row` of two flag arrays in one cumulative sum (31-bit halves of an int64)."""
    packed = low.astype(np.int64)
    packed |= high.astype(np.int64) << 31
    total = np.zeros(len(packed) + 1, dtype=np.int64)
    np.cumsum(packed, out=total[1:])
    both = total[offsets[1:]] - total[offsets[:-1]]  # no borrow: each half only grows
    return both & _LOW, both >> 31


def parts(values: pa.Array) -> tuple[Ints, npt.NDArray[np.uint8]]:
    """Row offsets (rebased to 0) and the data bytes of a ``string`` array."""
    n = len(values)
    _, offsets_buf, data_buf = values.buffers()
    if offsets_buf is None:
        return np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.uint8)
    offsets = np.frombuffer(offsets_buf, dtype=np.int32, count=n + 1, offset=values.offset * 4)
    offsets = offsets.astype(np.int64)
    data = (
        np.frombuffer(data_buf, dtype=np.uint8)
        if data_buf is not None
        else np.zeros(0, dtype=np.uint8)
    )
    return offsets - offsets[0], data[offsets[0] : offsets[-1]]


def _strings(lengths: Ints, data: npt.NDArray[np.uint8], valid: Bools) -> pa.Array:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    mask = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(
        pa.string(),
        len(lengths),
        [mask, pa.py_buffer(offsets), pa.py_buffer(data.tobytes())],
        null_count=int((~valid).sum()),
    )


@dataclass(frozen=True)
class Compact:
    """Rows written only with ASCII digits, ``+`` and separators, without the separators.

    Attributes:
        simple: the row is non-null, non-empty and uses only those characters.
        compact: the row without separators (empty for rows that are not simple).
        bare: simple, and nothing but digits with spaces or tabs around them.
    """

    simple: Bools
    compact: pa.Array
    bare: Bools


_DIGIT, _PLUS, _WHITE, _OTHER_SEPARATOR = 1, 2, 4, 8
_CLASS = np.zeros(256, dtype=np.uint8)
_CLASS[ord("0") : ord("9") + 1] = _DIGIT
_CLASS[ord("+")] = _PLUS
_CLASS[np.frombuffer(SEPARATORS, dtype=np.uint8)] = _OTHER_SEPARATOR
_CLASS[[ord(" "), ord("\t")]] = _WHITE | _OTHER_SEPARATOR
"""Per byte value: digit, ``+``, space/tab, separator (0: a byte no simple row holds)."""


def compact_ascii(values: pa.Array) -> Compact:
    """:class:`Compact` of a ``string`` array, in one pass over its bytes."""
    offsets, data = parts(values)
    if len(data) >= _LOW:  # the packed counts below need 31 bits per half
        raise ValueError("compact_ascii takes batches of less than 2 GiB of text")
    lengths = np.diff(offsets)
    cls = _CLASS[data]
    digit = (cls & _DIGIT).view(bool)
    plus = cls == _PLUS
    present = np.asarray(values.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    # a digit that starts a run: a row's first byte, or one right after a non-digit byte
    starts = np.zeros(len(data), dtype=bool)
    starts[1:] = digit[1:] & ~digit[:-1]
    starts[offsets[:-1][(lengths > 0)]] = digit[offsets[:-1][(lengths > 0)]]
    outside, digits = _per_row_pair(offsets, cls == 0, digit)
    pluses, whites = _per_row_pair(offsets, plus, (cls & _WHITE).astype(bool))
    runs = _per_row(offsets, starts)  # digit runs, counting a run at a row's start
    simple = present & (outside == 0) & (lengths > 0)
    keep = (digit | plus) & np.repeat(simple, lengths)
    # bare: digits and outer spaces only, and the digits are one run (first..last digit)
    bare = simple & (digits > 0) & (digits + whites == lengths) & (runs == 1)
    kept = np.where(simple, digits + pluses, 0)
    return Compact(simple, _strings(kept, data[keep], present), bare)


def prefixed(compact: pa.Array, prefix: bytes) -> Bools:
    """Rows of ``compact`` that start with ``prefix`` (bytes)."""
    offsets, data = parts(compact)
    starts, lengths = offsets[:-1], np.diff(offsets)
    out = lengths >= len(prefix)
    for k, byte in enumerate(prefix):
        at = np.minimum(starts + k, max(len(data) - 1, 0))
        out &= (data[at] == byte) if len(data) else False
    return np.asarray(out, dtype=bool)


def digit_counts(compact: pa.Array) -> tuple[Ints, Ints]:
    """Per row: its length in bytes and how many of them are ASCII digits."""
    offsets, data = parts(compact)
    return np.diff(offsets), _per_row(offsets, _is_digit(data))


def cut(compact: pa.Array, rows: Bools, skip: Ints) -> pa.Array:
    """``compact`` without its first ``skip`` bytes, on ``rows`` (null elsewhere)."""
    offsets, data = parts(compact)
    lengths = np.diff(offsets)
    keep = np.repeat(rows, lengths)
    for k in range(int(skip[rows].max(initial=0))):
        keep[offsets[:-1][rows & (skip > k)] + k] = False
    return _strings(np.where(rows, lengths - skip, 0), data[keep], rows)


def head(compact: pa.Array, k: int) -> npt.NDArray[np.uint8]:
    """The first ``k`` bytes of every row as an ``(n, k)`` array, 0 past a row's end."""
    offsets, data = parts(compact)
    starts, lengths = offsets[:-1], np.diff(offsets)
    out = np.zeros((len(compact), k), dtype=np.uint8)
    if not len(data):
        return out
    for j in range(k):
        inside = lengths > j
        out[inside, j] = data[starts[inside] + j]
    return out
