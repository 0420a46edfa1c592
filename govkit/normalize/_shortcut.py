"""Phone rows of the commonest shapes settled from their digits, as the general path settles them.

:func:`settle` reads rows by shape (:mod:`._shapes`) and applies the general path's
rules of :func:`govkit.normalize.phones._phone_numbers` to their digits: CN mobiles
(bare, ``86``, ``+86``, ``0086``) and CN landlines (trunk ``0``) are valid when
libphonenumber's CN metadata says so (the proven prefix plans of :mod:`._prefixes`,
else its patterns); other ``+``/``00`` numbers go through
:func:`~govkit.normalize._metadata.international`. Only rows those settle are returned
(valid CN numbers, international numbers it handles); everything else — invalid CN
candidates, national numbers of other regions — is left to the general path, which
defines the result. Tests run both on the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from govkit.normalize._metadata import any_type, international
from govkit.normalize._prefixes import plan_for
from govkit.normalize._shapes import Shape, shapes

__all__ = ["LEAST", "Settled", "settle"]

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

LEAST = 256
"""Rows a shape needs for the shortcut to read it (fewer: the general path's cost is small)."""


@dataclass(frozen=True)
class Settled:
    """Rows settled by their shape: canonical forms (null: not valid) and flags, row by row.

    Attributes:
        rows: indices of the rows settled.
        array: their canonical form, as a ``string`` array (null where not valid).
        valid: canonical form is not null.
        shape: the general path's ``shape`` flag.
        bare: the general path's ``bare`` flag.
    """

    rows: npt.NDArray[np.intp]
    array: pa.Array
    valid: Bools
    shape: Bools
    bare: Bools


def _text(digits: npt.NDArray[np.uint8], prefix: bytes = b"") -> pa.Array:
    """Rows of digit values as strings of one width, after ``prefix``."""
    k, n = digits.shape
    chars = np.empty((k, len(prefix) + n), dtype=np.uint8)
    chars[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
    np.add(digits, np.uint8(ord("0")), out=chars[:, len(prefix) :])
    width = len(prefix) + n
    offsets = np.arange(k + 1, dtype=np.int32) * np.int32(width)
    return pa.Array.from_buffers(
        pa.string(), k, [None, pa.py_buffer(offsets), pa.py_buffer(chars.tobytes())]
    )


def _cn_valid(national: npt.NDArray[np.uint8]) -> Bools:
    """``any_type(·, "CN")`` of national numbers of one length, by plan when there is one."""
    k, n = national.shape
    table = plan_for("CN", n, k)
    if table is None:
        return any_type(_text(national), "CN")
    value = national.astype(np.int64) @ (10 ** np.arange(n - 1, -1, -1, dtype=np.int64))
    return table.lookup(value)


def _cn_skip(shape: Shape, with_cn: bool) -> Ints:
    r"""Per row: digits before the CN national number, or -1 when the row is not a candidate.

    The candidates of ``^(?:(?:\+86|0086|86)?(1[3-9][0-9]{9})|0([1-9][0-9]{8,10}))$``,
    as ``_cn_fast`` reads them (without CN among the regions, only ``+86``/``0086``).
    """
    d = shape.digits
    k, n = d.shape
    skip = np.full(k, -1, dtype=np.int64)

    def mobile(at: int) -> Bools:
        hit: Bools = (d[:, at] == 1) & (d[:, at + 1] >= 3)
        return hit

    if shape.plus:
        if n == 13:
            skip[(d[:, 0] == 8) & (d[:, 1] == 6) & mobile(2)] = 2
        return skip
    if n == 15:
        skip[(d[:, 0] == 0) & (d[:, 1] == 0) & (d[:, 2] == 8) & (d[:, 3] == 6) & mobile(4)] = 4
    if not with_cn:
        return skip
    if n == 11:
        skip[mobile(0)] = 0
    if n == 13:
        skip[(d[:, 0] == 8) & (d[:, 1] == 6) & mobile(2)] = 2
    if 10 <= n <= 12:
        skip[(d[:, 0] == 0) & (d[:, 1] >= 1)] = 1
    return skip


def _shape_flag(digits: npt.NDArray[np.uint8], plus: bool) -> Bools:
    """The general path's ``shape``: 7–15 digits, or 7–15 after a written ``00``."""
    n = digits.shape[1]
    zeros = _zeros(digits) & (not plus)
    out: Bools = (7 <= n <= 15) | (zeros & (7 <= n - 2 <= 15))
    return out


def _zeros(digits: npt.NDArray[np.uint8]) -> Bools:
    """Rows whose digits start with ``00``."""
    if digits.shape[1] < 2:
        return np.zeros(len(digits), dtype=bool)
    out: Bools = (digits[:, 0] == 0) & (digits[:, 1] == 0)
    return out


def settle(values: pa.Array, with_cn: bool, least: int = LEAST) -> Settled:
    """The rows of ``values`` that their shape settles (``with_cn``: CN is among the regions)."""
    rows: list[npt.NDArray[np.intp]] = []
    arrays: list[pa.Array] = []
    valid: list[Bools] = []
    flags: list[Bools] = []
    bare: list[Bools] = []
    abroad: list[tuple[Shape, npt.NDArray[np.intp]]] = []
    for shape in shapes(values, least):
        skip = _cn_skip(shape, with_cn)
        for s in np.unique(skip[skip >= 0]).tolist():
            mine = np.flatnonzero(skip == s)
            ok = _cn_valid(shape.digits[mine, s:])
            mine = mine[ok]
            rows.append(shape.rows[mine])
            arrays.append(_text(shape.digits[mine, s:]))
            valid.append(np.ones(mine.size, dtype=bool))
            flags.append(_shape_flag(shape.digits[mine], shape.plus))
            bare.append(shape.bare[mine])
        intl = np.flatnonzero((skip < 0) & (shape.plus | _zeros(shape.digits)))
        if intl.size:
            abroad.append((shape, intl))
    if abroad:
        texts = pa.concat_arrays([_text(s.digits[i], b"+" if s.plus else b"") for s, i in abroad])
        e164, handled, ok = international(texts)
        at = 0
        for s, i in abroad:
            part = handled[at : at + i.size]
            rows.append(s.rows[i[part]])
            valid.append(ok[at : at + i.size][part])
            flags.append(_shape_flag(s.digits[i[part]], s.plus))
            bare.append(s.bare[i[part]])
            at += i.size
        arrays.append(pc.if_else(pa.array(ok[handled]), e164.filter(pa.array(handled)), None))
    if not rows:
        empty = np.zeros(0, dtype=bool)
        return Settled(np.zeros(0, dtype=np.intp), pa.array([], pa.string()), empty, empty, empty)
    return Settled(
        np.concatenate(rows),
        pa.concat_arrays(arrays),
        np.concatenate(valid),
        np.concatenate(flags),
        np.concatenate(bare),
    )
