"""``govkit policy diff``: every decision that changes between two policy versions.

The universe is finite: every role and purpose of either version × every dataset and
column of the catalog. Each is decided under both versions and compared; a change is
``widened`` (more visible), ``narrowed`` or ``changed`` (row filters that differ).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, Field

from govkit.catalog import Catalog
from govkit.policy.catalogs import column_labels
from govkit.policy.decide import decide
from govkit.policy.models import PolicySet
from govkit.policy.views import VIEW_ORDER, AccessDecision, RowFilter

Change = Literal["widened", "narrowed", "changed"]
ROWS = "(rows)"
"""The pseudo-column under which a change of row filter is reported."""


class DecisionChange(BaseModel):
    """One decision that differs; ``column`` is ``(rows)`` for the row filter."""

    role: str
    purpose: str
    dataset: str
    column: str
    old: str
    new: str
    change: Change
    old_rule_ids: list[str] = Field(default_factory=list)
    new_rule_ids: list[str] = Field(default_factory=list)


class PolicyDiff(BaseModel):
    """All decision changes between two policy sets over one catalog."""

    old_hash: str
    new_hash: str
    decisions: int = Field(description="Column decisions compared.")
    changes: list[DecisionChange]

    @property
    def widened(self) -> bool:
        """True when some role can see more under the new policies."""
        return any(c.change == "widened" for c in self.changes)


def universe(old: PolicySet, new: PolicySet) -> Iterator[tuple[str, str]]:
    """Every (role, purpose) pair of either version, sorted."""
    roles = sorted({*old.roles, *new.roles})
    purposes = sorted({*old.purposes, *new.purposes})
    for role in roles:
        for purpose in purposes:
            yield role, purpose


def diff_policies(old: PolicySet, new: PolicySet, catalog: Catalog) -> PolicyDiff:
    """Compare every decision of the universe under ``old`` and ``new``."""
    changes: list[DecisionChange] = []
    count = 0
    for role, purpose in universe(old, new):
        for name in sorted(catalog.datasets):
            labels = column_labels(catalog.datasets[name])
            before = decide(old, role=role, purpose=purpose, dataset=name, columns=labels)
            after = decide(new, role=role, purpose=purpose, dataset=name, columns=labels)
            count += len(labels)
            changes.extend(_compare(before, after, name))
    return PolicyDiff(
        old_hash=old.bundle_hash, new_hash=new.bundle_hash, decisions=count, changes=changes
    )


def _compare(before: AccessDecision, after: AccessDecision, dataset: str) -> list[DecisionChange]:
    found: list[DecisionChange] = []
    base = {"role": before.role, "purpose": before.purpose, "dataset": dataset}
    new_columns = {c.column: c for c in after.columns}
    for old_col in before.columns:
        new_col = new_columns[old_col.column]
        if old_col.view == new_col.view:
            continue
        up = VIEW_ORDER[new_col.view] > VIEW_ORDER[old_col.view]
        found.append(
            DecisionChange(
                **base,
                column=old_col.column,
                old=old_col.view,
                new=new_col.view,
                change="widened" if up else "narrowed",
                old_rule_ids=old_col.rule_ids,
                new_rule_ids=new_col.rule_ids,
            )
        )
    old_rows, new_rows = _rows(before), _rows(after)
    if old_rows != new_rows:
        kind: Change = "changed"
        if old_rows == "no rows" or new_rows == "all rows":
            kind = "widened"
        elif new_rows == "no rows" or old_rows == "all rows":
            kind = "narrowed"
        found.append(
            DecisionChange(
                **base,
                column=ROWS,
                old=old_rows,
                new=new_rows,
                change=kind,
                old_rule_ids=_row_ids(before.row_filter),
                new_rule_ids=_row_ids(after.row_filter),
            )
        )
    return found


def _rows(decision: AccessDecision) -> str:
    """The row filter as canonical text (``all rows`` / ``no rows`` at the ends)."""
    if not decision.allowed:
        return "no rows"
    if decision.row_filter is None:
        return "all rows"
    return decision.row_filter.describe()


def _row_ids(rows: RowFilter | None) -> list[str]:
    return list(rows.rule_ids) if rows else []
