"""Access-policy files as pydantic models (``extra="forbid"``): roles, purposes, tags, rules.

Every access file in ``policies/`` has the same shape (:class:`PolicyFile`): any of the
sections ``roles``, ``purposes``, ``tags`` and ``rules``. The loader merges them into one
:class:`PolicySet`. Cross-references (a rule naming an unknown role, purpose, entity or
tag; an inheritance cycle) are checked by the loader, which knows the file names.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from govkit.catalog import ColumnKind
from govkit.entities import Sensitivity
from govkit.policy.views import ColumnLabel, Condition, View

Effect = Literal["allow", "deny", "restrict"]
ANY = "*"
_CACHES = ("bundle_hash", "_closures", "_applicable")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleSpec(_Strict):
    """A role; it holds every access its parents hold (``inherits``)."""

    description: str = ""
    inherits: list[str] = Field(default_factory=list)


class PurposeSpec(_Strict):
    """A declared processing purpose; data may be used for it only in ``datasets`` (globs)."""

    description: str = ""
    datasets: list[str] = Field(default_factory=lambda: [ANY])


class TagSpec(_Strict):
    """A steward-given column label that rules may select on (declared so typos fail)."""

    description: str = ""


class Match(_Strict):
    """Which columns a rule covers.

    Every given criterion must hold (AND); each lists alternatives (OR). An empty
    match covers every column of the dataset. ``entities`` selects structured columns
    by what they hold; a free-text column (whose catalog entity is only the most
    frequent one embedded) is selected by ``kinds``, tier, tag or name instead.
    """

    columns: list[str] = Field(default_factory=list, description="Column-name globs.")
    entities: list[str] = Field(default_factory=list)
    sensitivity: list[Sensitivity] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    kinds: list[ColumnKind] = Field(default_factory=list)

    def covers(self, label: ColumnLabel) -> bool:
        """Return True when the column fits every given criterion."""
        if self.columns and not any(fnmatchcase(label.name, g) for g in self.columns):
            return False
        if self.entities and (label.kind != "structured" or label.entity not in self.entities):
            return False
        if self.kinds and label.kind not in self.kinds:
            return False
        if self.sensitivity and label.sensitivity not in self.sensitivity:
            return False
        return not self.tags or any(t in label.tags for t in self.tags)


class RowCondition(Condition):
    """A row condition as written in a policy file: its value must fit its operator."""

    @model_validator(mode="after")
    def _value_fits(self) -> RowCondition:
        if self.op in ("is_null", "not_null"):
            if self.value is not None:
                raise ValueError(f"{self.op} takes no value")
        elif self.op in ("in", "not_in"):
            if not isinstance(self.value, list) or not self.value:
                raise ValueError(f"{self.op} needs a non-empty list of values")
        elif self.value is None or isinstance(self.value, list):
            raise ValueError(f"{self.op} needs a single value")
        return self


class Rule(_Strict):
    """One access rule.

    ``allow`` grants ``view`` of the matched columns (rows limited by ``row_filter`` if
    given); ``deny`` withholds the columns whatever else allows them; ``restrict`` caps
    the matched columns at ``view`` and/or keeps only the rows meeting ``row_filter``.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    description: str = ""
    effect: Effect = "allow"
    view: View | None = None
    roles: list[str] = Field(min_length=1)
    purposes: list[str] = Field(default_factory=lambda: [ANY], min_length=1)
    except_purposes: list[str] = Field(
        default_factory=list,
        description="Purposes the rule does not apply to (with purposes: ['*'], new ones stay covered).",
    )
    datasets: list[str] = Field(default_factory=lambda: [ANY], min_length=1)
    except_datasets: list[str] = Field(
        default_factory=list, description="Dataset globs the rule does not apply to."
    )
    match: Match = Field(default_factory=Match)
    row_filter: list[RowCondition] = Field(default_factory=list)

    @model_validator(mode="after")
    def _effect_fits(self) -> Rule:
        if self.effect == "allow" and self.view is None:
            raise ValueError("an allow rule needs a view (raw, tokenized, masked or generalized)")
        if self.effect == "allow" and self.view == "deny":
            raise ValueError("an allow rule cannot grant view deny; use effect: deny")
        if self.effect == "deny" and (self.view is not None or self.row_filter):
            raise ValueError("a deny rule takes neither view nor row_filter")
        if self.effect == "restrict" and self.view is None and not self.row_filter:
            raise ValueError("a restrict rule needs a view cap, a row_filter or both")
        return self

    def applies(self, roles: frozenset[str], purpose: str, dataset: str) -> bool:
        """Return True when the rule names one of ``roles``, the purpose and the dataset."""
        return (
            (ANY in self.roles or not roles.isdisjoint(self.roles))
            and (ANY in self.purposes or purpose in self.purposes)
            and purpose not in self.except_purposes
            and any(fnmatchcase(dataset, g) for g in self.datasets)
            and not any(fnmatchcase(dataset, g) for g in self.except_datasets)
        )


class PolicyFile(_Strict):
    """One access-policy YAML file; every section is optional."""

    roles: dict[str, RoleSpec] = Field(default_factory=dict)
    purposes: dict[str, PurposeSpec] = Field(default_factory=dict)
    tags: dict[str, TagSpec] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)


class PolicySet(_Strict):
    """All access policies of a directory, validated and cross-checked.

    Attributes:
        sources: rule id → the file that defines it (not part of the content hash).
    """

    roles: dict[str, RoleSpec] = Field(default_factory=dict)
    purposes: dict[str, PurposeSpec] = Field(default_factory=dict)
    tags: dict[str, TagSpec] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)
    sources: dict[str, str] = Field(default_factory=dict, exclude=True)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """Copy the set; cached lookups and the hash are recomputed for the copy."""
        copy = super().model_copy(update=update, deep=deep)
        for name in _CACHES:
            copy.__dict__.pop(name, None)
        return copy

    @cached_property
    def bundle_hash(self) -> str:
        """``sha256:`` of the canonical content: sorted keys, rules ordered by id."""
        content = self.model_dump(mode="json")
        content["rules"] = sorted(content["rules"], key=lambda r: r["id"])
        text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    def role_path(self, role: str) -> list[str]:
        """The role and every ancestor, nearest first (breadth-first, each once)."""
        return list(self._closures.get(role, ()))

    def rules_for(self, role: str, purpose: str, dataset: str) -> list[Rule]:
        """Rules that apply to a role (through inheritance), purpose and dataset."""
        key = (role, purpose, dataset)
        found = self._applicable.get(key)
        if found is None:
            roles = frozenset(self.role_path(role))
            found = [r for r in self.rules if r.applies(roles, purpose, dataset)]
            self._applicable[key] = found
        return found

    @cached_property
    def _closures(self) -> dict[str, tuple[str, ...]]:
        closures: dict[str, tuple[str, ...]] = {}
        for name in self.roles:
            seen: list[str] = []
            queue = [name]
            while queue:
                current = queue.pop(0)
                if current in seen or current not in self.roles:
                    continue
                seen.append(current)
                queue.extend(self.roles[current].inherits)
            closures[name] = tuple(seen)
        return closures

    @cached_property
    def _applicable(self) -> dict[tuple[str, str, str], list[Rule]]:
        return {}
