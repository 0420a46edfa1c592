"""Rows of a string array grouped by written shape, their digits read at fixed byte offsets.

A shape is a row length and where its digits sit, e.g. ``999-9999-9999`` or
``+99 999 9999 9999``: all rows of one shape hold their digits at the same byte
offsets, so one strided gather per length reads them, without regexes or a
per-byte compaction. Only rows of ASCII digits, separators (:data:`._bytes.SEPARATORS`)
and at most one ``+`` as their first byte are grouped, and rows made only of
full-width digits (U+FF10–U+FF19, which NFKC maps to ``0``–``9``). A row's shape is
its bytes with each digit made ``0`` (found 8 bytes at a time); the commonest shapes of
each length are those of its first :data:`_SAMPLE` rows. Shapes with fewer than
``least`` rows, and rows of other shapes, are left to the caller's general path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from govkit.normalize._bytes import SEPARATORS, parts

__all__ = ["MAX_BYTES", "Shape", "shapes"]

Bools = npt.NDArray[np.bool_]

MAX_BYTES = 45
"""Longest row grouped (15 full-width digits)."""
_MAX_SHAPES = 8
"""Shapes looked for per row length; the rest go to the general path."""
_FULL_WIDTH = (0xEF, 0xBC, 0x90)
"""UTF-8 of U+FF10 (full-width 0); U+FF11–U+FF19 differ in the last byte only."""


@dataclass(frozen=True)
class Shape:
    """The rows of one shape.

    Attributes:
        rows: their indices in the array.
        digits: ``(len(rows), n)`` digit values (0–9), in writing order.
        plus: written with a leading ``+``.
        bare: per row, nothing but digits with spaces or tabs around them.
    """

    rows: npt.NDArray[np.intp]
    digits: npt.NDArray[np.uint8]
    plus: bool
    bare: Bools


def shapes(values: pa.Array, least: int) -> list[Shape]:
    """The shapes of ``values`` (a ``string`` array) with at least ``least`` rows each."""
    offsets, data = parts(values)
    lengths = np.diff(offsets)
    present = np.asarray(values.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    counts = np.bincount(np.minimum(lengths[present], MAX_BYTES + 1), minlength=MAX_BYTES + 2)
    padded = np.zeros(len(data) + 8, dtype=np.uint8)  # a row's last 8-byte word stays inside
    padded[: len(data)] = data
    out: list[Shape] = []
    for length in np.flatnonzero(counts[1 : MAX_BYTES + 1] >= least) + 1:
        width = int(length)
        rows = np.flatnonzero(present & (lengths == width))
        span = -(-width // 8) * 8
        wide = np.lib.stride_tricks.sliding_window_view(padded, span)[offsets[rows]]
        block = wide[:, :width]
        if width % 3 == 0 and np.count_nonzero(block[:, 0] == _FULL_WIDTH[0]) >= least:
            out.extend(_full_width(rows, block, least))
        out.extend(_ascii(rows, wide, width, least))
    return out


def _full_width(
    rows: npt.NDArray[np.intp], block: npt.NDArray[np.uint8], least: int
) -> list[Shape]:
    chars = block.reshape(len(rows), -1, 3)
    last = chars[:, :, 2] - np.uint8(_FULL_WIDTH[2])  # uint8 wraps below U+FF10
    hit = (
        (chars[:, :, 0] == _FULL_WIDTH[0]) & (chars[:, :, 1] == _FULL_WIDTH[1]) & (last < 10)
    ).all(axis=1)
    if hit.sum() < least:
        return []
    return [Shape(rows[hit], last[hit], False, np.ones(int(hit.sum()), dtype=bool))]


_ONES = np.uint64(0x0101010101010101)
_SAMPLE = 1024
"""Rows of each length whose shapes are counted to find the common ones."""


def _templates(wide: npt.NDArray[np.uint8], width: int) -> npt.NDArray[np.uint64]:
    """Per row, its first ``width`` bytes with every ASCII digit made ``0``, as 64-bit words.

    ``wide`` holds whole 8-byte words per row (bytes past ``width`` are ignored). A
    byte ``b`` is a digit when ``b ^ 0x30`` is below 10: adding 0x76 to its low seven
    bits sets the high bit from 10 up, never carrying into the next byte (SWAR).
    """
    words = wide.view("<u8")
    offset = words ^ (_ONES * np.uint64(0x30))
    high = ((offset & (_ONES * np.uint64(0x7F))) + _ONES * np.uint64(0x76)) | offset
    digit = (~high & (_ONES * np.uint64(0x80))) >> np.uint64(7)  # 0x01 in each digit byte
    out: npt.NDArray[np.uint64] = words & ~(digit * np.uint64(0x0F))
    if width % 8:
        out[:, -1] &= np.uint64((1 << 8 * (width % 8)) - 1)  # little-endian: the low bytes
    return out


def _ascii(
    rows: npt.NDArray[np.intp], wide: npt.NDArray[np.uint8], width: int, least: int
) -> list[Shape]:
    """The common shapes among rows of one length: each a template of ``0`` digits and separators."""
    keys = _templates(wide, width)
    mix = keys[:, 0].copy()
    for j in range(1, keys.shape[1]):
        mix = mix * np.uint64(0x9E3779B97F4A7C15) + keys[:, j]
    seen, count = np.unique(mix[:_SAMPLE], return_counts=True)
    out: list[Shape] = []
    for code in seen[np.argsort(-count, kind="stable")][:_MAX_SHAPES]:
        hit = mix == code
        for j in range(1, keys.shape[1]):  # no hash collision
            hit &= keys[:, j] == keys[np.argmax(hit), j]
        mine = np.flatnonzero(hit)
        shape = _read(wide[:, :width], mine, least)
        if shape is not None:
            out.append(Shape(rows[mine], *shape))
    return out


def _read(
    block: npt.NDArray[np.uint8], mine: npt.NDArray[np.intp], least: int
) -> tuple[npt.NDArray[np.uint8], bool, Bools] | None:
    """Digits, plus and bare of rows sharing one template, or None when it is no phone shape."""
    if mine.size < least:
        return None
    template = block[mine[0]].tobytes()
    at = np.array([j for j, c in enumerate(template) if 0x30 <= c <= 0x39], dtype=np.intp)
    plus = template[:1] == b"+"
    others = bytes(c for c in template[int(plus) :] if not 0x30 <= c <= 0x39)
    if not at.size or any(c not in SEPARATORS for c in others):
        return None
    bare = not plus and int(at[-1] - at[0]) + 1 == at.size and all(c in b" \t" for c in others)
    digits = block[mine] if at.size == block.shape[1] else block[mine][:, at]
    digits -= np.uint8(ord("0"))
    return digits, plus, np.full(mine.size, bare)
