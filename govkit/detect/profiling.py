"""``scan --full`` as a batch function: additive column profiles, the same on every engine.

:func:`profile_batch` runs on one Arrow batch (in this process, in a pool, or on a
Spark executor inside ``mapInArrow``); :meth:`ColumnProfile.merge` adds the results
up. :func:`profile_batches` is the in-process loop.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

import pyarrow as pa

from govkit.detect.columns import ColumnProfile, prepare, profile_every_value
from govkit.errors import DetectionError

if TYPE_CHECKING:
    from govkit.detect.text import TextDetector
    from govkit.engines.base import ProfileTask


def profile_batch(
    task: ProfileTask, batch: pa.RecordBatch, detector: TextDetector | None
) -> dict[str, ColumnProfile]:
    """Profile one batch's listed columns (additive: merge the results of every batch).

    Raises:
        DetectionError: a column could not be examined (names the column, no value).
    """
    out: dict[str, ColumnProfile] = {}
    for name, spec in task.columns.items():
        values, _, overlong = prepare(batch.column(name))
        if values is None:
            out[name] = ColumnProfile(overlong=overlong)
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
        out[name].overlong += overlong  # cells too long to examine: the column fails closed
    return out


@lru_cache(maxsize=4)
def _detector(spacy_model: str | None) -> TextDetector:
    from govkit.detect.text import TextDetector

    return TextDetector.default(spacy_model=spacy_model)


def detector_for(task: ProfileTask) -> TextDetector | None:
    """The free-text detector a task needs, built once per process (None: no free text)."""
    if not any(c.free_text for c in task.columns.values()):
        return None
    return _detector(task.spacy_model)


def profile_batches(
    task: ProfileTask, batches: Iterable[pa.RecordBatch], detector: TextDetector | None = None
) -> dict[str, ColumnProfile]:
    """Profile every batch in this process and merge (what :class:`LocalEngine` does)."""
    detector = detector or detector_for(task)
    merged = {name: ColumnProfile() for name in task.columns}
    for batch in batches:
        for name, chunk in profile_batch(task, batch, detector).items():
            merged[name].merge(chunk)
    return merged
