"""What each output will receive: the access decision and the protection plan per output.

:func:`plan_output` is shared by the run and the dry run (``govkit run --dry-run``),
so the plan a steward reviews is the plan the run applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from govkit.datasets.uri import is_sql_url, redact_url
from govkit.pipeline.classify import SourceState
from govkit.pipeline.model import OutputSpec, Pipeline
from govkit.policy.views import AccessDecision, Condition, RowFilter
from govkit.report.model import OutputColumn, OutputReport

if TYPE_CHECKING:
    from govkit.context import StageContext
    from govkit.protect.plan import ProtectionPlan, ProtectionRules
    from govkit.protect.prepare import Prepared


@dataclass
class OutputPlan:
    """One output, decided and planned, not yet written.

    Attributes:
        spec: the output as the pipeline file gives it.
        prepared: the protect stage's plan (decision; protection None when denied).
        report: the run report's view of it.
    """

    spec: OutputSpec
    prepared: Prepared
    report: OutputReport

    @property
    def decision(self) -> AccessDecision:
        """The policy's access decision."""
        if self.prepared.decision is None:
            raise AssertionError("internal invariant broken: self.prepared.decision is not None")
        return self.prepared.decision

    @property
    def protection(self) -> ProtectionPlan | None:
        """The protection plan (None when access is denied)."""
        return self.prepared.plan


def describe_condition(cond: Condition) -> str:
    """One condition as text, e.g. ``consent_marketing == true``."""
    if cond.value is None:
        return f"{cond.column} {cond.op}"
    value = cond.value
    shown = str(value).lower() if isinstance(value, bool) else str(value)
    return f"{cond.column} {cond.op} {shown}"


def describe_filter(row_filter: RowFilter | None) -> str | None:
    """A row filter as text (None when every row passes)."""
    if row_filter is None or (not row_filter.any_of and not row_filter.all_of):
        return None
    parts: list[str] = []
    if row_filter.any_of:
        groups = [" and ".join(describe_condition(c) for c in g) for g in row_filter.any_of]
        parts.append(groups[0] if len(groups) == 1 else " or ".join(f"({g})" for g in groups))
    parts.extend(describe_condition(c) for c in row_filter.all_of)
    return " and ".join(parts)


def output_columns(
    decision: AccessDecision, protection: ProtectionPlan | None, names: list[str]
) -> list[OutputColumn]:
    """What the role receives of each column: view, transform and deciding rule ids.

    The transform is the protection plan's (``keep``, ``tokenize``, ``mask`` …, ``drop``).
    """
    planned = {c.column: c for c in protection.columns} if protection is not None else {}
    decided = {c.column: c for c in decision.columns}
    result: list[OutputColumn] = []
    for name in names:
        entry = planned.get(name)
        by = decided.get(name)
        result.append(
            OutputColumn(
                column=name,
                view=decision.view_of(name),
                transform=entry.transform if entry is not None else None,
                rule_ids=list(by.rule_ids) if by is not None else [],
            )
        )
    return result


def plan_output(
    pipeline: Pipeline,
    spec: OutputSpec,
    state: SourceState,
    *,
    context: StageContext,
    rules: ProtectionRules,
) -> OutputPlan:
    """Decide access for one output and plan its protection (protect's engine-free half).

    A denied output gets no protection plan; the caller decides whether that
    fails the run (the run) or is only shown (the dry run).

    Raises:
        ProtectionError: a high-tier column the role may see is not covered by a
            protection rule (fail closed).
    """
    from govkit.protect.prepare import prepare

    prepared = prepare(
        context,
        state.dataset,
        state.catalog,
        role=spec.role,
        purpose=spec.purpose,
        rules=rules,
        name=spec.source,
    )
    decision = prepared.decision
    if decision is None:
        raise AssertionError("internal invariant broken: decision is not None")
    destination = spec.uri if is_sql_url(spec.uri) else pipeline.path(spec.uri)
    report = OutputReport(
        name=spec.name,
        source=spec.source,
        role=spec.role,
        purpose=spec.purpose,
        destination=redact_url(destination),
        table=spec.table,
        allowed=decision.allowed,
        reason=decision.reason,
        columns=output_columns(decision, prepared.plan, state.dataset.schema.names),
        row_filter=describe_filter(decision.row_filter),
        policy_hash=decision.policy_hash,
    )
    return OutputPlan(spec=spec, prepared=prepared, report=report)
