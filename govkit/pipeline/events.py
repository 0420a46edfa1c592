"""The run's own audit events (``run.start``, ``run.finish``); stages record theirs.

Scan, validate, access and protect events come from the stage functions (one
builder per action), tagged with the run id by :class:`~govkit.pipeline.context.RunContext`.
"""

from __future__ import annotations

from govkit.models import AuditEvent
from govkit.pipeline.model import Pipeline
from govkit.report.model import RunReport


def start_event(pipeline: Pipeline) -> AuditEvent:
    """``run.start``: which pipeline, how many sources and outputs."""
    return AuditEvent(
        action="run.start",
        details={
            "pipeline": pipeline.name,
            "file": str(pipeline.source_file or ""),
            "sources": len(pipeline.sources),
            "outputs": len(pipeline.outputs),
        },
    )


def publish_event(report: RunReport) -> AuditEvent:
    """``run.publish``: every output is staged and authorised; publishing starts."""
    return AuditEvent(
        action="run.publish",
        counts={
            "outputs": len(report.outputs),
            "rows_out": sum(o.rows_out or 0 for o in report.outputs),
        },
        details={"pipeline": report.name, "status": "publishing"},
    )


def finish_event(report: RunReport, error: BaseException | None) -> AuditEvent:
    """``run.finish``: success once published, or why not (naming what was published)."""
    if error is None:
        return AuditEvent(
            action="run.finish",
            counts={
                "outputs": len(report.outputs),
                "rows_out": sum(o.rows_out or 0 for o in report.outputs),
            },
            details={"pipeline": report.name, "status": "published"},
        )
    return AuditEvent(
        action="run.finish",
        outcome="failure",
        reason=f"{report.error.type}: {report.error.message}" if report.error else None,
        details={
            "pipeline": report.name,
            "status": "failed",
            "stage": report.error.stage if report.error else None,
            "published": ",".join(o.name for o in report.outputs if o.published) or None,
        },
    )
