"""Protecting batches in a process pool: the crypto stage is per-value Python, so cores help.

Each worker process builds the same transforms from the plan and the data keys
the parent already unwrapped (sent once, through the pool's pipe, never
written), protects the batches it is given and sends back the protected batch
and its counters. Batches come back in input order; at most ``2 × workers``
are in flight, so memory stays bounded. Errors raised in a worker (a
``ProtectionError`` …) are re-raised in the parent as they are.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

import pyarrow as pa

from govkit.errors import KeyMaterialError
from govkit.policy.views import RowFilter
from govkit.protect.keys import DataKey, KeyInfo, Purpose
from govkit.protect.plan import ProtectionPlan

if TYPE_CHECKING:
    from govkit.protect.apply import Counts, Protector

_WORKER: dict[str, object] = {}


class HandedKeys:
    """A read-only KeyProvider over keys handed to a worker."""

    def __init__(self, keys: list[DataKey]) -> None:
        self._keys = {k.id: k for k in keys}

    def active(self, purpose: Purpose) -> DataKey:
        """The key the parent chose for ``purpose``."""
        for key in self._keys.values():
            if key.purpose == purpose:
                return key
        raise KeyMaterialError(f"no {purpose} key was handed to the worker")

    def get(self, key_id: str) -> DataKey:
        """A handed key by id."""
        if key_id not in self._keys:
            raise KeyMaterialError(f"no key {key_id!r} was handed to the worker")
        return self._keys[key_id]

    def list(self) -> list[KeyInfo]:
        """Nothing to list in a worker."""
        return []

    def rotate(self, purpose: Purpose) -> KeyInfo:
        """Workers never change keys."""
        raise KeyMaterialError("workers cannot rotate keys")

    def retire(self, key_id: str) -> KeyInfo:
        """Workers never change keys."""
        raise KeyMaterialError("workers cannot retire keys")

    def destroy(self, key_id: str) -> KeyInfo:
        """Workers never change keys."""
        raise KeyMaterialError("workers cannot destroy keys")


def _init(
    plan: ProtectionPlan, keys: list[DataKey], row_filter: RowFilter | None, schema: pa.Schema
) -> None:
    from govkit.protect.apply import Protector

    _WORKER["protector"] = Protector(plan, HandedKeys(keys), row_filter)
    _WORKER["schema"] = schema


def _work(batch: pa.RecordBatch) -> tuple[pa.RecordBatch, Counts]:
    from govkit.protect.apply import Protector

    protector = _WORKER["protector"]
    assert isinstance(protector, Protector)
    before = protector.counts()
    schema = _WORKER["schema"]
    assert isinstance(schema, pa.Schema)
    out = protector.protect(batch, schema)
    after = protector.counts()
    after.rows_in -= before.rows_in
    after.rows_out -= before.rows_out
    for name in after.values:
        after.values[name] -= before.values[name]
        after.nulls[name] -= before.nulls[name]
        after.spans[name] -= before.spans[name]
    return out, after


def protect_in_pool(
    protector: Protector, batches: Iterable[pa.RecordBatch], schema: pa.Schema, workers: int
) -> Iterator[pa.RecordBatch]:
    """Protect batches in ``workers`` processes, yielding them in input order."""
    keys = [t.key for t in protector.transforms.values() if t.key is not None]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_init,
        initargs=(protector.plan, keys, protector.row_filter, schema),
    ) as pool:
        pending: deque[Future[tuple[pa.RecordBatch, Counts]]] = deque()
        try:
            for batch in batches:
                pending.append(pool.submit(_work, batch))
                if len(pending) >= 2 * workers:
                    out, counts = pending.popleft().result()
                    protector.add(counts)
                    yield out
            while pending:
                out, counts = pending.popleft().result()
                protector.add(counts)
                yield out
        finally:
            for future in pending:
                future.cancel()
