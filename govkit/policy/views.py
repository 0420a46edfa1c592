"""Access decisions: the contract between the policy evaluator and enforcement (protect).

``govkit.policy`` decides; ``govkit.protect`` applies: each column's view becomes a
transform (raw → keep, tokenized → tokenize, masked → mask, generalized →
generalize, deny → drop) and the row filter drops the rows the role may not see.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field

from govkit.catalog import ColumnKind
from govkit.entities import Sensitivity

View = Literal["raw", "tokenized", "masked", "generalized", "deny"]
VIEW_ORDER: dict[View, int] = {"deny": 0, "generalized": 1, "tokenized": 2, "masked": 3, "raw": 4}
"""Permissiveness, least first: a mask shows part of the real value, a token none of it."""

Scalar = str | int | float | bool


class ColumnLabel(BaseModel):
    """What the policy knows about a column (from the catalog)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    entity: str | None = None
    sensitivity: Sensitivity = "low"
    tags: list[str] = Field(default_factory=list)
    kind: ColumnKind = "structured"


class ColumnDecision(BaseModel):
    """The view a role gets of one column, and why."""

    column: str
    view: View
    rule_ids: list[str] = Field(default_factory=list)
    reason: str = ""


class Condition(BaseModel):
    """One structured row condition, e.g. ``consent_marketing == true``. Never raw SQL."""

    model_config = ConfigDict(extra="forbid")

    column: str
    op: Literal["==", "!=", "in", "not_in", ">", ">=", "<", "<=", "is_null", "not_null"]
    value: Scalar | list[Scalar] | None = None

    def describe(self) -> str:
        """Readable text, e.g. ``consent_marketing == true``, ``region in [广东, 浙江]``."""
        if self.op in ("is_null", "not_null"):
            return f"{self.column} {self.op.replace('_', ' ')}"
        values = self.value if isinstance(self.value, list) else [self.value]
        shown = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
        text = f"[{', '.join(shown)}]" if isinstance(self.value, list) else shown[0]
        return f"{self.column} {self.op.replace('_', ' ')} {text}"

    def mask(self, table: pa.Table | pa.RecordBatch) -> pa.ChunkedArray | pa.Array:
        """Evaluate on a batch; nulls count as not matching (fail closed)."""
        column = table.column(self.column)
        if self.op == "is_null":
            return pc.is_null(column)
        if self.op == "not_null":
            return pc.is_valid(column)
        if self.op in ("in", "not_in"):
            values = self.value if isinstance(self.value, list) else [self.value]
            hit = pc.is_in(column, value_set=_typed(values, column.type))
            hit = pc.fill_null(hit, False)
            return hit if self.op == "in" else pc.and_(pc.invert(hit), pc.is_valid(column))
        value = _typed([self.value], column.type)[0]
        fn = {
            "==": pc.equal,
            "!=": pc.not_equal,
            ">": pc.greater,
            ">=": pc.greater_equal,
            "<": pc.less,
            "<=": pc.less_equal,
        }[self.op]
        return pc.fill_null(fn(column, value), False)


def _typed(values: Sequence[object], kind: pa.DataType) -> pa.Array:
    """Values as an array of the column's type; booleans match ``true``/``false`` text too."""
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return pa.array([str(v).lower() if isinstance(v, bool) else str(v) for v in values], kind)
    return pa.array(values).cast(kind)


class RowFilter(BaseModel):
    """Rows a role may see: any of the allow filters (OR), and all restrictions (AND).

    An allow filter is itself a conjunction of conditions. No allow filters means
    every row is allowed before restrictions.
    """

    any_of: list[list[Condition]] = Field(default_factory=list)
    all_of: list[Condition] = Field(default_factory=list)
    rule_ids: list[str] = Field(default_factory=list)
    """The rules that shaped the filter (for explanations and audit)."""

    def mask(self, table: pa.Table | pa.RecordBatch) -> pa.ChunkedArray | pa.Array:
        """Boolean mask of the rows to keep."""
        keep: pa.ChunkedArray | pa.Array = pa.array([True] * table.num_rows)
        if self.any_of:
            allowed: pa.ChunkedArray | pa.Array = pa.array([False] * table.num_rows)
            for group in self.any_of:
                both: pa.ChunkedArray | pa.Array = pa.array([True] * table.num_rows)
                for cond in group:
                    both = pc.and_(both, cond.mask(table))
                allowed = pc.or_(allowed, both)
            keep = allowed
        for cond in self.all_of:
            keep = pc.and_(keep, cond.mask(table))
        return keep

    def describe(self) -> str:
        """Readable text: ``(a AND b) OR c``, then ``AND`` each restriction."""
        parts: list[str] = []
        if self.any_of:
            groups = [" AND ".join(c.describe() for c in g) for g in self.any_of]
            if len(groups) == 1:
                parts.append(groups[0])
            else:
                parts.append("(" + " OR ".join(f"({g})" for g in groups) + ")")
        parts.extend(c.describe() for c in self.all_of)
        return " AND ".join(parts) or "all rows"

    def columns(self) -> set[str]:
        """Columns the filter reads."""
        return {c.column for g in self.any_of for c in g} | {c.column for c in self.all_of}


class AccessDecision(BaseModel):
    """The whole decision for a role, purpose and dataset; explainable to an auditor."""

    role: str
    purpose: str
    dataset: str | None = None
    allowed: bool
    reason: str = ""
    role_path: list[str] = Field(default_factory=list)
    columns: list[ColumnDecision] = Field(default_factory=list)
    row_filter: RowFilter | None = None
    rule_ids: list[str] = Field(default_factory=list)
    policy_hash: str | None = None

    def view_of(self, column: str) -> View:
        """The view of a column; columns the decision does not name are denied."""
        for entry in self.columns:
            if entry.column == column:
                return entry.view
        return "deny"
