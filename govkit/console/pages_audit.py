"""Auditor pages: search the log (server-side pages), per-actor summaries, verify now, export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from fastapi import Request, Response

from govkit.audit.query import AuditQuery, parse_time
from govkit.console.app import console_of, roles, session_of
from govkit.console.auditview import (
    EXPORT_COLUMNS,
    Filters,
    actor_summary,
    export_row,
    matching,
    page,
)
from govkit.console.pages import record_view
from govkit.errors import UsageError
from govkit.models import AuditEvent

if TYPE_CHECKING:
    from fastapi import FastAPI

    from govkit.audit.store import AuditStore

AUDITOR = ("auditor",)
EMPTY = Filters(AuditQuery())


def _filters(request: Request) -> tuple[Filters | None, str]:
    try:
        filters = Filters.from_params(dict(request.query_params))
        for field in ("since", "until"):
            value = getattr(filters.query, field)
            if value:
                parse_time(value)
        return filters, ""
    except (UsageError, ValueError) as exc:
        text = str(exc) if isinstance(exc, UsageError) else "a filter is not valid"
        return None, text


def _details(filters: Filters) -> dict[str, str]:
    return {f"filter_{k}": v for k, v in filters.params().items()}


def register(app: FastAPI) -> None:
    """Add the audit pages."""
    from fastapi.responses import StreamingResponse

    @app.get("/audit")
    @roles(*AUDITOR)
    def audit(request: Request, before: int | None = None) -> Response:
        console = console_of(request)
        filters, error = _filters(request)
        found = None
        if filters is not None:
            found = page(console.store, filters, before=before, size=console.config.page_size)
        params = filters.params() if filters else {}
        record_view(request, "audit", dataset=params.get("dataset"), **_details(filters or EMPTY))
        return console.render(
            request, "audit.html", page=found, params=params, error=error, before=before,
        )  # fmt: skip

    @app.get("/audit/actors")
    @roles(*AUDITOR)
    def actors(request: Request) -> Response:
        console = console_of(request)
        filters, error = _filters(request)
        rows = actor_summary(console.store, filters) if filters else []
        record_view(request, "audit.actors")
        params = filters.params() if filters else {}
        return console.render(request, "actors.html", rows=rows, params=params, error=error)

    @app.post("/audit/verify")
    @roles(*AUDITOR)
    def verify(request: Request) -> Response:
        from govkit.audit.api import verify_log

        console = console_of(request)
        session = session_of(request)
        settings = console.config.settings.model_copy(update={"actor": session.user})
        # A clean result is recorded as audit.verify in the auditor's name; a failed one is
        # shown but not appended: that would sign a checkpoint over the tampered history.
        result = verify_log(settings, record=True)
        return console.render(request, "verify.html", result=result)

    @app.get("/audit/export")
    @roles(*AUDITOR)
    def export(request: Request, format: str = "csv") -> Response:
        console = console_of(request)
        session = session_of(request)
        filters, error = _filters(request)
        if filters is None or format not in ("csv", "jsonl"):
            return console.render(
                request, "error.html", 400, message=error or "format: csv or jsonl"
            )
        console.record(
            session.user,
            AuditEvent(action="audit.export", role=session.role,
                       details={"format": format, "via": "console", **_details(filters)}),
        )  # fmt: skip
        rows = _export_rows(console.store, filters, format)
        media = "text/csv" if format == "csv" else "application/x-ndjson"
        return StreamingResponse(
            rows, media_type=f"{media}; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="audit-export.{format}"'},
        )  # fmt: skip


def _export_rows(store: AuditStore, filters: Filters, format: str) -> Iterator[str]:
    """The export file's text, in chunks (CSV with a header row, or one JSON object a line)."""
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_COLUMNS)
        for record in matching(store, filters):
            writer.writerow(export_row(record))
            if buffer.tell() > 65536:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()
        return
    for record in matching(store, filters):
        body = {"seq": record.seq, "hash": record.hash, **record.event}
        yield json.dumps(body, ensure_ascii=False, sort_keys=True) + "\n"
