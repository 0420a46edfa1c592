"""Protect a Spark DataFrame: the row filter as a Spark filter, then one ``mapInArrow``.

Each partition runs the very :class:`~govkit.protect.apply.Protector` the local
engine runs, batch by batch, so deterministic transforms give identical values on
both engines. Data keys are unwrapped on the driver and travel to executors only
inside the task closure — never in Spark conf, the environment, a query plan or a
log. Counters come back through an accumulator (applied once per successful task)
and the input row count through an observation; no value reaches the driver.

Failures inside a partition are re-raised as a one-line ``RuntimeError`` that names
the error class and govkit's own message (which never holds a value) — Spark logs
and ships that text, so the original exception, whose text may quote data, is
dropped (``from None``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from govkit.engines.base import ProtectTask
from govkit.engines.batch import protector_for
from govkit.errors import GovkitError, ProtectionError
from govkit.protect.apply import Counts, Protector
from govkit.protect.keys import DataKey

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, Observation

MARK = "govkit-spark-failure: "
_MARKED = re.compile(re.escape(MARK) + r"([^\n]*)")


def counts_to_dict(counts: Counts) -> dict[str, int]:
    """Counters as flat integers (what an accumulator carries)."""
    out = {"rows_in": counts.rows_in, "rows_out": counts.rows_out}
    for kind, per in (("values", counts.values), ("nulls", counts.nulls), ("spans", counts.spans)):
        out.update({f"{kind}.{k}": v for k, v in per.items()})
    return out


def counts_from_dict(data: dict[str, int], columns: Iterable[str]) -> Counts:
    """The inverse of :func:`counts_to_dict` for ``columns``."""
    names = list(columns)
    return Counts(
        data.get("rows_in", 0),
        data.get("rows_out", 0),
        {n: data.get(f"values.{n}", 0) for n in names},
        {n: data.get(f"nulls.{n}", 0) for n in names},
        {n: data.get(f"spans.{n}", 0) for n in names},
    )


def partition_function(
    task: ProtectTask, keys: Sequence[DataKey], add: Callable[[Any], None]
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """The ``mapInArrow`` function: the seam's batch functions; keys live only in this closure."""
    handed = list(keys)

    def protect_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        try:
            protector = protector_for(task, handed)
            for batch in batches:
                yield protector.protect(batch, task.output_schema)
        except GovkitError as exc:
            raise RuntimeError(f"{MARK}{type(exc).__name__}: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - its text may quote data: keep the class only
            raise RuntimeError(f"{MARK}{type(exc).__name__}") from None
        add(counts_to_dict(protector.counts()))

    return protect_partition


@dataclass
class SparkProtection:
    """A protected DataFrame, not yet written, and where its counters will arrive.

    Attributes:
        frame: the protected DataFrame (lazy: nothing runs before it is written).
        protector: a driver-side Protector (no batch ever passes it) for the manifest.
        schema: the output's Arrow schema.
    """

    frame: DataFrame
    protector: Protector
    schema: pa.Schema
    _accumulator: Any
    _observation: Observation
    _filtered: bool

    def counts(self) -> Counts:
        """The counters, complete once the frame has been written (exactly once)."""
        columns = list(self.protector.transforms)
        counts = counts_from_dict(dict(self._accumulator.value), columns)
        if self._filtered:
            counts.rows_in = int(self._observation.get.get("rows_in", counts.rows_out))
        return counts

    def finish(self) -> Counts:
        """Add the counters to the driver-side protector (call once, after the write)."""
        counts = self.counts()
        self.protector.add(counts)
        return counts


def protect_frame(frame: DataFrame, task: ProtectTask, keys: Sequence[DataKey]) -> SparkProtection:
    """Plan the protection of ``frame`` (lazy); write ``.frame`` then call ``.finish()``.

    Raises:
        ProtectionError: a column the plan does not know, a row filter column missing.
        KeyMaterialError: a key the plan needs was not handed.
    """
    from pyspark.sql import Observation
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    from govkit.spark.filters import row_filter_column
    from govkit.spark.stats import CountsParam

    plan = task.plan
    protector = protector_for(task, keys)  # fails here, on the driver, on a missing key
    spark = frame.sparkSession
    accumulator = spark.sparkContext.accumulator({}, CountsParam())
    observation = Observation("govkit_rows_in")
    keep = row_filter_column(plan.row_filter, frame.schema)
    source = frame
    if keep is not None:
        source = frame.observe(observation, F.count(F.lit(1)).alias("rows_in")).filter(keep)
    # Spark filtered already: the executors' task has no row filter
    executor_task = replace(task, plan=plan.model_copy(update={"row_filter": None}))
    function = partition_function(executor_task, keys, accumulator.add)
    protected = source.mapInArrow(function, from_arrow_schema(task.output_schema))
    return SparkProtection(
        protected, protector, task.output_schema, accumulator, observation, keep is not None
    )


def spark_failure(exc: BaseException, where: str) -> ProtectionError:
    """One line for a failed Spark job: govkit's own message if a partition raised one."""
    found = _MARKED.search(str(exc))
    if found:
        return ProtectionError(f"{where}: Spark job failed: {found.group(1).strip()}")
    return ProtectionError(
        f"{where}: Spark job failed ({type(exc).__name__}); --debug shows the Java error"
    )
