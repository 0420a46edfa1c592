"""Spark DataFrames as govkit datasets: reading sources, naming them, staging outputs.

Sources are files (CSV/TSV read as text with empty fields as nulls, exactly as the
local engine reads them; JSON Lines; Parquet — local paths or any Hadoop URI such
as ``hdfs://`` and ``s3a://``) or Spark tables named ``spark-table:db.table``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from govkit.datasets.base import Dataset
from govkit.datasets.uri import (
    HADOOP_SCHEMES,
    SUFFIX_FORMATS,
    TABLE_PREFIX,
    FileFormat,
    is_spark_table,
    is_spark_uri,
    is_sql_url,
    redact_url,
)
from govkit.errors import DatasetError, UsageError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

STAGE_MARK = ".govkit-stage"


def spark_format(uri: str) -> FileFormat:
    """The file format a path's suffix names (Spark reads csv, tsv, jsonl and parquet).

    Raises:
        UsageError: an unsupported suffix (``.xlsx`` included: convert it first).
    """
    suffix = "." + uri.rstrip("/").rsplit(".", 1)[-1].lower() if "." in uri else ""
    fmt = SUFFIX_FORMATS.get(suffix)
    if fmt is None or fmt == "xlsx":
        raise UsageError(
            f"{uri}: the Spark engine reads and writes .csv .tsv .jsonl .parquet files "
            f"or {TABLE_PREFIX}db.table"
        )
    return fmt


def to_arrow(schema: object) -> pa.Schema:
    """A Spark schema as the Arrow schema ``mapInArrow`` batches carry."""
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(schema, timezone="UTC")  # type: ignore[arg-type]


class SparkDataset(Dataset):
    """A Spark DataFrame seen as a govkit dataset (schema, sample, count; no full collect).

    Args:
        frame: the DataFrame.
        uri: the name the user gave (path or ``spark-table:…``), shown in reports.
        name: the short display name.
        file_fingerprint: the SHA-256 of a local source file, as the local engine prints it.
    """

    def __init__(
        self, frame: DataFrame, uri: str, name: str, file_fingerprint: str | None = None
    ) -> None:
        self.frame = frame
        self.uri = uri
        self.name = name
        self._file_fingerprint = file_fingerprint

    @property
    def file_fingerprint(self) -> str | None:
        """The local source file's SHA-256 (None for tables and cluster paths)."""
        return self._file_fingerprint

    @property
    def schema(self) -> pa.Schema:
        """Arrow schema of the frame."""
        return to_arrow(self.frame.schema)

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        """Stream the rows to the driver (small data only: tests and the library door)."""
        frame = self.frame if columns is None else self.frame.select(*columns)
        table = frame.toArrow()
        yield from table.to_batches(max_chunksize=self.batch_rows)

    def count_rows(self) -> int:
        """Rows, counted by Spark."""
        return int(self.frame.count())

    def sample(self, n: int, seed: int = 0, columns: Sequence[str] | None = None) -> pa.Table:
        """A uniform random sample of ``n`` rows (bottom-k of ``rand(seed)``), to the driver."""
        from pyspark.sql import functions as F

        frame = self.frame if columns is None else self.frame.select(*columns)
        key = "__govkit_sample_key"
        picked = frame.withColumn(key, F.rand(seed)).orderBy(key).limit(n).drop(key)
        table: pa.Table = picked.toArrow()
        return table.cast(to_arrow(frame.schema))

    def sample_and_count(self, n: int, seed: int = 0) -> tuple[pa.Table, int]:
        """The scan's sample and the row count (two Spark jobs; only ``n`` rows travel)."""
        total = self.count_rows()
        if total <= n:  # every row is the sample, in order, as on the local engine
            table: pa.Table = self.frame.toArrow()
            return table.cast(self.schema), total
        return self.sample(n, seed), total

    def fingerprint(self) -> str:
        """The file's SHA-256 for a local file; else an order-free hash computed by Spark."""
        if self._file_fingerprint is not None:
            return self._file_fingerprint
        from pyspark.sql import functions as F

        row = self.frame.select(
            F.count(F.lit(1)).alias("n"),
            F.sum(F.xxhash64(*self.frame.columns).cast("decimal(38,0)")).alias("h"),
        ).first()
        rows, digest = (row["n"], row["h"]) if row is not None else (0, 0)
        return f"spark-xxhash64:{rows}:{int(digest or 0) % 2**64:016x}"


def _csv(spark: SparkSession, uri: str, delimiter: str) -> tuple[DataFrame, str | None]:
    from pyspark.sql import functions as F

    names: list[str] | None = None
    encoding = "UTF-8"
    fingerprint = None
    if not uri.startswith(HADOOP_SCHEMES) and Path(uri).is_file():
        # a local file: read its header as the local engine (a directory of part files,
        # as Spark writes outputs, has its header in every part: Spark reads it)
        from govkit.datasets.files import CsvDataset

        local = CsvDataset(Path(uri), delimiter=delimiter)
        names, encoding, fingerprint = local.schema.names, local.encoding, local.fingerprint()
    frame = (
        spark.read.option("header", "true")
        .option("sep", delimiter)
        .option("multiLine", "true")
        .option("escape", '"')
        .option("encoding", encoding)
        .option("inferSchema", "false")
        .option("mode", "FAILFAST")
        .csv(uri if uri.startswith(HADOOP_SCHEMES) else str(Path(uri).resolve()))
    )
    names = names or [c.strip() for c in frame.columns]
    if len(names) != len(frame.columns):
        raise DatasetError(
            f"{uri}: Spark sees {len(frame.columns)} columns, the header {len(names)}"
        )
    cols = [
        F.nullif(F.col(f"`{old}`"), F.lit("")).alias(new)
        for old, new in zip(frame.columns, names, strict=True)
    ]
    return frame.select(*cols), fingerprint


def read_source(
    spark: SparkSession, uri: str, *, table: str | None = None, query: str | None = None
) -> SparkDataset:
    """Open a source for the Spark engine (a database URL with ``table`` or ``query``).

    Raises:
        UsageError: a format Spark does not read here.
        DatasetError: the file or table does not exist.
    """
    if is_sql_url(uri) and not is_spark_uri(uri):
        from govkit.spark.jdbc import read_jdbc

        frame = read_jdbc(spark, uri, table=table, query=query)
        shown = redact_url(uri) + (f"#{table}" if table else "#query")
        return SparkDataset(frame, shown, table or "query")
    if table is not None or query is not None:
        raise UsageError(f"{uri}: --table and --query apply to database URLs only")
    if is_spark_table(uri):
        table = uri[len(TABLE_PREFIX) :]
        if not spark.catalog.tableExists(table):
            raise DatasetError(f"{uri}: no such table in the Spark catalog")
        return SparkDataset(spark.table(table), uri, table.rsplit(".", 1)[-1])
    fmt = spark_format(uri)
    local = not uri.startswith(HADOOP_SCHEMES)
    if local and not Path(uri).exists():
        raise DatasetError(f"{uri}: no such file")
    name = Path(uri.rstrip("/")).stem
    fingerprint = None
    if fmt in ("csv", "tsv"):
        frame, fingerprint = _csv(spark, uri, "," if fmt == "csv" else "\t")
    else:
        path = str(Path(uri).resolve()) if local else uri
        frame = spark.read.json(path) if fmt == "jsonl" else spark.read.parquet(path)
        if local and Path(uri).is_file():
            from govkit.datasets import open_dataset

            fingerprint = open_dataset(uri).fingerprint()
    return SparkDataset(frame, str(Path(uri).resolve()) if local else uri, name, fingerprint)


def staging_name(target: str) -> str:
    """A hidden staging directory beside ``target`` (or a staging table name)."""
    token = secrets.token_hex(6)
    if is_spark_table(target):
        table = target[len(TABLE_PREFIX) :]
        db, _, _ = table.rpartition(".")
        return f"{db + '.' if db else ''}_govkit_stage_{token}"
    path = target.rstrip("/")
    head, _, tail = path.rpartition("/")
    return f"{head + '/' if head else ''}.{tail}.{token}{STAGE_MARK}"


def _neutralise_batches(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    from govkit.datasets.cells import neutralise_array

    for batch in batches:
        yield pa.RecordBatch.from_arrays(
            [neutralise_array(column) for column in batch.columns], schema=batch.schema
        )


def neutralised(frame: DataFrame, keep: bool | None = None) -> DataFrame:
    """Formula-like cells quoted as the local CSV writer quotes them.

    Unless opted out: ``keep`` (the output's ``keep_formulas:``), else
    ``GOVKIT_KEEP_FORMULAS`` — the local writer's rule.
    """
    from govkit.datasets.cells import keep_formulas

    if keep_formulas(keep):
        return frame
    return frame.mapInArrow(_neutralise_batches, frame.schema)


SPARK_ENCODINGS = {"utf-8": "UTF-8", "gb18030": "GB18030"}
"""Output encodings Spark's CSV writer is given, by govkit's name for them."""


def spark_encoding(name: str, encoding: str | None) -> str:
    """The charset Spark writes a CSV/TSV output in: UTF-8 (default) or GB18030.

    Raises:
        UsageError: ``utf-8-sig`` (Spark writes no byte order mark: each part file would
            need one) or an encoding govkit does not write.
    """
    from govkit.datasets.cells import check_encoding

    if encoding is None:
        return SPARK_ENCODINGS["utf-8"]
    try:
        chosen = check_encoding(encoding)
    except ValueError as exc:
        raise UsageError(f"--output-encoding: {exc}") from exc
    if chosen not in SPARK_ENCODINGS:
        raise UsageError(
            f"output {name}: the Spark engine writes CSV/TSV in encoding utf-8 or gb18030, not "
            f"{chosen} (Spark's CSV writer adds no byte order mark to its part files); "
            "write utf-8-sig with --engine local"
        )
    return SPARK_ENCODINGS[chosen]


@contextmanager
def _java_charsets(spark: SparkSession, needed: bool) -> Iterator[None]:
    """Let the CSV writer use any Java charset (GB18030) for one write, then restore.

    Spark 4 accepts only UTF-8/16/32, ASCII and ISO-8859-1 unless
    ``spark.sql.legacy.javaCharsets`` is on (its migration guide's switch).
    """
    key = "spark.sql.legacy.javaCharsets"
    if not needed:
        yield
        return
    before = spark.conf.get(key, "false")
    spark.conf.set(key, "true")
    try:
        yield
    finally:
        spark.conf.set(key, str(before))


def write_frame(
    frame: DataFrame,
    target: str,
    staging: str,
    *,
    keep_formulas: bool | None = None,
    encoding: str = "UTF-8",
) -> None:
    """Write ``frame`` to ``staging`` in the format ``target`` names (never overwrites).

    ``keep_formulas`` is the output's ``keep_formulas:`` (CSV/TSV; None: the environment);
    ``encoding`` the charset of CSV/TSV part files (see :func:`spark_encoding`).
    """
    if is_spark_table(target):
        frame.write.mode("errorifexists").saveAsTable(staging)
        return
    fmt = spark_format(target)
    if fmt in ("csv", "tsv"):
        frame = neutralised(frame, keep_formulas)
    writer = frame.write.mode("errorifexists")
    if fmt in ("csv", "tsv"):
        writer = (
            writer.option("header", "true")
            .option("sep", "," if fmt == "csv" else "\t")
            .option("escape", '"')
            .option("encoding", encoding)
        )
        with _java_charsets(frame.sparkSession, encoding != "UTF-8"):
            writer.csv(staging)
    elif fmt == "jsonl":
        writer.json(staging)
    else:
        writer.parquet(staging)
