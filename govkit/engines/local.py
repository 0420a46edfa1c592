"""The local engine: batches streamed in this process, or over a pool of processes.

``workers="auto"`` (the default) sizes the pool to the machine for work that gains
from it — a task with per-value crypto (tokenize, encrypt, fpe) over a source of at
least :data:`POOL_MIN_BYTES` — and stays in-process otherwise, where starting a
pool would cost more than it saves. Any worker count gives the same batches, in the
same order, and the same counts as one worker (tested).

Pool workers are spawned; each builds the task's protector once from the plan and
the data keys the parent already unwrapped (sent through the pool's pipe, never
written). At most ``2 × workers`` batches are in flight, so memory stays bounded.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Literal

import pyarrow as pa

from govkit.detect.profiling import profile_batches
from govkit.engines.base import ProtectTask
from govkit.errors import UsageError
from govkit.protect.task import protector_for

if TYPE_CHECKING:
    from govkit.datasets import Dataset
    from govkit.detect.columns import ColumnProfile
    from govkit.engines.base import ProfileTask
    from govkit.protect.apply import Counts, Protector
    from govkit.protect.keys import DataKey

Workers = int | Literal["auto"]
POOL_MIN_BYTES = 32 * 1024 * 1024
"""``auto`` uses a pool only for sources at least this large (smaller ones finish first)."""
MAX_AUTO_WORKERS = 8


def machine_workers() -> int:
    """Cores this process may use (its CPU affinity), at most :data:`MAX_AUTO_WORKERS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_AUTO_WORKERS))


def parse_workers(value: str | int) -> Workers:
    """``auto`` or a positive integer (the CLI's ``--workers``).

    Raises:
        UsageError: anything else.
    """
    if isinstance(value, int) or value.strip().isdigit():
        count = int(value)
        if count < 1:
            raise UsageError(f"--workers must be at least 1, got {value}")
        return count
    if value.strip().lower() == "auto":
        return "auto"
    raise UsageError(f"--workers must be a number or auto, got {value!r}")


def _source_bytes(source: Dataset) -> int:
    path = getattr(source, "path", None)
    try:
        return int(path.stat().st_size) if path is not None else 0
    except OSError:
        return 0


class LocalExecution:
    """A protect task streaming through one process or a pool."""

    def __init__(self, protector: Protector, batches: Iterator[pa.RecordBatch]) -> None:
        self._protector = protector
        self._batches = batches

    @property
    def batches(self) -> Iterator[pa.RecordBatch]:
        """The protected batches, in input order."""
        return self._batches

    @property
    def counts(self) -> Counts:
        """Counts of the batches consumed so far."""
        return self._protector.counts()

    @property
    def protector(self) -> Protector:
        """The parent's protector (its manifest columns carry the counts)."""
        return self._protector


class LocalEngine:
    """Runs tasks in this process (``workers=1``) or over a process pool.

    Args:
        workers: processes, or ``"auto"`` (see the module docstring).
    """

    name = "local"

    def __init__(self, workers: Workers = "auto") -> None:
        self.workers = parse_workers(workers)

    def workers_for(self, task: ProtectTask, source: Dataset) -> int:
        """The pool size this engine uses for ``task`` over ``source`` (1: in-process)."""
        if self.workers != "auto":
            return self.workers
        if not task.key_ids or _source_bytes(source) < POOL_MIN_BYTES:
            return 1
        return machine_workers()

    def protect(
        self, task: ProtectTask, source: Dataset, keys: Sequence[DataKey]
    ) -> LocalExecution:
        """Protect every batch of ``source`` (lazily: the writer pulls the batches)."""
        protector = protector_for(task, keys)
        workers = self.workers_for(task, source)
        if workers <= 1:
            stream: Iterator[pa.RecordBatch] = (
                protector.protect(b, task.output_schema) for b in source.batches()
            )
        else:
            stream = _in_pool(protector, task, list(keys), source.batches(), workers)
        return LocalExecution(protector, stream)

    def profile(self, task: ProfileTask, source: Dataset) -> dict[str, ColumnProfile]:
        """Profile every value of the task's columns, batch by batch, in this process."""
        return profile_batches(task, source.batches())


_WORKER: dict[str, object] = {}


def _init(task: ProtectTask, keys: list[DataKey]) -> None:
    _WORKER["protector"] = protector_for(task, keys)
    _WORKER["task"] = task


def _work(batch: pa.RecordBatch) -> tuple[pa.RecordBatch, Counts]:
    from govkit.protect.apply import Protector

    protector = _WORKER["protector"]
    if not isinstance(protector, Protector):
        raise AssertionError("internal invariant broken: isinstance(protector, Protector)")
    task = _WORKER["task"]
    if not isinstance(task, ProtectTask):
        raise AssertionError("internal invariant broken: isinstance(task, ProtectTask)")
    before = protector.counts()
    out = protector.protect(batch, task.output_schema)
    return out, _minus(protector.counts(), before)


def _minus(after: Counts, before: Counts) -> Counts:
    after.rows_in -= before.rows_in
    after.rows_out -= before.rows_out
    for name in after.values:
        after.values[name] -= before.values[name]
        after.nulls[name] -= before.nulls[name]
        after.spans[name] -= before.spans[name]
    return after


def _in_pool(
    protector: Protector,
    task: ProtectTask,
    keys: list[DataKey],
    batches: Iterable[pa.RecordBatch],
    workers: int,
) -> Iterator[pa.RecordBatch]:
    """Protect batches in ``workers`` processes, yielding them in input order."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init, initargs=(task, keys)
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
