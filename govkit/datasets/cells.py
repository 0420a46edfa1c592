"""Spreadsheet safety for text outputs: formula injection and output encodings.

A cell that starts with ``=``, ``+``, ``-``, ``@``, TAB or CR may be run as a
formula when a CSV/TSV file is opened in Excel or LibreOffice (OWASP "CSV
Injection"). Every CSV/TSV writer of govkit prefixes such a cell with a single
quote — except a ``+``/``-`` value made only of digits, spaces and ``.,()/+-``
(``-5``, ``+86 138-1234-5678``): with no letter, ``!``, ``|`` or ``"`` it cannot
call a function or reach a cell, so phone numbers stay intact. ``.xlsx`` cells
are always stored as text, never as formulas. Machine consumers that need the
bytes unchanged set ``GOVKIT_KEEP_FORMULAS=1`` (or pass ``--keep-formulas``).
"""

from __future__ import annotations

import os
import re
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc

OutputEncoding = Literal["utf-8", "utf-8-sig", "gb18030"]
OUTPUT_ENCODINGS: tuple[str, ...] = ("utf-8", "utf-8-sig", "gb18030")

# A value already starting with quotes before a trigger is quoted once more, so
# that :func:`restore` can undo :func:`neutralise` exactly.
_TRIGGER = r"^'*[=+\-@\t\r]"
_NUMBER = r"^[+-][0-9 .,()/+\-]*$|^'*[+-]?[0-9][0-9.]*([eE][+-]?[0-9]+)?$"
_TRIGGER_RE = re.compile(_TRIGGER)
_FIRST = ["=", "+", "-", "@", "\t", "\r", "'"]
_NUMBER_RE = re.compile(_NUMBER)


def keep_formulas(flag: bool | None = None) -> bool:
    """Whether to write formula-like cells verbatim: the flag, else ``GOVKIT_KEEP_FORMULAS``."""
    if flag is not None:
        return flag
    return os.environ.get("GOVKIT_KEEP_FORMULAS", "").strip().lower() in ("1", "true", "yes")


def neutralise(value: str) -> str:
    """Prefix a formula-like text cell with ``'`` (plain numbers pass unchanged)."""
    if _TRIGGER_RE.match(value) and not _NUMBER_RE.match(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """Undo :func:`neutralise` (for readers of govkit's own CSV, e.g. audit exports)."""
    if value.startswith("'") and neutralise(value[1:]) != value[1:]:
        return value[1:]
    return value


def neutralise_cell(value: object) -> object:
    """:func:`neutralise` for any cell value (non-text passes unchanged)."""
    return neutralise(value) if isinstance(value, str) else value


def neutralise_array(array: pa.Array) -> pa.Array:
    """Neutralise every formula-like value of a string column (other types pass)."""
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return array
    # Cheap first pass (one code unit per cell); the regexes run only on columns with a hit.
    first = pc.utf8_slice_codeunits(array, 0, 1)
    if not pc.any(pc.is_in(first, value_set=pa.array(_FIRST, array.type))).as_py():
        return array
    risky = pc.and_not(
        pc.match_substring_regex(array, _TRIGGER), pc.match_substring_regex(array, _NUMBER)
    )
    if not pc.any(risky).as_py():
        return array
    quoted = pc.binary_join_element_wise(pa.scalar("'", array.type), array, "")
    return pc.if_else(pc.fill_null(risky, False), quoted, array)


def neutralise_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Neutralise every string column of ``batch``."""
    return pa.RecordBatch.from_arrays(
        [neutralise_array(c) for c in batch.columns], schema=batch.schema
    )


def check_encoding(encoding: str) -> OutputEncoding:
    """Return ``encoding`` normalised, or raise ValueError naming the choices."""
    name = encoding.strip().lower().replace("_", "-")
    name = {"utf8": "utf-8", "utf8-sig": "utf-8-sig", "gbk": "gb18030"}.get(name, name)
    if name not in OUTPUT_ENCODINGS:
        raise ValueError(
            f"unknown output encoding {encoding!r} (use {', '.join(OUTPUT_ENCODINGS)})"
        )
    return name  # type: ignore[return-value]
