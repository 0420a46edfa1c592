"""Protection plans: which transform each column gets, from the rules and the access decision.

Rules (``policies/protection.yaml``) map a column name, an entity or a tier to a
transform. With an access decision the role's view of each column wins (raw →
keep, tokenized → tokenize, masked → mask, generalized → generalize, deny → drop).
A high- or medium-tier column that nothing covers stops the run (fail closed).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, model_validator

from govkit._config import Problem, load_yaml_model, unknown_name
from govkit.catalog import CatalogColumn, DatasetCatalog
from govkit.classify import known_entities
from govkit.entities import Sensitivity
from govkit.errors import AccessDeniedError, ConfigError, PolicyError, ProtectionError
from govkit.policy.views import AccessDecision, RowFilter, View
from govkit.protect.registry import check_params

RULES_FILE = "protection.yaml"


class Rule(BaseModel):
    """One transform with its parameters. A bare string is short for ``{transform: NAME}``."""

    model_config = ConfigDict(extra="forbid")

    transform: str
    params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"transform": data} if isinstance(data, str) else data


def _default_views() -> dict[View, Rule]:
    return {
        "raw": Rule(transform="keep"),
        "tokenized": Rule(transform="tokenize"),
        "masked": Rule(transform="mask"),
        "generalized": Rule(transform="generalize"),
        "deny": Rule(transform="drop"),
    }


class ProtectionRules(BaseModel):
    """The contents of ``protection.yaml``; most specific match wins: column, free text, entity, tier."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    columns: dict[str, Rule] = Field(default_factory=dict)
    free_text: Rule | None = None
    entities: dict[str, Rule] = Field(default_factory=dict)
    sensitivity: dict[Sensitivity, Rule] = Field(default_factory=dict)
    views: dict[View, Rule] = Field(default_factory=_default_views)


def rule_problems(rules: ProtectionRules, entities: Collection[str]) -> Iterator[Problem]:
    """Unknown entities and transforms, each with the closest known name."""
    from govkit.protect.registry import names

    for entity in rules.entities:
        if entity not in entities:
            yield ("entities", entity), unknown_name("entity", entity, entities)
    groups: list[tuple[str, dict[Any, Rule | None]]] = [
        ("columns", dict(rules.columns)),
        ("entities", dict(rules.entities)),
        ("sensitivity", dict(rules.sensitivity)),
        ("views", dict(rules.views)),
        ("free_text", {None: rules.free_text}),
    ]
    transforms = names()
    for group, table in groups:
        for key, rule in table.items():
            if rule is not None and rule.transform not in transforms:
                at = (group, key) if key is not None else (group,)
                yield at, unknown_name("transform", rule.transform, transforms)


def load_protection_rules(policy_dir: Path) -> ProtectionRules:
    """Read and check ``<policy_dir>/protection.yaml`` before any data is touched.

    Raises:
        PolicyError: the file is missing or invalid; names file and field path.
    """
    path = policy_dir / RULES_FILE
    rules = load_yaml_model(
        path,
        ProtectionRules,
        error=PolicyError,
        what="protection rules",
        check=lambda r: rule_problems(r, known_entities(policy_dir)),
    )
    groups: list[tuple[str, dict[Any, Rule]]] = [
        ("columns", rules.columns),
        ("entities", rules.entities),
        ("sensitivity", dict(rules.sensitivity)),
        ("views", dict(rules.views)),
    ]
    if rules.free_text:
        groups.append(("free_text", {"": rules.free_text}))
    try:
        for name, group in groups:
            for key, rule in group.items():
                check_params(rule.transform, rule.params, f"{name}.{key}" if key else name)
    except ConfigError as exc:
        raise PolicyError(f"{path}: {exc}") from None
    return rules


class ColumnPlan(BaseModel):
    """What happens to one column, and why (no values, no key material)."""

    column: str
    transform: str
    params: dict[str, Any] = Field(default_factory=dict)
    entity: str | None = None
    sensitivity: Sensitivity = "low"
    kind: str = "structured"
    tags: list[str] = Field(default_factory=list)
    rule: str
    view: View | None = None
    rule_ids: list[str] = Field(default_factory=list)


class ProtectionPlan(BaseModel):
    """Per-column plans plus the row filter of the access decision."""

    columns: list[ColumnPlan]
    row_filter: RowFilter | None = None

    def column(self, name: str) -> ColumnPlan:
        """The plan of one column."""
        for plan in self.columns:
            if plan.column == name:
                return plan
        raise ProtectionError(f"column {name!r} is not in the catalog; scan again or add it")

    def check_schema(self, schema: pa.Schema) -> None:
        """Every input column must be planned (fail closed on unknown columns)."""
        for name in schema.names:
            self.column(name)

    def output_schema(self, input_schema: pa.Schema) -> pa.Schema:
        """The schema of protected batches: dropped columns removed, protected ones text."""
        self.check_schema(input_schema)
        fields = []
        for field in input_schema:
            plan = self.column(field.name)
            if plan.transform == "drop":
                continue
            kind = field.type if plan.transform == "keep" else pa.string()
            fields.append(pa.field(field.name, kind))
        return pa.schema(fields)


def _rule_for(name: str, col: CatalogColumn, rules: ProtectionRules) -> tuple[Rule, str] | None:
    if name in rules.columns:
        return rules.columns[name], f"columns.{name}"
    if col.kind == "free_text" and rules.free_text is not None:
        return rules.free_text, "free_text"
    if col.entity and col.entity in rules.entities:
        return rules.entities[col.entity], f"entities.{col.entity}"
    if col.sensitivity in rules.sensitivity:
        return rules.sensitivity[col.sensitivity], f"sensitivity.{col.sensitivity}"
    return None


def _view_rule(
    view: View, base: tuple[Rule, str] | None, col: CatalogColumn, rules: ProtectionRules
) -> Rule:
    if col.kind == "free_text" and view in ("masked", "generalized") and rules.free_text:
        return rules.free_text
    rule = rules.views.get(view)
    if rule is None:
        raise ProtectionError(f"protection rules map no transform to the view {view!r}")
    if base is not None and base[0].transform == rule.transform:
        return Rule(transform=rule.transform, params={**base[0].params, **rule.params})
    return rule


def plan_protection(
    catalog: DatasetCatalog, rules: ProtectionRules, decision: AccessDecision | None
) -> ProtectionPlan:
    """Decide each column's transform.

    Raises:
        ProtectionError: a high- or medium-tier column no rule covers (fail closed).
        AccessDeniedError: the decision denies the role/purpose altogether.
    """
    if decision is not None and not decision.allowed:
        raise AccessDeniedError(
            f"role {decision.role!r} may not use this data for {decision.purpose!r}: {decision.reason}"
        )
    plans: list[ColumnPlan] = []
    for name, col in catalog.columns.items():
        base = _rule_for(name, col, rules)
        view: View | None = None
        ids: list[str] = []
        if decision is not None:
            view = decision.view_of(name)
            ids = next((d.rule_ids for d in decision.columns if d.column == name), [])
            rule, source = _view_rule(view, base, col, rules), f"view.{view}"
        elif base is not None:
            rule, source = base
        elif col.sensitivity == "low":
            rule, source = Rule(transform="keep"), "default.low"
        else:
            raise ProtectionError(
                f"column {name!r} ({col.entity or 'unknown entity'}, {col.sensitivity}) is not "
                "covered by any protection rule; add one to protection.yaml (fail closed)"
            )
        check_params(rule.transform, rule.params, f"column {name!r}: {source}")
        plans.append(
            ColumnPlan(
                column=name,
                transform=rule.transform,
                params=rule.params,
                entity=col.entity,
                sensitivity=col.sensitivity,
                kind=col.kind,
                tags=list(col.tags),
                rule=source,
                view=view,
                rule_ids=ids,
            )
        )
    return ProtectionPlan(columns=plans, row_filter=decision.row_filter if decision else None)
