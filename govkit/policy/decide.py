"""Access decisions: which view of each column, and which rows, a role gets for a purpose.

Semantics (docs/policies.md states them for authors):

1. An unknown role or purpose, or a purpose not declared for the dataset, denies everything.
2. Per column, among the rules that apply to the role (or any ancestor), purpose and dataset
   and whose ``match`` covers the column: any ``deny`` wins; else no ``allow`` means deny
   (default deny); else the most permissive allowed view (``VIEW_ORDER``), lowered to the
   lowest cap of any matching ``restrict``.
3. Rows: the row filters of the allows behind the visible columns are OR-ed (an allow
   without a filter means every row); the row filters of every applicable ``restrict``
   are AND-ed. A filter on a column the dataset lacks matches no row (fail closed).
4. The decision lists every contributing rule id, sorted, so rule order never matters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from fnmatch import fnmatchcase
from pathlib import Path

from govkit.policy.models import PolicySet, Rule
from govkit.policy.views import (
    VIEW_ORDER,
    AccessDecision,
    ColumnDecision,
    ColumnLabel,
    Condition,
    RowFilter,
    View,
)

_BY_RANK: dict[int, View] = {rank: view for view, rank in VIEW_ORDER.items()}


def decide(
    policies: PolicySet,
    *,
    role: str,
    purpose: str,
    dataset: str,
    columns: Sequence[ColumnLabel],
) -> AccessDecision:
    """Decide what ``role`` may see of ``dataset`` for ``purpose``.

    Args:
        policies: the loaded policy set.
        role: the requesting role.
        purpose: the declared purpose of the processing.
        dataset: the dataset name (file stem or table name) rules match against.
        columns: every column of the dataset with its catalog labels.

    Returns:
        The decision: a view per column, the row filter, rule ids, role path and policy hash.
    """
    problem = _request_problem(policies, role, purpose, dataset)
    if problem is not None:
        return _refuse(policies, role, purpose, dataset, columns, *problem)
    rules = policies.rules_for(role, purpose, dataset)
    decided: list[ColumnDecision] = []
    behind: dict[str, Rule] = {}
    for label in columns:
        entry, allows = _column(label, rules)
        decided.append(entry)
        if entry.view != "deny":
            behind.update((r.id, r) for r in allows)
    if not behind:
        by_rule = sum(1 for c in decided if c.reason == "deny-rule")
        reason = (
            f"no-access: no column visible ({by_rule} denied by rule, "
            f"{len(decided) - by_rule} by default); an allow rule for this role and purpose "
            f"under rules: in a file of {_policy_dir(policies)} would grant columns"
        )
        return _finish(policies, role, purpose, dataset, decided, None, [], reason)
    names = {c.name for c in columns}
    rows, row_ids, missing = _rows(behind, [r for r in rules if r.effect == "restrict"], names)
    if missing is not None:
        return _refuse(
            policies,
            role,
            purpose,
            dataset,
            columns,
            "no-rows",
            _missing_column(policies, rules, missing, dataset),
        )
    shown = sum(1 for c in decided if c.view != "deny")
    return _finish(
        policies,
        role,
        purpose,
        dataset,
        decided,
        rows,
        row_ids,
        f"allowed: {shown} of {len(decided)} columns visible",
        allowed=True,
    )


def _declared_in(policies: PolicySet, kind: str) -> str:
    """The file that declares the existing roles or purposes (where a new one goes)."""
    files = sorted({f for k, f in policies.sources.items() if k.startswith(kind + ":")})
    return files[0] if files else "a policy file"


def _policy_dir(policies: PolicySet) -> str:
    files = sorted(set(policies.sources.values()))
    return str(Path(files[0]).parent) if files else "the policy directory"


def _missing_column(policies: PolicySet, rules: list[Rule], column: str, dataset: str) -> str:
    """Which rule (and file) needs the column, and how to map the dataset's own column to it."""
    needing = sorted(r.id for r in rules if any(c.column == column for c in r.row_filter))
    where = ", ".join(
        f"{rid} in {policies.sources[rid]}" if rid in policies.sources else rid for rid in needing
    )
    return (
        f"row filter needs column {column!r}, which dataset {dataset!r} lacks (rule {where}); "
        f"to map the dataset's own column, add {dataset!r} to that rule's except_datasets and "
        f"a copy of the rule with datasets: [{dataset}] and that column in its row_filter"
    )


def _request_problem(
    policies: PolicySet, role: str, purpose: str, dataset: str
) -> tuple[str, str] | None:
    """(code, detail) when the request as a whole must be refused (fail closed), else None."""
    if role not in policies.roles:
        return "unknown-role", (
            f"no role {role!r} in the policies; declare it under roles: in "
            f"{_declared_in(policies, 'role')} (roles: {', '.join(sorted(policies.roles))})"
        )
    if purpose not in policies.purposes:
        return "unknown-purpose", (
            f"{purpose!r} is not a declared purpose; declare it under purposes: in "
            f"{_declared_in(policies, 'purpose')} (declared: {', '.join(sorted(policies.purposes))})"
        )
    if not any(fnmatchcase(dataset, g) for g in policies.purposes[purpose].datasets):
        file = policies.sources.get(f"purpose:{purpose}", "purposes.yaml")
        return "purpose-not-for-dataset", (
            f"purpose {purpose!r} does not cover dataset {dataset!r}; to allow it, add "
            f"{dataset!r} (or a glob) to purposes.{purpose}.datasets in {file}"
        )
    return None


def _column(label: ColumnLabel, rules: list[Rule]) -> tuple[ColumnDecision, list[Rule]]:
    """Decide one column; also return the allow rules that matched it."""
    matched = [r for r in rules if r.match.covers(label)]
    denies = sorted(r.id for r in matched if r.effect == "deny")
    if denies:
        return ColumnDecision(
            column=label.name, view="deny", rule_ids=denies, reason="deny-rule"
        ), []
    allows = [r for r in matched if r.effect == "allow"]
    if not allows:
        return ColumnDecision(column=label.name, view="deny", reason="default-deny"), []
    best = max(VIEW_ORDER[r.view] for r in allows if r.view)
    ids = sorted(r.id for r in allows if r.view and VIEW_ORDER[r.view] == best)
    caps = [r for r in matched if r.effect == "restrict" and r.view is not None]
    cap = min((VIEW_ORDER[r.view] for r in caps if r.view), default=best)
    if cap < best:
        capped = sorted(r.id for r in caps if r.view and VIEW_ORDER[r.view] == cap)
        view = _BY_RANK[cap]
        entry = ColumnDecision(
            column=label.name, view=view, rule_ids=sorted({*ids, *capped}), reason="restricted"
        )
        return entry, ([] if view == "deny" else allows)
    return ColumnDecision(
        column=label.name, view=_BY_RANK[best], rule_ids=ids, reason="allow"
    ), allows


def _rows(
    behind: dict[str, Rule], restricts: list[Rule], names: set[str]
) -> tuple[RowFilter | None, list[str], str | None]:
    """Combine row filters; return (filter or None for all rows, rule ids, missing column)."""
    ids: list[str] = []
    any_of: dict[str, list[Condition]] = {}
    if all(r.row_filter for r in behind.values()):
        for rule in sorted(behind.values(), key=lambda r: r.id):
            if all(c.column in names for c in rule.row_filter):
                any_of.setdefault(_canon(rule.row_filter), list(rule.row_filter))
                ids.append(rule.id)
        if not any_of:
            lacking = next(
                c.column for r in behind.values() for c in r.row_filter if c.column not in names
            )
            return None, [], lacking
    all_of: dict[str, Condition] = {}
    for rule in sorted((r for r in restricts if r.row_filter), key=lambda r: r.id):
        for cond in rule.row_filter:
            if cond.column not in names:
                return None, [], cond.column
            all_of.setdefault(_canon([cond]), cond)
        ids.append(rule.id)
    if not any_of and not all_of:
        return None, [], None
    groups = [any_of[k] for k in sorted(any_of)]
    conjunction = [all_of[k] for k in sorted(all_of)]
    return RowFilter(any_of=groups, all_of=conjunction, rule_ids=sorted(ids)), ids, None


def _canon(conditions: Sequence[Condition]) -> str:
    """A canonical text for a conjunction, to de-duplicate and sort filters."""
    parts = sorted(json.dumps(c.model_dump(mode="json"), sort_keys=True) for c in conditions)
    return "&".join(parts)


def _finish(
    policies: PolicySet,
    role: str,
    purpose: str,
    dataset: str,
    columns: list[ColumnDecision],
    rows: RowFilter | None,
    row_ids: list[str],
    reason: str,
    *,
    allowed: bool = False,
) -> AccessDecision:
    rule_ids = sorted({*row_ids, *(i for c in columns for i in c.rule_ids)})
    return AccessDecision(
        role=role,
        purpose=purpose,
        dataset=dataset,
        allowed=allowed,
        reason=reason,
        role_path=policies.role_path(role),
        columns=columns,
        row_filter=rows,
        rule_ids=rule_ids,
        policy_hash=policies.bundle_hash,
    )


def _refuse(
    policies: PolicySet,
    role: str,
    purpose: str,
    dataset: str,
    columns: Sequence[ColumnLabel],
    code: str,
    detail: str,
) -> AccessDecision:
    """Deny every column for a reason that concerns the whole request."""
    denied = [ColumnDecision(column=c.name, view="deny", reason=code) for c in columns]
    return _finish(policies, role, purpose, dataset, denied, None, [], f"{code}: {detail}")
