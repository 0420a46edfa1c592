"""Export the chain for an external auditor: JSONL or CSV plus the signed checkpoint.

Each line/row carries the stored columns an auditor needs to recompute the
chain (``seq``, projection columns, ``body`` — the exact canonical JSON that was
hashed —, ``prev_hash``, ``hash``, ``mac``, ``key_id``). Beside the export,
``<output>.checkpoint.json`` holds the checkpoint signed at export time with the
public key; the exported rows end at its size. Both files are written to
temporary names and renamed only after the ``audit.export`` event is recorded.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from govkit.audit.checkpoints import Checkpoint, to_json
from govkit.audit.query import AuditQuery, filter_clauses
from govkit.errors import AuditError, OutputExistsError, UsageError

if TYPE_CHECKING:
    from govkit.audit.store import AuditStore

ExportFormat = Literal["jsonl", "csv"]
COLUMNS = (
    "seq", "ts", "actor", "role", "action", "outcome", "dataset",
    "body", "prev_hash", "hash", "mac", "key_id",
)  # fmt: skip


class ExportResult(BaseModel):
    """What ``govkit audit export`` wrote (JSON schema in docs/audit.md)."""

    model_config = ConfigDict(extra="forbid")

    output: str
    checkpoint_file: str
    format: ExportFormat
    events: int
    checkpoint: Checkpoint


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _write_rows(store: AuditStore, q: AuditQuery, size: int, fmt: str, handle: IO[str]) -> int:
    ev = store.tables.events
    stmt = (
        sa.select(*(ev.c[name] for name in COLUMNS))
        .where(*filter_clauses(store, q), ev.c.seq <= size)
        .order_by(ev.c.seq)
    )
    writer = csv.writer(handle) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(COLUMNS)
    count = 0
    with store.engine.connect() as conn:
        for row in conn.execution_options(stream_results=True, yield_per=5000).execute(stmt):
            if writer is not None:
                writer.writerow(["" if v is None else v for v in row])
            else:
                handle.write(json.dumps(dict(zip(COLUMNS, row, strict=True)), ensure_ascii=False))
                handle.write("\n")
            count += 1
    return count


def export_log(
    store: AuditStore,
    output: Path,
    *,
    fmt: ExportFormat = "jsonl",
    filters: AuditQuery | None = None,
    overwrite: bool = False,
    before_publish: Callable[[ExportResult], None] | None = None,
) -> ExportResult:
    """Write the (filtered) chain and its signed checkpoint atomically.

    Args:
        store: the opened store.
        output: the export file; the checkpoint goes to ``<output>.checkpoint.json``.
        fmt: ``jsonl`` or ``csv``.
        filters: optional query filters (the checkpoint always covers the whole chain).
        overwrite: replace existing files.
        before_publish: called with the result before the files are renamed into
            place (the CLI records the ``audit.export`` event there; if it raises,
            nothing is published).

    Raises:
        OutputExistsError: a target exists and ``overwrite`` is false.
        UsageError: unknown format.
        AuditError: the store or the files cannot be read or written.
    """
    if fmt not in ("jsonl", "csv"):
        raise UsageError(f"export format must be jsonl or csv, not {fmt!r}")
    cp_path = output.with_name(output.name + ".checkpoint.json")
    for target in (output, cp_path):
        if target.exists() and not overwrite:
            raise OutputExistsError(f"{target}: exists; pass --overwrite to replace it")
    checkpoint = store.checkpoint()
    tmp_out, tmp_cp = _tmp(output), _tmp(cp_path)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp_out, "w", encoding="utf-8", newline="") as handle:
            count = _write_rows(store, filters or AuditQuery(), checkpoint.size or 0, fmt, handle)
            handle.flush()
            os.fsync(handle.fileno())
        tmp_cp.write_text(
            json.dumps(to_json(checkpoint, store.keys), indent=2) + "\n", encoding="utf-8"
        )
        result = ExportResult(
            output=str(output),
            checkpoint_file=str(cp_path),
            format=fmt,
            events=count,
            checkpoint=checkpoint,
        )
        if before_publish is not None:
            before_publish(result)
        os.replace(tmp_cp, cp_path)
        os.replace(tmp_out, output)
    except OSError as exc:
        raise AuditError(f"{output}: cannot write the export: {exc.strerror}") from exc
    except sa.exc.SQLAlchemyError as exc:
        raise AuditError(f"{store.url}: cannot read the audit log ({type(exc).__name__})") from exc
    finally:
        tmp_out.unlink(missing_ok=True)
        tmp_cp.unlink(missing_ok=True)
    return result
