"""Check characters for a whole batch at once (numpy), equal to ``govkit.detect.validators``'.

``luhn_check_digit`` and ``cn_resident_id_check_char`` are per-value Python loops
(~2 µs each, as much as the FF1 call itself); FPE recomputes them for every value,
so it groups the bodies by length and does the arithmetic in numpy. Tests pin the
results to the scalar helpers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

Digits = npt.NDArray[np.int64]
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHARS = np.array(list("10X98765432"))


def _by_length(
    bodies: list[str], per_length: Callable[[Digits], npt.NDArray[np.str_]]
) -> list[str]:
    out = [""] * len(bodies)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, body in enumerate(bodies):
        groups[len(body)].append(i)
    for length, rows in groups.items():
        text = "".join(bodies[i] for i in rows).encode("ascii")
        digits = np.frombuffer(text, dtype=np.uint8).reshape(-1, length).astype(np.int64) - 48
        for i, char in zip(rows, per_length(digits).tolist(), strict=True):
            out[i] = char
    return out


def _luhn(digits: Digits) -> npt.NDArray[np.str_]:
    from_right = digits[:, ::-1]
    doubled = from_right[:, 0::2] * 2
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    total = doubled.sum(axis=1) + from_right[:, 1::2].sum(axis=1)
    result: npt.NDArray[np.str_] = ((10 - total % 10) % 10).astype(str)
    return result


def _resident_id(digits: Digits) -> npt.NDArray[np.str_]:
    result: npt.NDArray[np.str_] = _ID_CHARS[(digits @ _ID_WEIGHTS) % 11]
    return result


def luhn_check_digits(bodies: list[str]) -> list[str]:
    """``luhn_check_digit(b)`` for every body (ASCII digits, at least one)."""
    return _by_length(bodies, _luhn)


def resident_id_check_chars(bodies: list[str]) -> list[str]:
    """``cn_resident_id_check_char(b)`` for every 17-digit body."""
    return _by_length(bodies, _resident_id)
