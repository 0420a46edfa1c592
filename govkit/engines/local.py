"""The local engine: batches streamed in this process, or over a pool of processes.

``workers="auto"`` (the default) sizes the pool to the machine — one worker per core
but the one the parent keeps for reading and writing (:func:`auto_workers`; on 2 cores
that is in-process) — for work that gains from it: a task with per-value crypto (tokenize, encrypt, fpe) over a source of at
least :data:`POOL_MIN_BYTES` — and stays in-process otherwise, where starting a
pool would cost more than it saves. Any worker count gives the same batches, in the
same order, and the same counts as one worker (tested).

Pool workers are spawned; each builds the task's protector once from the plan and
the data keys the parent already unwrapped (sent through the pool's pipe with the
first batch a worker gets, never written). At most ``2 × workers`` batches are in
flight, so memory stays bounded.

Inside :meth:`LocalEngine.pooled` (a pipeline run) one pool serves every output, and
each worker keeps one run cache (:mod:`govkit.protect.cache`, the run's budget split
between the workers) for its whole life. Batch *i* of every output goes to worker
*i mod N*: outputs of one source are read in the same batches, so the worker that
protected a batch's values for one output finds them in its cache for the next.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
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
    from govkit.protect.plan import ProtectionPlan

Workers = int | Literal["auto"]
POOL_MIN_BYTES = 32 * 1024 * 1024
"""``auto`` uses a pool only for sources at least this large (smaller ones finish first)."""
MAX_AUTO_WORKERS = 8


def auto_workers(cores: int) -> int:
    """Pool workers for ``cores`` usable cores: one core stays with the parent.

    The parent reads the source and encodes and writes the output while the workers
    protect, so a pool of one worker per core oversubscribes the machine: measured on
    2 cores, 2 workers ran the 200k-customer pipeline 1.25x slower than in-process
    (docs/performance.md). 1 means in-process.
    """
    return max(1, min(cores - 1, MAX_AUTO_WORKERS))


def machine_cores() -> int:
    """The cores this process may use (its CPU affinity)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def machine_workers() -> int:
    """:func:`auto_workers` for :func:`machine_cores`."""
    return auto_workers(machine_cores())


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
        self._pool: _Pool | None = None
        self._keep = False

    @contextmanager
    def pooled(self) -> Iterator[LocalEngine]:
        """Keep one pool (and its workers' run caches) for every task run inside."""
        self._keep = True
        try:
            yield self
        finally:
            self._keep = False
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    def worker_cache_stats(self) -> list[tuple[int, int]]:
        """(hits, misses) of each pool worker's run cache so far; [] without a pool."""
        return self._pool.cache_stats() if self._pool is not None else []

    def _pool_of(self, workers: int) -> _Pool:
        if self._pool is not None and self._pool.size != workers:
            self._pool.close()
            self._pool = None
        if self._pool is None:
            self._pool = _Pool(workers)
        return self._pool

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
            stream = self._pooled_stream(protector, task, list(keys), source, workers)
        return LocalExecution(protector, stream)

    def _pooled_stream(
        self,
        protector: Protector,
        task: ProtectTask,
        keys: list[DataKey],
        source: Dataset,
        workers: int,
    ) -> Iterator[pa.RecordBatch]:
        pool = self._pool_of(workers)
        try:
            yield from pool.run(protector, task, keys, source.batches())
        finally:
            if not self._keep:
                pool.close()
                self._pool = None

    @contextmanager
    def text_helper(self, plans: Iterable[tuple[ProtectionPlan, Dataset]]) -> Iterator[None]:
        """A second process for free-text span detection while a run protects.

        Only with ``workers="auto"`` on two or more cores, and only when a ``text``
        column comes from a source of at least :data:`POOL_MIN_BYTES` (starting the
        process costs about a second of a core). See :mod:`govkit.protect.spanhelper`.
        """
        from govkit.protect.spanhelper import span_helper

        wanted = (
            self.workers == "auto"
            and machine_cores() >= 2
            and any(
                _source_bytes(source) >= POOL_MIN_BYTES
                and any(c.transform == "text" for c in plan.columns)
                for plan, source in plans
            )
        )
        with span_helper(wanted):
            yield

    def validates_beside(self, sources: Sequence[Dataset]) -> bool:
        """Whether a run should validate ``sources`` in a second process while it protects.

        Only with ``workers="auto"`` on two or more cores, for local files (the process
        reopens them) of at least :data:`POOL_MIN_BYTES` together: below that, starting
        a process and importing Great Expectations there costs more than it saves.
        See :class:`govkit.pipeline.quality.BesideValidation`.
        """
        from govkit.datasets.files import FileDataset

        return (
            self.workers == "auto"
            and machine_cores() >= 2
            and all(isinstance(s, FileDataset) for s in sources)
            and sum(_source_bytes(s) for s in sources) >= POOL_MIN_BYTES
        )

    def profile(self, task: ProfileTask, source: Dataset) -> dict[str, ColumnProfile]:
        """Profile every value of the task's columns, batch by batch, in this process."""
        return profile_batches(task, source.batches())


_WORKER: dict[str, object] = {}


def _init(workers: int) -> None:
    """A worker's run cache: its share of the run's budget, for the worker's life."""
    from govkit.protect.cache import DEFAULT_BUDGET, open_process_scope

    open_process_scope(DEFAULT_BUDGET // workers)


def _work(
    token: int, setup: tuple[ProtectTask, list[DataKey]] | None, batch: pa.RecordBatch
) -> tuple[pa.RecordBatch, Counts]:
    from govkit.protect.apply import Protector

    if setup is not None:  # the first batch of a task this worker sees
        _WORKER.clear()  # tasks run one after another: the previous one is finished
        _WORKER.update(token=token, protector=protector_for(*setup), task=setup[0])
    if _WORKER.get("token") != token:
        raise AssertionError("internal invariant broken: a batch came before its task")
    protector = _WORKER["protector"]
    if not isinstance(protector, Protector):
        raise AssertionError("internal invariant broken: isinstance(protector, Protector)")
    task = _WORKER["task"]
    if not isinstance(task, ProtectTask):
        raise AssertionError("internal invariant broken: isinstance(task, ProtectTask)")
    before = protector.counts()
    out = protector.protect(batch, task.output_schema)
    return out, _minus(protector.counts(), before)


def _cache_stats() -> tuple[int, int]:
    from govkit.protect.cache import cache_for

    cache = cache_for(None)
    return cache.hits, cache.misses


def _minus(after: Counts, before: Counts) -> Counts:
    after.rows_in -= before.rows_in
    after.rows_out -= before.rows_out
    for name in after.values:
        after.values[name] -= before.values[name]
        after.nulls[name] -= before.nulls[name]
        after.spans[name] -= before.spans[name]
    return after


_TOKENS = itertools.count(1)


class _Pool:
    """``size`` spawned single-process lanes; batch *i* of a task goes to lane *i mod size*."""

    def __init__(self, size: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.size = size
        self.lanes = [
            ProcessPoolExecutor(1, mp_context=context, initializer=_init, initargs=(size,))
            for _ in range(size)
        ]

    def run(
        self,
        protector: Protector,
        task: ProtectTask,
        keys: list[DataKey],
        batches: Iterable[pa.RecordBatch],
    ) -> Iterator[pa.RecordBatch]:
        """Protect batches over the lanes, yielding them in input order."""
        token = next(_TOKENS)
        told: set[int] = set()
        pending: deque[Future[tuple[pa.RecordBatch, Counts]]] = deque()
        try:
            for i, batch in enumerate(batches):
                lane = i % self.size
                setup = None if lane in told else (task, keys)
                told.add(lane)
                pending.append(self.lanes[lane].submit(_work, token, setup, batch))
                if len(pending) >= 2 * self.size:
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

    def cache_stats(self) -> list[tuple[int, int]]:
        """(hits, misses) of each lane's run cache."""
        return [lane.submit(_cache_stats).result() for lane in self.lanes]

    def close(self) -> None:
        """Stop the workers (their caches go with them)."""
        for lane in self.lanes:
            lane.shutdown(wait=True, cancel_futures=True)
