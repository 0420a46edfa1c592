"""Applying a plan to a stream of Arrow batches: batch in, batch out.

Transforms are built (and their keys fetched) before the first batch is read.
The access decision's row filter runs on the input batch, denied columns are
dropped, every other column goes through its transform. Counts accumulate for
the manifest; values never leave the batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from govkit.errors import ProtectionError
from govkit.policy.views import RowFilter
from govkit.protect.base import Transform
from govkit.protect.cache import cache_for
from govkit.protect.keys import KeyProvider
from govkit.protect.manifest import ColumnManifest
from govkit.protect.plan import ProtectionPlan
from govkit.protect.registry import build


@dataclass
class Counts:
    """Counters of protected batches (no values)."""

    rows_in: int
    rows_out: int
    values: dict[str, int]
    nulls: dict[str, int]
    spans: dict[str, int]


class Protector:
    """A plan bound to keys: builds the transforms once, then protects batches.

    Args:
        plan: per-column transforms.
        keys: the key provider (may be None when no transform needs a key).
        row_filter: rows the role may see (from the access decision).
    """

    def __init__(
        self, plan: ProtectionPlan, keys: KeyProvider | None, row_filter: RowFilter | None = None
    ) -> None:
        self.plan = plan
        self.row_filter = row_filter or plan.row_filter
        self.transforms: dict[str, Transform] = {}
        self.cache = cache_for(keys)
        for col in plan.columns:
            if col.transform != "drop":
                transform = build(
                    col.transform, col.params, column=col.column, entity=col.entity, keys=keys
                )
                self.transforms[col.column] = transform
        self.cached = frozenset(
            n for n, t in self.transforms.items() if t.uses_run_cache and self.cache.wants(n)
        )
        """Columns whose transforms use the run cache (kept when shipped to a worker)."""
        for name in self.cached:
            self.transforms[name].cache = self.cache
        self.values = dict.fromkeys(self.transforms, 0)
        self.nulls = dict.fromkeys(self.transforms, 0)
        self.spans = dict.fromkeys(self.transforms, 0)
        self.rows_in = 0
        self.rows_out = 0

    def __getstate__(self) -> dict[str, Any]:
        """Cheap to ship to a worker: no run cache (values), no loaded detectors."""
        state = dict(self.__dict__)
        state["cache"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.cache = cache_for(None)
        for name in self.cached:
            self.transforms[name].cache = self.cache

    def _filter(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        if self.row_filter is None:
            return batch
        missing = self.row_filter.columns() - set(batch.schema.names)
        if missing:
            raise ProtectionError(
                f"row filter needs column(s) {', '.join(sorted(missing))}, not in the data (fail closed)"
            )
        return batch.filter(self.row_filter.mask(batch))

    def _apply(self, name: str, column: pa.Array) -> pa.Array:
        transform = self.transforms[name]
        try:
            return transform.apply(column)
        except pa.ArrowException as exc:
            raise ProtectionError(
                f"column {name!r}: {transform.name} failed ({type(exc).__name__})"
            ) from exc

    def protect(self, batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
        """Protect one batch; ``schema`` is the output schema (``plan.output_schema``)."""
        self.rows_in += batch.num_rows
        batch = self._filter(batch)
        arrays = []
        for field in schema:
            column = batch.column(field.name)
            self.nulls[field.name] += column.null_count
            self.values[field.name] += len(column) - column.null_count
            arrays.append(self._apply(field.name, column))
        self.rows_out += batch.num_rows
        return pa.RecordBatch.from_arrays(arrays, schema=schema)

    def counts(self) -> Counts:
        """Counters so far (what a worker sends back)."""
        spans = {
            n: getattr(t, "spans_replaced", 0) + self.spans[n] for n, t in self.transforms.items()
        }
        return Counts(self.rows_in, self.rows_out, dict(self.values), dict(self.nulls), spans)

    def add(self, counts: Counts) -> None:
        """Add a worker's counters."""
        self.rows_in += counts.rows_in
        self.rows_out += counts.rows_out
        for name in self.transforms:
            self.values[name] += counts.values[name]
            self.nulls[name] += counts.nulls[name]
            self.spans[name] += counts.spans[name]

    def manifest_columns(self) -> list[ColumnManifest]:
        """Per-column manifest entries (transform, key id, counts)."""
        out = []
        for col in self.plan.columns:
            transform = self.transforms.get(col.column)
            if transform is None:
                continue
            params = transform.describe()
            if transform.name == "fpe":
                params["key_id"] = transform.key_id
            out.append(
                ColumnManifest(
                    column=col.column,
                    transform=col.transform,
                    params=params,
                    key_id=transform.key_id,
                    entity=col.entity,
                    sensitivity=col.sensitivity,
                    tags=col.tags,
                    rule=col.rule,
                    view=col.view,
                    reversible=transform.reversible,
                    deterministic=transform.deterministic,
                    values=self.values[col.column],
                    nulls=self.nulls[col.column],
                    spans=(
                        getattr(transform, "spans_replaced", 0) + self.spans[col.column]
                        if transform.name == "text"
                        else None
                    ),
                )
            )
        return out

    def dropped(self) -> list[str]:
        """Columns removed from the output."""
        return [c.column for c in self.plan.columns if c.transform == "drop"]
