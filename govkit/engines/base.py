"""The engine seam: a stage plans *what* to do (pure data), an engine does it over Arrow batches.

A stage (protect, scan --full, validate) builds a task first — engine-free, picklable
and printable (no key material, no values). An :class:`Engine` executes the task over
the record batches of a :class:`~govkit.datasets.Dataset` by calling the *batch
functions* below on every batch, wherever the batch lives:

- the local engine calls them in this process or in a process pool;
- a Spark engine calls the very same functions inside ``mapInArrow`` on executors and
  adds the additive results (counts, column profiles) up on the driver.

Both engines run the same code on the same batch format, so deterministic transforms
give the same values and the counts agree. Nothing here imports an engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import pyarrow as pa

if TYPE_CHECKING:
    from govkit.datasets import Dataset
    from govkit.detect.columns import ColumnProfile
    from govkit.protect.apply import Counts
    from govkit.protect.keys import DataKey
    from govkit.protect.plan import ProtectionPlan


@dataclass(frozen=True)
class ProtectTask:
    """What ``protect`` does to one dataset; the same on every engine.

    Attributes:
        plan: per column the transform, its parameters, entity, view and rule; the
            access decision's row filter (``plan.row_filter``); dropped columns.
        output_schema: the schema of every protected batch.
        key_ids: column → id of the data key its transform uses (printable; the key
            material is handed to :meth:`Engine.protect` separately).
    """

    plan: ProtectionPlan
    output_schema: pa.Schema
    key_ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ProfileColumn:
    """How ``scan --full`` confirms one column on every value."""

    entities: tuple[str, ...]
    """Entity types whose matchers and validators run on the values."""
    free_text: bool = False
    """Span detection (free text) instead of whole-value matching."""


@dataclass(frozen=True)
class ProfileTask:
    """What ``scan --full`` computes over every batch: one additive profile per column.

    Attributes:
        columns: column → how to profile it; columns not listed are not inspected.
        spacy_model: the free-text detector's spaCy model (None: the default one).
    """

    columns: dict[str, ProfileColumn]
    spacy_model: str | None = None


class ProtectExecution(Protocol):
    """A protect task under way: the protected batches, then the counts.

    ``batches`` is consumed once, in input order, by the writer (a staged file, a
    staged table); ``counts`` is complete once ``batches`` is exhausted.
    """

    @property
    def batches(self) -> Iterator[pa.RecordBatch]:
        """The protected batches, in input order, each with ``task.output_schema``."""
        ...

    @property
    def counts(self) -> Counts:
        """Rows in/out and per-column values, nulls and replaced spans (no values)."""
        ...


@runtime_checkable
class Engine(Protocol):
    """Executes stage tasks over Arrow record batches.

    Implementations: :class:`govkit.engines.local.LocalEngine` (in-process or a process
    pool); a Spark engine (``mapInArrow``). Every method must give the same result as
    :class:`LocalEngine` with one worker for the same task and the same data.
    """

    name: str
    """Short name shown in reports and audit details (``local``, ``spark``)."""

    def protect(
        self, task: ProtectTask, source: Dataset, keys: Sequence[DataKey]
    ) -> ProtectExecution:
        """Protect every batch of ``source``: ``protect_batches(task, keys, batches)``.

        Args:
            task: the engine-free plan.
            source: the dataset to read (its ``batches()``).
            keys: the data keys named by ``task.key_ids``, unwrapped by the caller;
                an engine hands them to its workers in memory and never writes them.

        Raises:
            ProtectionError, KeyMaterialError: as the batch function raises them.
        """
        ...

    def profile(self, task: ProfileTask, source: Dataset) -> dict[str, ColumnProfile]:
        """Profile every value of the listed columns: ``profile_batch`` per batch, merged.

        Returns:
            column → the merged :class:`~govkit.detect.columns.ColumnProfile` (additive:
            the merge order does not change the result except the ≤ 3 masked examples).
        """
        ...
