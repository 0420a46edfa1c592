"""The audit events a run records: names, counts, tiers and hashes — never values."""

from __future__ import annotations

from collections import Counter

from govkit.models import AuditEvent
from govkit.pipeline.classify import SourceState
from govkit.pipeline.model import Pipeline
from govkit.pipeline.plan import OutputPlan
from govkit.report.model import RunReport


def tag(event: AuditEvent, run_id: str) -> AuditEvent:
    """The event with the run id in its details (so one run's events can be queried)."""
    return event.model_copy(update={"details": {**event.details, "run_id": run_id}})


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


def scan_event(state: SourceState) -> AuditEvent:
    """``scan``: the personal columns found and the PII gate's verdict."""
    report = state.report
    personal = [c.name for c in report.columns if c.entity or c.entities]
    return AuditEvent(
        action="scan",
        outcome="failure" if report.gate_columns else "success",
        reason=(
            f"not in the catalog at tier {report.pii_gate}: {', '.join(report.gate_columns)}"
            if report.gate_columns
            else None
        ),
        dataset=report.uri + (f"#{report.table}" if report.table else ""),
        fingerprint=report.fingerprint,
        columns=personal,
        counts={f"tier_{k}": v for k, v in sorted(report.tiers.items())}
        | {k: v for k, v in report.detections.items()},
        details={"source": report.name, "gate": report.pii_gate},
    )


def validate_event(state: SourceState) -> AuditEvent:
    """``validate``: the suite and its pass/fail counts."""
    report = state.report
    quality = report.quality
    assert quality is not None
    return AuditEvent(
        action="validate",
        outcome="failure" if quality.blocking else "success",
        dataset=report.uri + (f"#{report.table}" if report.table else ""),
        fingerprint=report.fingerprint,
        columns=sorted({r.column for r in quality.results if r.column and not r.success}),
        counts={
            "evaluated": quality.evaluated,
            "passed": quality.passed,
            "failed": quality.failed,
            "warnings": quality.warnings,
        },
        details={"source": report.name, "suite": quality.suite},
    )


def decide_event(plan: OutputPlan, state: SourceState) -> AuditEvent:
    """``access.decide``: the role, purpose, views granted and the rules that decided."""
    out = plan.report
    views = Counter(c.view for c in out.columns)
    return AuditEvent(
        action="access.decide",
        outcome="success" if out.allowed else "denied",
        reason=out.reason or None,
        dataset=state.report.uri + (f"#{state.report.table}" if state.report.table else ""),
        columns=[c.column for c in out.columns if c.view != "deny"],
        role=out.role,
        purpose=out.purpose,
        rule_ids=list(plan.decision.rule_ids),
        policy_hash=plan.decision.policy_hash,
        counts={f"view_{k}": v for k, v in sorted(views.items())},
        details={"output": out.name, "row_filter": out.row_filter},
    )


def protect_event(plan: OutputPlan, state: SourceState) -> AuditEvent:
    """``protect``: what was staged for one output (published only if the run finishes)."""
    out = plan.report
    transforms = Counter(c.transform for c in out.columns if c.transform)
    return AuditEvent(
        action="protect",
        dataset=state.report.uri + (f"#{state.report.table}" if state.report.table else ""),
        fingerprint=state.report.fingerprint,
        columns=[c.column for c in out.columns if c.transform],
        role=out.role,
        purpose=out.purpose,
        rule_ids=list(plan.decision.rule_ids),
        policy_hash=plan.decision.policy_hash,
        counts={
            "rows_in": out.rows_in or 0,
            "rows_out": out.rows_out or 0,
            "rows_filtered": out.rows_filtered or 0,
        }
        | {f"transform_{k}": v for k, v in sorted(transforms.items())},
        details={
            "output": out.name,
            "destination": out.destination + (f"#{out.table}" if out.table else ""),
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
