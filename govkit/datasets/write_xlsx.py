"""Writing an ``.xlsx`` sheet: text stays text (never a formula), limits named, no value echoed."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa

from govkit.errors import DatasetError

XLSX_MAX_ROWS = 1_048_576 - 1  # the sheet's limit, less the header row


def _xlsx_refusal(path: Path, record: dict[str, Any]) -> DatasetError:
    """Name the column whose value Excel cannot store (never the value)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    bad = [k for k, v in record.items() if isinstance(v, str) and ILLEGAL_CHARACTERS_RE.search(v)]
    where = f"column {bad[0]!r}" if bad else "a value"
    return DatasetError(
        f"{path}: {where} holds control characters an .xlsx sheet cannot store; "
        "write .csv, .jsonl or .parquet instead"
    )


def _xlsx_value(value: object, sheet: Any) -> object:
    """A cell for ``value``: text stays text (never a formula), nested values become JSON."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would store it as a live formula
        return cell
    if isinstance(value, bytes):
        return value.hex()
    return value


def write_xlsx(
    batches: Iterable[pa.RecordBatch], schema: pa.Schema, path: Path, target: Path
) -> int:
    """Write batches to the workbook ``path`` (errors name ``target``); return the row count."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils.exceptions import IllegalCharacterError

    bad = [i for i, n in enumerate(schema.names, 1) if ILLEGAL_CHARACTERS_RE.search(n)]
    if bad:
        raise DatasetError(
            f"{target}: the name of column {bad[0]} holds control characters an .xlsx sheet "
            "cannot store; rename it or write .csv, .jsonl or .parquet instead"
        )
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append([_xlsx_value(n, sheet) for n in schema.names])
    rows = 0
    try:
        for batch in batches:
            rows += batch.num_rows
            if rows > XLSX_MAX_ROWS:
                raise DatasetError(
                    f"{target}: more than {XLSX_MAX_ROWS:,} rows do not fit an .xlsx sheet"
                )
            for record in batch.to_pylist():
                try:
                    sheet.append([_xlsx_value(record[n], sheet) for n in schema.names])
                except IllegalCharacterError as exc:
                    raise _xlsx_refusal(target, record) from exc
                except (TypeError, ValueError) as exc:
                    raise DatasetError(
                        f"{target}: a value of type {type(exc).__name__} cannot be stored in "
                        ".xlsx; write .parquet or .jsonl instead"
                    ) from exc
    except BaseException:
        # Finish and delete openpyxl's own temporary sheet file before re-raising.
        with contextlib.suppress(Exception):
            sheet.close()
            sheet._writer.cleanup()
        raise
    book.save(path)
    return rows
