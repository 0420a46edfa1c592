"""Resource limits on what govkit reads: a zip bomb or a pathological file fails fast.

Each limit has a default, an environment variable and a global CLI option
(``govkit --max-columns 200000 scan wide.csv``) that raises it:

=====================  ========================  =====================  ===========
limit                  what                      variable               default
=====================  ========================  =====================  ===========
``max_xlsx_mb``        uncompressed .xlsx size   GOVKIT_MAX_XLSX_MB     1024 MB
``max_columns``        columns of a dataset      GOVKIT_MAX_COLUMNS     10,000
``max_cell_chars``     characters in one cell    GOVKIT_MAX_CELL_CHARS  10,000,000
=====================  ========================  =====================  ===========
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from govkit.errors import DatasetError, UsageError

DEFAULTS: dict[str, int] = {
    "GOVKIT_MAX_XLSX_MB": 1024,
    "GOVKIT_MAX_COLUMNS": 10_000,
    "GOVKIT_MAX_CELL_CHARS": 10_000_000,
}
_FLAGS = {
    "GOVKIT_MAX_XLSX_MB": "--max-xlsx-mb",
    "GOVKIT_MAX_COLUMNS": "--max-columns",
    "GOVKIT_MAX_CELL_CHARS": "--max-cell-chars",
}


def limit(name: str) -> int:
    """The limit ``name`` (a ``GOVKIT_MAX_*`` variable), from the environment or the default."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return DEFAULTS[name]
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise UsageError(f"{name}={raw!r}: expected a whole number") from None
    if value < 1:
        raise UsageError(f"{name}={raw!r}: must be at least 1")
    return value


def _raise_with(name: str) -> str:
    return f"raise the limit with {_FLAGS[name]} or {name}"


def check_xlsx(path: Path) -> None:
    """Refuse a workbook whose members inflate past the limit (a zip bomb), before parsing."""
    cap = limit("GOVKIT_MAX_XLSX_MB")
    try:
        with zipfile.ZipFile(path) as book:
            total = sum(info.file_size for info in book.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise DatasetError(f"{path}: not a readable .xlsx workbook") from exc
    if total > cap * 1024 * 1024:
        raise DatasetError(
            f"{path}: the workbook unpacks to {total / 1024 / 1024:,.0f} MB, over the "
            f"{cap:,} MB limit; {_raise_with('GOVKIT_MAX_XLSX_MB')}"
        )


def check_columns(where: str, count: int) -> None:
    """Refuse a dataset with more columns than the limit."""
    cap = limit("GOVKIT_MAX_COLUMNS")
    if count > cap:
        raise DatasetError(
            f"{where}: {count:,} columns, over the {cap:,}-column limit; "
            f"{_raise_with('GOVKIT_MAX_COLUMNS')}"
        )


def check_cells(where: str, batch: pa.RecordBatch) -> pa.RecordBatch:
    """Refuse a batch holding a text cell longer than the limit (names the column)."""
    cap = limit("GOVKIT_MAX_CELL_CHARS")
    for field, column in zip(batch.schema, batch.columns, strict=True):
        if not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
            continue
        if column.nbytes <= cap:  # no cell can be longer than the column's bytes
            continue
        longest = pc.max(pc.utf8_length(column)).as_py()
        if longest is not None and longest > cap:
            raise DatasetError(
                f"{where}: column {field.name!r} has a cell of {longest:,} characters, over the "
                f"{cap:,}-character limit; {_raise_with('GOVKIT_MAX_CELL_CHARS')}"
            )
    return batch
