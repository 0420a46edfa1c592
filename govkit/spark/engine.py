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
from govkit.spark.frames import SparkDataset, read_source, spark_encoding
from govkit.spark.protect import SparkProtection
from govkit.spark.publish import owner_only

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from govkit.detect.columns import ColumnProfile
    from govkit.pipeline.publish import Publisher
    from govkit.policy.views import RowFilter
    from govkit.protect.base import Transform
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

    def check_output(self, output: str, encoding: str | None) -> None:
        """Refuse, before any work, an output encoding Spark does not write (utf-8-sig).

        Raises:
            UsageError: see :func:`govkit.spark.frames.spark_encoding`.
        """
        spark_encoding(Path(output.rstrip("/")).name, encoding)

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
        private: bool = False,
    ) -> Counts:
        """Write a protect execution to a staging directory or table; the publisher swaps it in.

        ``table`` names the table of a database URL; ``keep_formulas`` is the output's
        ``keep_formulas:`` (CSV/TSV); ``private`` makes a staged directory owner-only.

        Raises:
            ProtectionError: the Spark job failed (one line naming the output).
            OutputExistsError: the target exists and the run may not overwrite it.
            UsageError: an output encoding Spark does not write; a database URL without table.
        """

        def rows() -> int:
            execution._counts = execution.protection.counts()
            return execution._counts.rows_out

        self._stage_frame(
            f"output {name}",
            name,
            execution.protection.frame,
            rows,
            target,
            publisher,
            table=table,
            encoding=encoding,
            keep_formulas=keep_formulas,
            private=private,
        )
        return execution.counts

    def _stage_frame(
        self,
        where: str,
        name: str,
        frame: DataFrame,
        rows: Callable[[], int],
        target: str,
        publisher: Publisher,
        *,
        table: str | None,
        encoding: str | None,
        keep_formulas: bool | None,
        private: bool,
    ) -> None:
        """Write ``frame`` to a staging directory or table and hand it to ``publisher``.

        ``rows()`` reads the row count once the frame is written.
        """
        from govkit.spark.protect import spark_failure

        written = spark_encoding(name, encoding)
        if is_sql_url(target) and not is_spark_uri(target):
            self._stage_table(where, name, frame, rows, target, table, publisher)
            return
        from govkit.spark.frames import staging_name, write_frame
        from govkit.spark.publish import stage_for

        if not publisher.overwrite and self._exists(target):
            raise OutputExistsError(f"{target}: already exists (pass --overwrite to replace it)")
        if not is_spark_uri(target):
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        stage = stage_for(self.session, name, target, staging_name(target), 0)
        try:
            write_frame(frame, target, stage.staging, keep_formulas=keep_formulas, encoding=written)
            if private:
                owner_only(self.session, stage.staging)
        except Exception as exc:
            stage.discard()
            if isinstance(exc, GovkitError):
                raise
            raise spark_failure(exc, where) from exc
        stage.rows = rows()
        publisher.adopt(stage)

    def _stage_table(
        self,
        where: str,
        name: str,
        frame: DataFrame,
        rows: Callable[[], int],
        url: str,
        table: str | None,
        publisher: Publisher,
    ) -> None:
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
            write_jdbc(frame, url, staging)
        except Exception as exc:
            drop_quietly(url, [staging])  # Spark commits per partition: drop what landed
            if MARK in str(exc):
                raise spark_failure(exc, where) from exc
            raise
        publisher.staged.append(Staged(name, url, table, rows(), staging))

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
        private: bool = False,
    ) -> Manifest:
        """The protect door on Spark: stage, build the manifest, record, then publish.

        The output (and its manifest, beside a file output or at ``manifest_to``) is
        published by the run's publisher only after ``record`` has written the audit
        event; a failure before that publishes nothing. ``private`` (raw values kept):
        the staged directory is made owner-only before it is published.
        """

        def rows() -> int:
            execution._counts = execution.protection.counts()
            return execution._counts.rows_out

        return self._publish(
            f"output {name}",
            name,
            execution.protection.frame,
            rows,
            output,
            table=table,
            overwrite=overwrite,
            manifest=lambda uri, _: manifest(uri),
            record=record,
            manifest_to=manifest_to,
            encoding=encoding,
            private=private,
        )

    def reveal_output(
        self,
        source: Dataset,
        output: str,
        *,
        output_table: str | None,
        openers: dict[str, Transform],
        keys: Sequence[DataKey],
        row_filter: RowFilter | None,
        overwrite: bool,
        manifest: Callable[[str, int], Manifest],
        record: Callable[[Manifest], None],
        encoding: str | None = None,
    ) -> Manifest:
        """The reveal stage on Spark: the row filter as a Spark filter, then ``govkit_reveal``.

        Each granted column goes through the function ``govkit_reveal`` runs (the
        transform's own ``reveal``, with only the ``keys`` the manifest names, inside
        its closure); the output is staged owner-only, ``record`` writes the audit
        event, then it is published with its manifest — as the local reveal does.

        Raises:
            ProtectionError: a row filter column missing; the Spark job failed (one line).
        """
        from pyspark.sql import Observation
        from pyspark.sql import functions as F

        from govkit.spark.filters import row_filter_column
        from govkit.spark.sql import reveal_udf

        frame = self.frame_of(source).frame
        keep = row_filter_column(row_filter, frame.schema)
        if keep is not None:
            frame = frame.filter(keep)
        observation = Observation("govkit_reveal_rows")
        frame = frame.observe(observation, F.count(F.lit(1)).alias("rows"))
        apply = reveal_udf(openers, keys)
        frame = frame.select(
            *[
                apply(F.col(f"`{n}`").cast("string"), F.lit(n)).alias(n)
                if n in openers
                else F.col(f"`{n}`")
                for n in frame.columns
            ]
        )
        return self._publish(
            f"reveal {source.name}",
            f"reveal of {source.name}",
            frame,
            lambda: int(observation.get.get("rows", 0)),
            output,
            table=output_table,
            overwrite=overwrite,
            manifest=manifest,
            record=record,
            manifest_to=None,
            encoding=encoding,
            private=True,
        )

    def _publish(
        self,
        where: str,
        name: str,
        frame: DataFrame,
        rows: Callable[[], int],
        output: str,
        *,
        table: str | None,
        overwrite: bool,
        manifest: Callable[[str, int], Manifest],
        record: Callable[[Manifest], None],
        manifest_to: Path | None,
        encoding: str | None,
        private: bool,
    ) -> Manifest:
        """Stage ``frame`` at ``output``, build its manifest, record, then publish both."""
        from govkit.pipeline.publish import Publisher
        from govkit.protect.manifest import manifest_path, manifest_text

        database = is_sql_url(output) and not is_spark_uri(output)
        if not database and not is_spark_uri(output) and not Path(output).parent.is_dir():
            folder = Path(output).parent
            raise DatasetError(
                f"{output}: the output folder {folder} does not exist; "
                f"create it (mkdir -p {folder}) or choose another --output"
            )
        counted: list[int] = []

        def count() -> int:
            counted.append(rows())
            return counted[-1]

        with Publisher(overwrite=overwrite, make_dirs=False) as publisher:
            self._stage_frame(
                where,
                name,
                frame,
                count,
                output,
                publisher,
                table=table,
                encoding=encoding,
                keep_formulas=None,
                private=private,
            )
            made = manifest(f"{redact_url(output)}#{table}" if database else output, counted[-1])
            record(made)
            where_to = manifest_to or (None if database else manifest_path(output))
            if where_to is not None:
                publisher.stage_text(f"manifest of {name}", where_to, manifest_text(made))
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
