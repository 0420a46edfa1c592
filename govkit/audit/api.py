"""Library entry points behind ``govkit audit …`` (each opens the store from settings)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from govkit.audit.checkpoints import Checkpoint
from govkit.audit.events import stamp
from govkit.audit.export import ExportFormat, ExportResult, export_log
from govkit.audit.findings import VerifyResult
from govkit.audit.period import PeriodReport, build_period_report
from govkit.audit.query import AuditQuery, AuditRecord, query_store
from govkit.audit.report import write_period_html
from govkit.audit.store import AuditStore
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings


def verify_log(
    settings: GovkitSettings,
    *,
    checkpoint_files: Sequence[Path] | None = None,
    record: bool = True,
) -> VerifyResult:
    """Verify the audit chain; on a clean result, record ``audit.verify`` afterwards.

    The event is appended only after the stream has been checked, and only when
    no integrity finding turned up: appending to a tampered chain would sign a
    new checkpoint over the tampered history.

    Raises:
        AuditError: the store or a checkpoint cannot be read (or the event not written).
    """
    store = AuditStore.open(settings, create=False)
    try:
        result = store.verify(checkpoint_files=checkpoint_files)
        if record and result.ok:
            store.append(
                [
                    stamp(
                        AuditEvent(
                            action="audit.verify",
                            counts={"events": result.events, "anchored": result.anchored},
                            details={
                                "head_seq": result.head_seq,
                                "warnings": len(result.findings),
                                "checkpoints": len(result.checkpoints),
                            },
                        ),
                        settings,
                    )
                ]
            )
        return result
    finally:
        store.close()


def query_log(settings: GovkitSettings, filters: AuditQuery) -> list[AuditRecord]:
    """Return matching events in chain order."""
    store = AuditStore.open(settings, create=False)
    try:
        return list(query_store(store, filters))
    finally:
        store.close()


def export_audit(
    settings: GovkitSettings,
    output: Path,
    *,
    fmt: ExportFormat = "jsonl",
    filters: AuditQuery | None = None,
    overwrite: bool = False,
) -> ExportResult:
    """Export the log and its checkpoint; ``audit.export`` is recorded before the files appear."""
    store = AuditStore.open(settings)

    def record(result: ExportResult) -> None:
        event = AuditEvent(
            action="audit.export",
            counts={"events": result.events},
            details={"output": str(output), "format": fmt, "size": result.checkpoint.size},
        )
        store.append([stamp(event, settings)])

    try:
        return export_log(
            store, output, fmt=fmt, filters=filters, overwrite=overwrite, before_publish=record
        )
    finally:
        store.close()


def period_report(
    settings: GovkitSettings,
    output: Path,
    *,
    since: str | None,
    until: str | None,
    verify: bool = True,
    overwrite: bool = False,
    as_json: bool = False,
) -> PeriodReport:
    """Build the period summary and write it as one self-contained HTML page (or JSON)."""
    store = AuditStore.open(settings, create=False)
    try:
        report = build_period_report(store, since=since, until=until, verify=verify)
    finally:
        store.close()
    write_period_html(report, output, overwrite=overwrite, as_json=as_json)
    return report


def sign_checkpoint_now(settings: GovkitSettings) -> Checkpoint:
    """Sign the current head, move the checkpoint file forward, return it (for witnesses)."""
    store = AuditStore.open(settings)
    try:
        return store.checkpoint()
    finally:
        store.close()
