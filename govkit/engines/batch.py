"""The batch functions every engine runs: the same code in-process, in a pool, on executors.

- :func:`protector_for` + :meth:`Protector.protect`: one protected batch per input batch;
  build the protector once per worker/partition, then feed it batches.
- :func:`protect_partition`: the ``mapInArrow`` shape (iterator of batches in, out).
- :func:`profile_batch`: additive column profiles for ``scan --full``.

Key material reaches these functions only through :class:`HandedKeys` (in memory).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa

from govkit.errors import DetectionError, KeyMaterialError
from govkit.protect.keys import DataKey, KeyInfo, Purpose

if TYPE_CHECKING:
    from govkit.detect.columns import ColumnProfile
    from govkit.detect.text import TextDetector
    from govkit.engines.base import ProfileTask, ProtectTask
    from govkit.protect.apply import Protector


class HandedKeys:
    """A read-only KeyProvider over the keys a task was planned with."""

    def __init__(self, keys: Sequence[DataKey]) -> None:
        self._keys = {k.id: k for k in keys}

    def active(self, purpose: Purpose) -> DataKey:
        """The key the planner chose for ``purpose``."""
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


def protector_for(task: ProtectTask, keys: Sequence[DataKey]) -> Protector:
    """Bind a task to its handed keys (transforms built once, before the first batch).

    Raises:
        KeyMaterialError: a key named by ``task.key_ids`` was not handed.
    """
    from govkit.protect.apply import Protector

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


def profile_batch(
    task: ProfileTask, batch: pa.RecordBatch, detector: TextDetector | None
) -> dict[str, ColumnProfile]:
    """Profile one batch's listed columns (additive: merge the results of every batch).

    Raises:
        DetectionError: a column could not be examined (names the column, no value).
    """
    from govkit.detect.columns import ColumnProfile, prepare, profile_every_value

    out: dict[str, ColumnProfile] = {}
    for name, spec in task.columns.items():
        column = batch.column(name)
        values, _ = prepare(column)
        if values is None:
            out[name] = ColumnProfile()
            continue
        try:
            out[name] = profile_every_value(
                values,
                entities=list(spec.entities),
                text=detector if spec.free_text else None,
                free_text=spec.free_text,
            )
        except (pa.ArrowException, ValueError) as exc:
            raise DetectionError(f"column {name!r} could not be examined") from exc
    return out


def detector_for(task: ProfileTask) -> TextDetector | None:
    """The free-text detector a profile task needs (None when no column is free text)."""
    if not any(c.free_text for c in task.columns.values()):
        return None
    from govkit.detect.text import TextDetector

    return TextDetector.default(spacy_model=task.spacy_model)
