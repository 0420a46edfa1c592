"""``scan --full`` on Spark: every partition profiled with ``mapInArrow``, merged on the driver.

Each partition runs the seam's :func:`~govkit.engines.batch.profile_batch` on its
batches and returns one row: its merged column profiles, pickled. The driver
collects one small row per partition (counts and at most three examples per column
kept for masking — never a data column) and merges them with
:meth:`~govkit.detect.columns.ColumnProfile.merge`, as the local engine does.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pyarrow as pa

from govkit.engines.base import ProfileTask
from govkit.errors import DetectionError, GovkitError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from govkit.detect.columns import ColumnProfile

MARK = "govkit-spark-failure: "


def profile_function(
    task: ProfileTask,
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """The ``mapInArrow`` function: one pickled set of profiles per partition."""

    def profile_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from govkit.detect.columns import ColumnProfile
        from govkit.engines.batch import detector_for, profile_batch

        try:
            detector = detector_for(task)
            merged = {name: ColumnProfile() for name in task.columns}
            for batch in batches:
                for name, chunk in profile_batch(task, batch, detector).items():
                    merged[name].merge(chunk)
        except GovkitError as exc:
            raise RuntimeError(f"{MARK}{type(exc).__name__}: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - its text may quote data
            raise RuntimeError(f"{MARK}{type(exc).__name__}") from None
        blob = pickle.dumps(merged)
        yield pa.RecordBatch.from_pydict(
            {"profiles": [blob]}, schema=pa.schema([("profiles", pa.binary())])
        )

    return profile_partition


def profile_frame(frame: DataFrame, task: ProfileTask, where: str) -> dict[str, ColumnProfile]:
    """Profile every value of the task's columns; merged like the local engine's.

    Raises:
        DetectionError: a partition failed (one line, no value).
    """
    from govkit.detect.columns import ColumnProfile
    from govkit.spark.protect import spark_failure

    merged = {name: ColumnProfile() for name in task.columns}
    columns = [f"`{name}`" for name in task.columns]
    try:
        rows = (
            frame.select(*columns).mapInArrow(profile_function(task), "profiles binary").collect()
        )
    except Exception as exc:
        raise DetectionError(str(spark_failure(exc, where))) from exc
    for row in rows:
        part: dict[str, ColumnProfile] = pickle.loads(row["profiles"])  # noqa: S301 - our executors
        for name, chunk in part.items():
            merged[name].merge(chunk)
    return merged
