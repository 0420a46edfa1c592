"""Publishing what Spark staged: a directory of part files, or a staging table.

A Spark output is written in full to a hidden staging directory beside its target
(``.customers.parquet.<token>.govkit-stage``), or to a ``_govkit_stage_<token>``
table, while the run records its audit events and signs its checkpoint. Only then
does :meth:`govkit.pipeline.publish.Publisher.commit` call :meth:`publish`:

* local and HDFS paths: the old target is renamed aside, the staging directory is
  renamed into place (one rename each — atomic on POSIX and HDFS), the old one is
  deleted after every output is in place;
* object stores (``s3a://``, ``gs://``, ``abfss://``) have no atomic directory
  rename: a rename there is a copy then a delete, so a reader can see a partial
  directory for as long as the copy takes. govkit stages there all the same (a
  failed run still publishes nothing), and docs/spark.md says to publish to a
  table format with atomic commits (Delta, Iceberg) for readers that must never
  see a half-copied output;
* Spark tables: ``ALTER TABLE … RENAME TO`` — one statement per table, not one
  transaction across tables.
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.datasets.uri import TABLE_PREFIX, is_spark_table
from govkit.errors import DatasetError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def _fs(spark: SparkSession, path: str) -> tuple[Any, Any]:
    """Hadoop FileSystem and Path objects for ``path`` (local paths: file://)."""
    jvm = spark.sparkContext._jvm
    if jvm is None:
        raise AssertionError("no JVM behind this session")
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    return hadoop_path.getFileSystem(conf), hadoop_path


@dataclass
class DirStage:
    """A staged output directory, moved into place by rename."""

    spark: SparkSession
    name: str
    target: str
    staging: str
    rows: int
    backup: str | None = None
    done: bool = False
    _local: bool = field(init=False)

    def __post_init__(self) -> None:
        self._local = "://" not in self.target

    def _rename(self, src: str, dst: str) -> None:
        if self._local:
            Path(src).rename(dst)
            return
        fs, source = _fs(self.spark, src)
        _, dest = _fs(self.spark, dst)
        if not fs.rename(source, dest):
            raise DatasetError(
                f"{self.target}: cannot publish output {self.name!r} (rename failed)"
            )

    def _exists(self, path: str) -> bool:
        if self._local:
            return Path(path).exists()
        fs, hpath = _fs(self.spark, path)
        return bool(fs.exists(hpath))

    def _delete(self, path: str) -> None:
        try:
            if self._local:
                target = Path(path)
                if target.is_dir():
                    shutil.rmtree(target)
                else:
                    target.unlink(missing_ok=True)
                return
            fs, hpath = _fs(self.spark, path)
            fs.delete(hpath, True)
        except Exception:  # noqa: BLE001, S110 - best effort; never hides the run's own error
            pass

    def publish(self) -> None:
        """Old target aside, staging into place."""
        try:
            if self._exists(self.target):
                self.backup = f"{self.staging}.old-{secrets.token_hex(3)}"
                self._rename(self.target, self.backup)
            try:
                self._rename(self.staging, self.target)
            except (OSError, DatasetError):
                if self.backup is not None:  # the old output goes back where it was
                    self._rename(self.backup, self.target)
                    self.backup = None
                raise
        except OSError as exc:
            raise DatasetError(
                f"{self.target}: cannot publish output {self.name!r} ({exc.strerror})"
            ) from exc
        self.done = True

    def undo(self) -> None:
        """Remove the new output and put the old one back."""
        if not self.done:
            return
        self._delete(self.target)
        if self.backup is not None:
            self._rename(self.backup, self.target)
        self.done = False

    def discard(self) -> None:
        """Delete the staging directory."""
        if not self.done:
            self._delete(self.staging)

    def cleanup(self) -> None:
        """Delete the old output kept aside."""
        if self.backup is not None:
            self._delete(self.backup)


@dataclass
class TableStage:
    """A staged Spark table, renamed into place."""

    spark: SparkSession
    name: str
    target: str
    staging: str
    rows: int
    backup: str | None = None
    done: bool = False

    @property
    def table(self) -> str:
        """The target table name (``db.table``)."""
        return self.target[len(TABLE_PREFIX) :]

    def publish(self) -> None:
        """Old table aside, staging table renamed to the target."""
        if self.spark.catalog.tableExists(self.table):
            db, _, _ = self.table.rpartition(".")
            self.backup = f"{db + '.' if db else ''}_govkit_old_{secrets.token_hex(6)}"
            self.spark.sql(f"ALTER TABLE {self.table} RENAME TO {self.backup}")
        self.spark.sql(f"ALTER TABLE {self.staging} RENAME TO {self.table}")
        self.done = True

    def undo(self) -> None:
        """Drop the new table and rename the old one back."""
        if not self.done:
            return
        self.spark.sql(f"DROP TABLE IF EXISTS {self.table}")
        if self.backup is not None:
            self.spark.sql(f"ALTER TABLE {self.backup} RENAME TO {self.table}")
        self.done = False

    def discard(self) -> None:
        """Drop the staging table."""
        if not self.done:
            try:
                self.spark.sql(f"DROP TABLE IF EXISTS {self.staging}")
            except Exception:  # noqa: BLE001, S110 - best effort
                pass

    def cleanup(self) -> None:
        """Drop the old table kept aside."""
        if self.backup is not None:
            self.spark.sql(f"DROP TABLE IF EXISTS {self.backup}")


def owner_only(spark: SparkSession, path: str) -> None:
    """Make a staged output directory owner-only: files 0600, directories 0700.

    For outputs that keep raw values, as the local engine writes them (0600). Local
    paths through ``os.chmod``; Hadoop paths through ``FileSystem.setPermission``
    (object stores keep their own access control and may ignore it).
    """
    if "://" not in path:
        root = Path(path)
        for folder, dirs, files in os.walk(root):
            for name in files:
                os.chmod(Path(folder) / name, 0o600)
            for name in dirs:
                os.chmod(Path(folder) / name, 0o700)
        os.chmod(root, 0o700 if root.is_dir() else 0o600)
        return
    fs, root_path = _fs(spark, path)
    jvm = spark.sparkContext._jvm
    if jvm is None:
        raise AssertionError("no JVM behind this session")
    perm = jvm.org.apache.hadoop.fs.permission.FsPermission
    pending = [root_path]
    while pending:
        current = pending.pop()
        status = fs.getFileStatus(current)
        fs.setPermission(current, perm.createImmutable(0o700 if status.isDirectory() else 0o600))
        if status.isDirectory():
            pending.extend(s.getPath() for s in fs.listStatus(current))


def stage_for(spark: SparkSession, name: str, target: str, staging: str, rows: int) -> Any:
    """The stage object for a target: a table or a directory."""
    if is_spark_table(target):
        return TableStage(spark, name, target, staging, rows)
    return DirStage(spark, name, target, staging, rows)
