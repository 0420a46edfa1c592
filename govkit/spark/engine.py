"""The Spark engine: the same plans as the local engine, executed with ``mapInArrow``.

Stages plan exactly as they do on the local engine; this engine reads sources as
DataFrames, runs the same batch functions on executors and stages outputs where
Spark can write them, for :class:`~govkit.pipeline.publish.Publisher` to publish
after the audit trail is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from govkit.datasets import Dataset
from govkit.datasets.uri import is_spark_table, is_spark_uri
from govkit.engines.base import ProfileTask, ProtectTask
from govkit.errors import GovkitError, OutputExistsError
from govkit.protect.apply import Counts
from govkit.protect.keys import DataKey
from govkit.spark.frames import SparkDataset, read_source
from govkit.spark.protect import SparkProtection

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from govkit.detect.columns import ColumnProfile
    from govkit.pipeline.publish import Publisher
    from govkit.quality.models import QualityResult


@dataclass
class SparkExecution:
    """A protect task on Spark: a lazy protected DataFrame and where its counts arrive.

    Nothing runs until it is written — by :meth:`SparkEngine.stage_output_of` (Spark writes
    the output itself) or by iterating :attr:`batches` (collected through the driver: the
    library door for small data).
    """

    protection: SparkProtection
    where: str
    _counts: Counts | None = None

    @property
    def batches(self) -> Iterator[pa.RecordBatch]:
        """The protected batches, collected to the driver (small data only)."""
        return self._collect()

    def _collect(self) -> Iterator[pa.RecordBatch]:
        from govkit.spark.protect import spark_failure

        try:
            table = self.protection.frame.toArrow()
        except GovkitError:
            raise
        except Exception as exc:
            raise spark_failure(exc, self.where) from exc
        yield from table.cast(self.protection.schema).to_batches()
        self._counts = self.protection.counts()

    @property
    def counts(self) -> Counts:
        """Counters, complete once the frame has been written or collected."""
        if self._counts is None:
            raise AssertionError("write or read the batches first")
        return self._counts


@dataclass
class SparkEngine:
    """Executes govkit's plans on a Spark session.

    Args:
        session: the Spark session (see :func:`govkit.spark.session.get_session`).
    """

    session: SparkSession
    name: str = field(default="spark", init=False)

    def describe(self) -> dict[str, str]:
        """Engine name, Spark version, master and application id (for audit and reports)."""
        from govkit.spark.session import describe

        return describe(self.session)

    def open(self, uri: str) -> SparkDataset:
        """A source as a Spark-backed dataset."""
        return read_source(self.session, uri)

    def frame_of(self, source: Dataset) -> SparkDataset:
        """A dataset as a Spark-backed one (files are read by Spark)."""
        if isinstance(source, SparkDataset):
            return source
        return self.open(source.uri)

    def protect(
        self, task: ProtectTask, source: Dataset, keys: Sequence[DataKey]
    ) -> SparkExecution:
        """Protect ``source`` (lazily): write it with :meth:`stage_output_of`, or read ``batches``."""
        from govkit.spark.protect import protect_frame

        data = self.frame_of(source)
        return SparkExecution(protect_frame(data.frame, task, keys), f"protect {source.name}")

    def stage_output_of(
        self, name: str, execution: SparkExecution, target: str, publisher: Publisher
    ) -> Counts:
        """Write a protect execution to a staging directory or table; the publisher swaps it in.

        Raises:
            ProtectionError: the Spark job failed (one line naming the output).
            OutputExistsError: the target exists and the run may not overwrite it.
        """
        from govkit.spark.frames import staging_name, write_frame
        from govkit.spark.protect import spark_failure
        from govkit.spark.publish import stage_for

        if not publisher.overwrite and self._exists(target):
            raise OutputExistsError(f"{target}: already exists (pass --overwrite to replace it)")
        if not is_spark_uri(target):
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        stage = stage_for(self.session, name, target, staging_name(target), 0)
        try:
            write_frame(execution.protection.frame, target, stage.staging)
        except Exception as exc:
            stage.discard()
            if isinstance(exc, GovkitError):
                raise
            raise spark_failure(exc, f"output {name}") from exc
        counts = execution.protection.counts()
        execution._counts = counts
        stage.rows = counts.rows_out
        publisher.adopt(stage)
        return counts

    def validate(self, source: Dataset, suite_path: Path) -> QualityResult:
        """Run a suite with GX's Spark datasource and one counting ``mapInArrow`` pass."""
        from govkit.spark.validate import validate_frame

        return validate_frame(self.frame_of(source), suite_path)

    def profile(self, task: ProfileTask, source: Dataset) -> dict[str, ColumnProfile]:
        """Profile every value of the task's columns on the executors, merged on the driver."""
        from govkit.spark.scan import profile_frame

        return profile_frame(self.frame_of(source).frame, task, f"scan {source.name}")

    def _exists(self, target: str) -> bool:
        if is_spark_table(target):
            return bool(self.session.catalog.tableExists(target.split(":", 1)[1]))
        return Path(target).exists() if not is_spark_uri(target) else False
