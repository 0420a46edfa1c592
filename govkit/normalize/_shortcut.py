"""Phone rows of the commonest shapes settled from their digits, as the general path settles them.

:func:`settle` reads rows by shape (:mod:`._shapes`) and applies the general path's
rules of :func:`govkit.normalize.phones._phone_numbers` to their digits: CN mobiles
(bare, ``86``, ``+86``, ``0086``) and CN landlines (trunk ``0``) are valid when
libphonenumber's CN metadata says so (the proven prefix plans of :mod:`._prefixes`,
else its patterns); other ``+``/``00`` numbers go through
:func:`~govkit.normalize._metadata.e164`. Only rows those settle are returned
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

from govkit.normalize._metadata import any_type, e164
from govkit.normalize._prefixes import plan_for
from govkit.normalize._shapes import Shape, shapes

__all__ = ["LEAST", "Settled", "settle"]

Bools = npt.NDArray[np.bool_]

LEAST = 32
"""Rows a shape needs for the shortcut to read it; rarer shapes go to the general path."""


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
    offsets = np.arange(k + 1, dtype=np.int32) * np.int32(len(prefix) + n)
    return pa.Array.from_buffers(pa.string(), k, [None, pa.py_buffer(offsets), pa.py_buffer(chars)])


def _value(digits: npt.NDArray[np.uint8]) -> npt.NDArray[np.int64]:
    """Rows of up to 15 digit values as integers (exact in float64: below 2**53)."""
    powers = 10.0 ** np.arange(digits.shape[1] - 1, -1, -1)
    out: npt.NDArray[np.int64] = (digits.astype(np.float64) @ powers).astype(np.int64)
    return out


def _cn_valid(national: npt.NDArray[np.uint8]) -> Bools:
    """``any_type(·, "CN")`` of national numbers of one length, by plan when there is one."""
    k, n = national.shape
    table = plan_for("CN", n, k)
    if table is None:
        return any_type(_text(national), "CN")
    return table.lookup(_value(national))


def _cn_skips(shape: Shape, with_cn: bool) -> list[tuple[int, Bools]]:
    r"""Rows that are CN candidates, by how many digits come before the national number.

    The candidates of ``^(?:(?:\+86|0086|86)?(1[3-9][0-9]{9})|0([1-9][0-9]{8,10}))$``,
    as ``_cn_fast`` reads them (without CN among the regions, only ``+86``/``0086``).
    """
    d = shape.digits
    n = d.shape[1]

    def mobile(at: int) -> Bools:
        hit: Bools = (d[:, at] == 1) & (d[:, at + 1] >= 3)
        return hit

    def cn86() -> Bools:
        hit: Bools = (d[:, 0] == 8) & (d[:, 1] == 6) & mobile(2)
        return hit

    if shape.plus:
        return [(2, cn86())] if n == 13 else []
    if n == 15:
        return [(4, (d[:, 0] == 0) & (d[:, 1] == 0) & (d[:, 2] == 8) & (d[:, 3] == 6) & mobile(4))]
    out: list[tuple[int, Bools]] = []
    if with_cn and n == 11:
        out.append((0, mobile(0)))
    if with_cn and n == 13:
        out.append((2, cn86()))
    if with_cn and 10 <= n <= 12:
        out.append((1, (d[:, 0] == 0) & (d[:, 1] >= 1)))
    return out


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
    abroad: list[tuple[Shape, npt.NDArray[np.intp], int]] = []
    for shape in shapes(values, least):
        candidate = np.zeros(len(shape.rows), dtype=bool)
        for skip, hit in _cn_skips(shape, with_cn):
            candidate |= hit
            mine = np.flatnonzero(hit)
            mine = mine[_cn_valid(shape.digits[mine, skip:])]
            rows.append(shape.rows[mine])
            arrays.append(_text(shape.digits[mine, skip:]))
            valid.append(np.ones(mine.size, dtype=bool))
            flags.append(_shape_flag(shape.digits[mine], shape.plus))
            bare.append(shape.bare[mine])
        prefix = 0 if shape.plus else 2  # the digits after "+" or "00"
        if 4 <= shape.digits.shape[1] - prefix <= 20:
            intl = np.flatnonzero(~candidate & (shape.plus | _zeros(shape.digits)))
            abroad.append((shape, intl, prefix))
    if abroad:
        numbers, handled, ok = e164(
            pa.concat_arrays([_text(s.digits[i, p:]) for s, i, p in abroad])
        )
        at = 0
        for s, i, _ in abroad:
            part = handled[at : at + i.size]
            rows.append(s.rows[i[part]])
            valid.append(ok[at : at + i.size][part])
            flags.append(_shape_flag(s.digits[i[part]], s.plus))
            bare.append(s.bare[i[part]])
            at += i.size
        arrays.append(pc.if_else(pa.array(ok[handled]), numbers.filter(pa.array(handled)), None))
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
