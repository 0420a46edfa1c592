"""Turning an access decision into the audit event that protect and run record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from govkit.models import AuditEvent
from govkit.policy.views import AccessDecision, ColumnLabel

if TYPE_CHECKING:
    from govkit.context import StageContext
    from govkit.policy.testing import PolicyTestReport


def decision_event(decision: AccessDecision, *, dataset: str | None = None) -> AuditEvent:
    """The ``access.decide`` event for a decision: ids, views and counts, never values.

    Args:
        decision: the decision to record.
        dataset: the dataset URI to name (credentials already redacted); defaults to the
            dataset name the decision was made for.
    """
    counts: dict[str, int] = {}
    for column in decision.columns:
        counts[column.view] = counts.get(column.view, 0) + 1
    visible = [c.column for c in decision.columns if c.view != "deny"]
    return AuditEvent(
        action="access.decide",
        outcome="success" if decision.allowed else "denied",
        reason=decision.reason,
        dataset=dataset or decision.dataset,
        columns=visible,
        role=decision.role,
        purpose=decision.purpose,
        rule_ids=list(decision.rule_ids),
        policy_hash=decision.policy_hash,
        counts=counts,
        details={
            "role_path": " > ".join(decision.role_path),
            "row_filter": decision.row_filter is not None,
            "denied_columns": len(decision.columns) - len(visible),
            "views": ",".join(f"{c.column}:{c.view}" for c in decision.columns),
        },
    )


def decide_recorded(
    context: StageContext,
    *,
    role: str,
    purpose: str,
    dataset: str,
    columns: Sequence[ColumnLabel],
    uri: str | None = None,
) -> AccessDecision:
    """Decide a role's access and record ``access.decide`` through the context first.

    The one body of ``StageContext.decide`` (the Governor's and a run's): nobody acts on a
    decision that is not in the audit log.
    """
    from govkit.policy.decide import decide

    decision = decide(
        context.policies(), role=role, purpose=purpose, dataset=dataset, columns=columns
    )
    context.record(decision_event(decision, dataset=uri))
    return decision


def test_run_event(report: PolicyTestReport, policy_dir: str) -> AuditEvent:
    """The ``policy.test`` event: which policy version was tested, and how it fared."""
    return AuditEvent(
        action="policy.test",
        outcome="success" if not report.failed else "failure",
        reason=f"{report.passed} passed, {report.failed} failed",
        policy_hash=report.policy_hash,
        counts={"passed": report.passed, "failed": report.failed},
        details={"policy_dir": policy_dir},
    )
