r"""Validity of national numbers decided by their leading digits, proven from the metadata.

:func:`govkit.normalize._metadata.any_type` asks whether a region's general pattern
and one of its number-type patterns match a national number. For numbers of one
length that answer often depends on the first few digits only (a CN mobile on its
first five, a CN number of 11 digits on its first six), so it can be looked up per
row instead of running every pattern over every row.

:func:`plan` proves, per (region, length), which leading digits decide. Each
pattern is rewritten twice: with ``X`` accepted wherever *any* digit is (``\d``),
and with ``Y`` accepted wherever *some* digit is (every digit atom). For a prefix
``p`` of ``m`` missing digits, a match of ``p + "X" * m`` shows that every
completion matches (each ``X`` sat where any digit fits); no match of
``p + "Y" * m`` shows that none does (any matching completion would let ``Y`` pass
the same atoms). The two answers combine in three-valued logic (general pattern
AND any type); a prefix left open is split into its ten children, down to whole
numbers, which are matched exactly. The leaves partition the numbers of that length
into ranges, and a row's validity is the value of the range its number falls in.
Patterns with syntax the rewrite does not know, and plans that would grow too big,
are not planned (None): the caller runs the regexes, as it does for lengths with too
few rows to pay for building a plan (:func:`plan_for`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from phonenumbers.phonemetadata import PhoneMetadata

__all__ = ["TYPES", "Plan", "plan", "plan_for", "rewrite"]

TYPES = (
    "mobile", "fixed_line", "premium_rate", "toll_free", "shared_cost", "voip",
    "personal_number", "pager", "uan", "voicemail",
)  # fmt: skip
"""Every number type ``_number_type_helper`` tries (order is irrelevant to "any")."""

MAX_NODES = 50_000
"""Prefixes a plan may look at before it gives up (the regexes then decide)."""
DENSE = 6
"""Deciding digits up to which a plan is also kept as a table (10**6 bytes at most)."""
MAX_LENGTH = 18
"""Longest national number planned (its value must fit an int64)."""
WORTH = 4096
"""Rows of one length (over all calls) from which building a plan (up to ~0.1 s, once) pays."""
WORTH_CALLS = 8
"""Calls for one length after which a plan pays (a call's RE2 compile: ~0.2-1 ms; a plan: 5-70 ms)."""

_TOKEN = re.compile(r"\\d|\[[0-9\-]*\]|\{[0-9]+(?:,[0-9]*)?\}|\(\?:|[()|?]|[0-9]")


def rewrite(pattern: str, symbol: str, *, every_digit: bool) -> str:
    r"""``pattern`` with ``symbol`` also accepted by ``\d`` (and by every digit atom if asked).

    Raises:
        ValueError: the pattern uses syntax other than digits, ``\d``, digit classes,
            ``(?:``, ``(``, ``)``, ``|``, ``?`` and ``{n}``/``{n,m}``.
    """
    out: list[str] = []
    position = 0
    for token in _TOKEN.finditer(pattern):
        if token.start() != position:
            raise ValueError("unsupported pattern syntax")
        text, position = token.group(), token.end()
        if text == "\\d":
            out.append(f"[0-9{symbol}]")
        elif text.startswith("[") and every_digit:
            out.append(text[:-1] + symbol + "]")
        elif text.isdigit() and every_digit:
            out.append(f"[{text}{symbol}]")
        else:
            out.append(text)
    if position != len(pattern):
        raise ValueError("unsupported pattern syntax")
    return "".join(out)


@dataclass(frozen=True)
class _Test:
    exact: re.Pattern[str]
    every: re.Pattern[str]  # X where any digit fits
    some: re.Pattern[str]  # Y where some digit fits

    def decide(self, prefix: str, missing: int) -> bool | None:
        """True: every completion matches; False: none does; None: it depends."""
        if not missing:
            return self.exact.fullmatch(prefix) is not None
        if self.every.fullmatch(prefix + "X" * missing):
            return True
        if not self.some.fullmatch(prefix + "Y" * missing):
            return False
        return None


def _test(desc: Any, length: int) -> _Test | None:
    """The test of one number description for numbers of ``length`` digits (None: never)."""
    if desc is None or not desc.national_number_pattern:
        return None
    if desc.possible_length and length not in desc.possible_length:
        return None
    pattern = desc.national_number_pattern
    return _Test(
        re.compile(pattern),
        re.compile(rewrite(pattern, "X", every_digit=False)),
        re.compile(rewrite(pattern, "Y", every_digit=True)),
    )


def _all(values: list[bool | None]) -> bool | None:
    if any(v is False for v in values):
        return False
    return True if all(v is True for v in values) else None


def _any(values: list[bool | None]) -> bool | None:
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


@dataclass(frozen=True)
class Plan:
    """Ranges of the numbers of one length (as integers) and whether each range is valid.

    Attributes:
        length: digits of the numbers planned.
        starts: first number of each range, ascending; the first is 0.
        valid: validity of each range.
        prefixes: the deciding prefixes, one per range (for tests).
    """

    length: int
    starts: npt.NDArray[np.int64]
    valid: npt.NDArray[np.bool_]
    prefixes: tuple[str, ...]

    def lookup(self, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Validity of each number (an integer below ``10 ** length``)."""
        table = self._table
        if table is not None:  # one read by the deciding digits instead of a binary search
            out: npt.NDArray[np.bool_] = table[numbers // 10 ** (self.length - self._digits)]
            return out
        at = np.searchsorted(self.starts, numbers, side="right") - 1
        out = self.valid[at]
        return out

    @cached_property
    def _digits(self) -> int:
        """Leading digits that decide every number: the longest deciding prefix."""
        return max((len(p) for p in self.prefixes), default=0)

    @cached_property
    def _table(self) -> npt.NDArray[np.bool_] | None:
        """Validity per value of the deciding digits, when there are at most ``DENSE`` of them."""
        if self._digits > DENSE:
            return None
        heads = np.arange(10**self._digits, dtype=np.int64) * 10 ** (self.length - self._digits)
        out: npt.NDArray[np.bool_] = self.valid[
            np.searchsorted(self.starts, heads, side="right") - 1
        ]
        return out


_BUILT: dict[tuple[str, int], Plan | None] = {}
_SEEN: dict[tuple[str, int], tuple[int, int]] = {}
"""Rows and calls of each (region, length) asked about so far in this process."""


def plan_for(region: str, length: int, rows: int) -> Plan | None:
    """:func:`plan`, once it is built or what was asked so far makes building it worth it.

    Rows and calls are counted over the process, so a stream of batches that each hold
    a few numbers of one length still gets its plan: once its rows pass :data:`WORTH`,
    or its calls :data:`WORTH_CALLS` (each regex call compiles the region's patterns).
    """
    key = (region, length)
    if key not in _BUILT:
        seen, calls = _SEEN.get(key, (0, 0))
        _SEEN[key] = (seen + rows, calls + 1)
        if seen + rows < WORTH and calls + 1 < WORTH_CALLS:
            return None
        _BUILT[key] = plan(region, length)
    return _BUILT[key]


@cache
def plan(region: str, length: int) -> Plan | None:
    """The proven prefix plan of ``any_type(·, region)`` for ``length``-digit numbers, or None."""
    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None or not 1 <= length <= MAX_LENGTH:
        return None
    try:
        general = _test(meta.general_desc, length)
        types = [t for t in (_test(getattr(meta, name), length) for name in TYPES) if t]
    except ValueError:
        return None
    leaves: list[tuple[str, bool]] = []
    stack = [""]
    nodes = 0
    while stack:
        prefix = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return None
        missing = length - len(prefix)
        first = general.decide(prefix, missing) if general else False
        verdict = _all([first, _any([t.decide(prefix, missing) for t in types])])
        if verdict is None:
            stack.extend(prefix + d for d in "9876543210")
        else:
            leaves.append((prefix, verdict))
    leaves.sort(key=lambda leaf: int(leaf[0] or 0) * 10 ** (length - len(leaf[0])))
    starts = [int(p or 0) * 10 ** (length - len(p)) for p, _ in leaves]
    return Plan(
        length,
        np.array(starts, dtype=np.int64),
        np.array([v for _, v in leaves], dtype=bool),
        tuple(p for p, _ in leaves),
    )
