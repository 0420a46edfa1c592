"""protect, the execute half: bind the plan to its keys, run it on an engine, describe it.

:func:`execute` is shared by ``govkit protect`` and ``govkit run`` (``pipeline/protect.py``);
:func:`protect_event` is the one ``protect`` audit event.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

from govkit._version import __version__
from govkit.audit.events import dataset_identity
from govkit.datasets import redact_url
from govkit.models import AuditEvent
from govkit.policy.views import AccessDecision
from govkit.protect.manifest import Manifest
from govkit.protect.plan import ProtectionPlan
from govkit.protect.prepare import Prepared
from govkit.protect.registry import transform_class

if TYPE_CHECKING:
    from govkit.context import StageContext
    from govkit.engines.base import Engine, ProtectExecution, ProtectTask
    from govkit.protect.keys import DataKey, KeyProvider


@dataclass
class Execution:
    """A prepared dataset running on an engine: batches to write, then the manifest."""

    prepared: Prepared
    task: ProtectTask
    keys: list[DataKey]
    running: ProtectExecution

    @property
    def schema(self) -> pa.Schema:
        """The schema of the protected batches."""
        return self.task.output_schema

    @property
    def batches(self) -> Iterator[pa.RecordBatch]:
        """The protected batches (consume once)."""
        return self.running.batches

    def manifest(self, output: str | None) -> Manifest:
        """The manifest once the batches are written (the engine's counts are complete)."""
        from govkit.datasets.files import file_fingerprint
        from govkit.protect.task import protector_for

        dataset, decision = self.prepared.dataset, self.prepared.decision
        counted = protector_for(self.task, self.keys)  # transforms described, counts added
        counted.add(self.running.counts)
        return Manifest(
            govkit_version=__version__,
            source=redact_url(dataset.uri) if "://" in dataset.uri else dataset.uri,
            dataset=dataset.name,
            output=output,
            fingerprint=file_fingerprint(dataset),
            role=self.prepared.role,
            purpose=self.prepared.purpose,
            policy_hash=decision.policy_hash if decision else None,
            rows_in=counted.rows_in,
            rows_out=counted.rows_out,
            columns=counted.manifest_columns(),
            dropped=counted.dropped(),
        )


def _needs_keys(plan: ProtectionPlan) -> bool:
    return any(transform_class(c.transform).key_purpose is not None for c in plan.columns)


def execute(
    context: StageContext,
    prepared: Prepared,
    *,
    engine: Engine,
    keys: KeyProvider | None = None,
) -> Execution:
    """Bind the plan to its keys and start it on the engine (lazily: the writer pulls).

    Raises:
        KeyMaterialError: a key is missing or unusable.
        ProtectionError: an input column the plan does not cover.
    """
    from govkit.protect.task import bind

    if prepared.plan is None:
        raise AssertionError("a denied request is never executed")
    if keys is None and _needs_keys(prepared.plan):
        keys = context.keys()
    task, handed = bind(prepared.plan, prepared.dataset.schema, keys)
    running = engine.protect(task, prepared.dataset, handed)
    return Execution(prepared, task, handed, running)


def protect_event(made: Manifest, identity: str, decision: AccessDecision | None) -> AuditEvent:
    """The ``protect`` event: transforms, key ids and counts of one output (no values)."""
    protected = [c for c in made.columns if c.transform != "keep"]
    counts = {
        "rows_in": made.rows_in,
        "rows_out": made.rows_out,
        "rows_filtered": made.rows_in - made.rows_out,
    }
    counts.update({f"values.{c.column}": c.values for c in protected})
    return AuditEvent(
        action="protect",
        dataset=identity,
        fingerprint=made.fingerprint,
        columns=[c.column for c in protected],
        role=made.role,
        purpose=made.purpose,
        rule_ids=decision.rule_ids if decision else [],
        policy_hash=made.policy_hash,
        counts=counts,
        details={
            "output": made.output,
            "dropped": ",".join(made.dropped) or None,
            **{f"transform.{c.column}": f"{c.transform}:{c.key_id or '-'}" for c in made.columns},
        },
    )


def failure_event(prepared: Prepared, exc: BaseException) -> AuditEvent:
    """The ``protect`` failure event: nothing was published (names the error type only)."""
    return AuditEvent(
        action="protect",
        outcome="failure",
        reason=type(exc).__name__,
        dataset=dataset_identity(prepared.dataset),
        role=prepared.role,
        purpose=prepared.purpose,
    )
