"""Protection as an engine task: bind a plan to its keys, then protect batch by batch.

:func:`bind` runs where the keys are (the caller): it resolves the data key each
transform uses and returns the printable :class:`~govkit.engines.base.ProtectTask`
plus the key material to hand over. :func:`protector_for` and
:func:`protect_partition` run wherever the batches are (this process, a pool
worker, a Spark executor inside ``mapInArrow``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import pyarrow as pa

from govkit.engines.base import ProtectTask
from govkit.errors import KeyMaterialError
from govkit.protect.apply import Protector
from govkit.protect.keys import DataKey, KeyInfo, KeyProvider, Purpose
from govkit.protect.plan import ProtectionPlan


class HandedKeys:
    """A read-only KeyProvider over the keys a task was bound to."""

    def __init__(self, keys: Sequence[DataKey]) -> None:
        self._keys = {k.id: k for k in keys}

    def active(self, purpose: Purpose) -> DataKey:
        """The key the caller chose for ``purpose``."""
        for key in self._keys.values():
            if key.purpose == purpose:
                return key
        raise KeyMaterialError(f"no {purpose} key was handed to the engine")

    def get(self, key_id: str) -> DataKey:
        """A handed key by id."""
        if key_id not in self._keys:
            raise KeyMaterialError(f"no key {key_id!r} was handed to the engine")
        return self._keys[key_id]

    def list(self) -> list[KeyInfo]:
        """Nothing to list in an engine."""
        return []

    def rotate(self, purpose: Purpose) -> KeyInfo:
        """Engines never change keys."""
        raise KeyMaterialError("engines cannot rotate keys")

    def retire(self, key_id: str) -> KeyInfo:
        """Engines never change keys."""
        raise KeyMaterialError("engines cannot retire keys")

    def destroy(self, key_id: str) -> KeyInfo:
        """Engines never change keys."""
        raise KeyMaterialError("engines cannot destroy keys")


def bind(
    plan: ProtectionPlan, input_schema: pa.Schema, keys: KeyProvider | None
) -> tuple[ProtectTask, list[DataKey]]:
    """The task for ``plan`` over data of ``input_schema``, and the keys it names.

    Raises:
        ProtectionError: an input column the plan does not cover (fail closed).
        KeyMaterialError: a transform's key is missing.
    """
    schema = plan.output_schema(input_schema)
    protector = Protector(plan, keys)
    handed = {t.key.id: t.key for t in protector.transforms.values() if t.key is not None}
    key_ids = {name: t.key_id for name, t in protector.transforms.items() if t.key_id is not None}
    return ProtectTask(plan=plan, output_schema=schema, key_ids=key_ids), list(handed.values())


def protector_for(task: ProtectTask, keys: Sequence[DataKey]) -> Protector:
    """Bind a task to its handed keys (transforms built once, before the first batch).

    Raises:
        KeyMaterialError: a key named by ``task.key_ids`` was not handed.
    """
    protector = Protector(task.plan, HandedKeys(keys))
    for column, transform in protector.transforms.items():
        wanted = task.key_ids.get(column)
        if wanted is not None and transform.key_id != wanted:
            raise KeyMaterialError(f"column {column!r}: planned key {wanted} was not handed")
    return protector


def protect_partition(
    task: ProtectTask, keys: Sequence[DataKey], batches: Iterable[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """Protect a stream of batches (one partition; the ``mapInArrow`` function)."""
    protector = protector_for(task, keys)
    for batch in batches:
        yield protector.protect(batch, task.output_schema)
