"""The Spark engine: the same plans as the local engine, executed with ``mapInArrow``.

Stages plan exactly as they do on the local engine; this engine reads sources as
DataFrames, runs the same batch functions on executors and stages outputs where
Spark can write them, for :class:`~govkit.pipeline.publish.Publisher` to publish
after the audit trail is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from govkit.datasets import Dataset
from govkit.datasets.sql import SqlDataset
from govkit.datasets.uri import is_spark_table, is_spark_uri, is_sql_url, redact_url
from govkit.engines.base import ProfileTask, ProtectTask
from govkit.errors import DatasetError, GovkitError, OutputExistsError, UsageError
from govkit.protect.apply import Counts
from govkit.protect.keys import DataKey
from govkit.spark.frames import SparkDataset, read_source
from govkit.spark.protect import SparkProtection

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from govkit.detect.columns import ColumnProfile
    from govkit.pipeline.publish import Publisher
    from govkit.protect.manifest import Manifest
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

    def open(self, uri: str, *, table: str | None = None, query: str | None = None) -> SparkDataset:
        """A source as a Spark-backed dataset (a database URL with ``table`` or ``query``)."""
        return read_source(self.session, uri, table=table, query=query)

    def frame_of(self, source: Dataset) -> SparkDataset:
        """A dataset as a Spark-backed one (files are read by Spark, tables over JDBC)."""
        if isinstance(source, SparkDataset):
            return source
        if isinstance(source, SqlDataset):
            if source.table_name is None:
                raise UsageError(
                    f"{source.uri}: the Spark engine opens a --query itself; "
                    "pass the URL and query, not an opened dataset"
                )
            return self.open(source.url, table=source.table_name)
        return self.open(source.uri)

    def protect(
        self, task: ProtectTask, source: Dataset, keys: Sequence[DataKey]
    ) -> SparkExecution:
        """Protect ``source`` (lazily): write it with :meth:`stage_output_of`, or read ``batches``."""
        from govkit.spark.protect import protect_frame

        data = self.frame_of(source)
        return SparkExecution(protect_frame(data.frame, task, keys), f"protect {source.name}")

    def stage_output_of(
        self,
        name: str,
        execution: SparkExecution,
        target: str,
        publisher: Publisher,
        *,
        table: str | None = None,
        encoding: str | None = None,
        keep_formulas: bool | None = None,
    ) -> Counts:
        """Write a protect execution to a staging directory or table; the publisher swaps it in.

        ``table`` names the table of a database URL; ``keep_formulas`` is the output's
        ``keep_formulas:`` (CSV/TSV). Spark writes CSV/TSV as UTF-8 only.

        Raises:
            ProtectionError: the Spark job failed (one line naming the output).
            OutputExistsError: the target exists and the run may not overwrite it.
            UsageError: an output encoding other than UTF-8; a database URL without table.
        """
        from govkit.spark.protect import spark_failure

        if encoding not in (None, "utf-8", "utf8"):
            raise UsageError(
                f"output {name}: the Spark engine writes CSV/TSV as UTF-8 only, not {encoding}"
            )
        if is_sql_url(target) and not is_spark_uri(target):
            return self._stage_table(name, execution, target, table, publisher)
        from govkit.spark.frames import staging_name, write_frame
        from govkit.spark.publish import stage_for

        if not publisher.overwrite and self._exists(target):
            raise OutputExistsError(f"{target}: already exists (pass --overwrite to replace it)")
        if not is_spark_uri(target):
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        stage = stage_for(self.session, name, target, staging_name(target), 0)
        try:
            write_frame(
                execution.protection.frame, target, stage.staging, keep_formulas=keep_formulas
            )
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

    def _stage_table(
        self,
        name: str,
        execution: SparkExecution,
        url: str,
        table: str | None,
        publisher: Publisher,
    ) -> Counts:
        """Spark writes a staging table in the target database; the publisher swaps it in.

        The swap is the local engine's (:func:`govkit.pipeline.tables.swap_tables`): all
        tables of one database in one transaction (one ``RENAME TABLE`` on MySQL/MariaDB).
        """
        from govkit.datasets.staging import stage_table_name
        from govkit.pipeline.tables import Staged, drop_quietly, has_table
        from govkit.spark.jdbc import write_jdbc
        from govkit.spark.protect import MARK, spark_failure

        if not table:
            raise UsageError(f"{redact_url(url)}: output {name!r} needs a table")
        if not publisher.overwrite and has_table(url, table):
            raise OutputExistsError(
                f"{redact_url(url)}: table {table!r} already exists (pass --overwrite to replace it)"
            )
        staging = stage_table_name()
        try:
            write_jdbc(execution.protection.frame, url, staging)
        except Exception as exc:
            drop_quietly(url, [staging])  # Spark commits per partition: drop what landed
            if MARK in str(exc):
                raise spark_failure(exc, f"output {name}") from exc
            raise
        counts = execution.protection.counts()
        execution._counts = counts
        publisher.staged.append(Staged(name, url, table, counts.rows_out, staging))
        return counts

    def publish_output(
        self,
        name: str,
        execution: SparkExecution,
        output: str,
        *,
        table: str | None,
        overwrite: bool,
        manifest: Callable[[str], Manifest],
        record: Callable[[Manifest], None],
        manifest_to: Path | None = None,
        encoding: str | None = None,
    ) -> Manifest:
        """The protect door on Spark: stage, build the manifest, record, then publish.

        The output (and its manifest, beside a file output or at ``manifest_to``) is
        published by the run's publisher only after ``record`` has written the audit
        event; a failure before that publishes nothing.
        """
        from govkit.pipeline.publish import Publisher
        from govkit.protect.manifest import manifest_path, manifest_text

        database = is_sql_url(output) and not is_spark_uri(output)
        if not database and not is_spark_uri(output) and not Path(output).parent.is_dir():
            folder = Path(output).parent
            raise DatasetError(
                f"{output}: the output folder {folder} does not exist; "
                f"create it (mkdir -p {folder}) or choose another --output"
            )
        with Publisher(overwrite=overwrite, make_dirs=False) as publisher:
            self.stage_output_of(name, execution, output, publisher, table=table, encoding=encoding)
            made = manifest(f"{redact_url(output)}#{table}" if database else output)
            record(made)
            where = manifest_to or (None if database else manifest_path(output))
            if where is not None:
                publisher.stage_text(f"manifest of {name}", where, manifest_text(made))
            publisher.commit()
        return made

    def validate(self, source: Dataset, suite_path: Path) -> QualityResult:
        """Run a suite with GX's Spark datasource and one counting ``mapInArrow`` pass."""
        from govkit.spark.validate import validate_frame

        return validate_frame(self.frame_of(source), suite_path)

    def profile(self, task: ProfileTask, source: Dataset) -> dict[str, ColumnProfile]:
        """Profile every value of the task's columns on the executors, merged on the driver."""
        from govkit.spark.scan import profile_frame

        return profile_frame(self.frame_of(source).frame, task, f"scan {source.name}")

    def _exists(self, target: str) -> bool:  # a file, directory or Spark table
        if is_spark_table(target):
            return bool(self.session.catalog.tableExists(target.split(":", 1)[1]))
        return Path(target).exists() if not is_spark_uri(target) else False
