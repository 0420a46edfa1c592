"""``validate`` on Spark: the same suites, the same redacted results, no data on the driver.

* GX built-in expectations run through GX's own Spark datasource
  (``add_spark`` → ``add_dataframe_asset`` → a whole-dataframe batch), so GX pushes
  them down as Spark aggregations; the result format carries no values
  (:data:`govkit.quality.redact.SAFE_FORMAT`) and the result is redacted as on the
  local engine.
* govkit's own column and column-pair expectations run in one ``mapInArrow`` pass:
  each partition runs the very pandas checks the local engine runs (through the
  same GX suite) and returns counts only; the driver adds them up and decides
  success with the rule's ``mostly``.
* ``expect_customers_to_be_unique_after_normalization`` is not additive over
  partitions: each partition turns the rows into SHA-256 digests of their
  normalised keys (no value leaves the executor), and Spark counts the digests
  that occur more than once, across partitions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from govkit.errors import GovkitError, QualityToolError
from govkit.quality.expectations import GOVKIT_TYPES
from govkit.quality.models import QualityResult, RuleResult
from govkit.quality.suites import Rule, Suite, build_gx_suite

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from govkit.spark.frames import SparkDataset

UNIQUE = "expect_customers_to_be_unique_after_normalization"
MARK = "govkit-spark-failure: "
COUNTS = pa.schema([("counts", pa.string())])


def _builtins(frame: DataFrame, suite: Suite, rules: list[Rule]) -> list[RuleResult]:
    from govkit.quality.validate import _collect, _context, _run

    gx_suite = build_gx_suite(suite, rules)
    ctx = _context()
    try:
        asset = ctx.data_sources.add_spark("govkit_spark").add_dataframe_asset("data")
        batch_definition = asset.add_batch_definition_whole_dataframe("all")
    except Exception as exc:
        raise QualityToolError(f"GX could not open the Spark data ({type(exc).__name__})") from exc
    raw = _run(ctx, batch_definition, gx_suite, dataframe=frame)
    return _collect(raw, suite, rules, "spark")


def _count_function(
    suite: Suite, rules: list[Rule]
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def count_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from govkit.quality.validate import run_pandas

        try:
            tables = [pa.Table.from_batches([b]) for b in batches if b.num_rows]
            if not tables:
                return
            frame = pa.concat_tables(tables).to_pandas()
            results = run_pandas(frame, suite, rules)
        except GovkitError as exc:
            raise RuntimeError(f"{MARK}{type(exc).__name__}: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - its text may quote data
            raise RuntimeError(f"{MARK}{type(exc).__name__}") from None
        counts = {
            r.rule_id: [r.element_count or 0, r.missing_count or 0, r.unexpected_count or 0]
            for r in results
        }
        yield pa.RecordBatch.from_pydict({"counts": [json.dumps(counts)]}, schema=COUNTS)

    return count_partition


def _decide(rule: Rule, element: int, missing: int, unexpected: int) -> RuleResult:
    """One rule's result from counts summed over partitions (GX's ``mostly`` rule)."""
    considered = element - missing
    mostly = float(rule.kwargs.get("mostly", 1.0))
    success = considered == 0 or (considered - unexpected) / considered >= mostly
    description = rule.meta.get("description")
    return RuleResult(
        rule_id=rule.rule_id,
        type=rule.type,
        column=rule.columns[0] if rule.columns else None,
        columns=rule.columns,
        success=success,
        unexpected_count=unexpected,
        unexpected_percent=100.0 * unexpected / considered if considered else None,
        element_count=element,
        missing_count=missing,
        description=description if isinstance(description, str) else None,
        engine="spark",
    )


def _own(frame: DataFrame, suite: Suite, rules: list[Rule]) -> list[RuleResult]:
    columns = sorted({c for r in rules for c in r.columns})
    rows = frame.select(*[f"`{c}`" for c in columns]).mapInArrow(
        _count_function(suite, rules), "counts string"
    )
    totals = {r.rule_id: [0, 0, 0] for r in rules}
    for row in rows.collect():  # one small row of counts per partition
        for rule_id, counts in json.loads(row["counts"]).items():
            totals[rule_id] = [a + b for a, b in zip(totals[rule_id], counts, strict=True)]
    return [_decide(r, *totals[r.rule_id]) for r in rules]


def _digest_function(
    columns: list[str], entities: dict[str, str], ignore: str
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    schema = pa.schema([("digest", pa.string()), ("ignored", pa.bool_())])

    def digest_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from govkit.quality.expectations.checks import normalized_keys

        for batch in batches:
            try:
                frame = batch.to_pandas()
                nulls = frame.isna()
                if ignore == "any_value_is_missing":
                    ignored = nulls.any(axis=1)
                elif ignore == "all_values_are_missing":
                    ignored = nulls.all(axis=1)
                else:
                    ignored = nulls.all(axis=1) & False
                keys = normalized_keys(frame[columns], entities)
                digests = [
                    hashlib.sha256(json.dumps(list(row), default=str).encode()).hexdigest()
                    for row in keys.itertuples(index=False, name=None)
                ]
            except Exception as exc:  # noqa: BLE001 - its text may quote data
                raise RuntimeError(f"{MARK}{type(exc).__name__}") from None
            yield pa.RecordBatch.from_pydict(
                {"digest": digests, "ignored": ignored.tolist()}, schema=schema
            )

    return digest_partition


def _unique(frame: DataFrame, rule: Rule) -> RuleResult:
    from pyspark.sql import functions as F

    columns = list(rule.columns)
    entities = dict(rule.kwargs.get("entities") or {})
    ignore = str(rule.kwargs.get("ignore_row_if", "any_value_is_missing"))
    digests = frame.select(*[f"`{c}`" for c in columns]).mapInArrow(
        _digest_function(columns, entities, ignore), "digest string, ignored boolean"
    )
    totals = digests.agg(
        F.count(F.lit(1)).alias("rows"), F.sum(F.col("ignored").cast("int")).alias("ignored")
    ).first()
    groups = digests.filter(~F.col("ignored")).groupBy("digest").count()
    dupes = groups.filter(F.col("count") > 1).agg(F.sum("count").alias("n")).first()
    element = int(totals["rows"]) if totals else 0
    missing = int(totals["ignored"] or 0) if totals else 0
    unexpected = int(dupes["n"] or 0) if dupes else 0
    return _decide(rule, element, missing, unexpected)


def validate_frame(dataset: SparkDataset, suite_path: Path) -> QualityResult:
    """Run the suite at ``suite_path`` on a Spark dataset; counts only reach the driver.

    Raises:
        SuiteError: the suite file is missing or malformed.
        QualityToolError: a rule did not run as written, or the Spark job failed.
    """
    from govkit.quality.validate import suite_for, summarize
    from govkit.spark.protect import spark_failure

    suite = suite_for(dataset, suite_path)
    rules = suite.expectations
    builtin = [r for r in rules if r.type not in GOVKIT_TYPES]
    own = [r for r in rules if r.type in GOVKIT_TYPES and r.type != UNIQUE]
    unique = [r for r in rules if r.type == UNIQUE]
    results: list[RuleResult] = []
    try:
        if builtin:
            results += _builtins(dataset.frame, suite, builtin)
        if own:
            results += _own(dataset.frame, suite, own)
        results += [_unique(dataset.frame, r) for r in unique]
    except GovkitError:
        raise
    except Exception as exc:
        raise QualityToolError(str(spark_failure(exc, f"validate {dataset.name}"))) from exc
    order = {r.rule_id: i for i, r in enumerate(rules)}
    results.sort(key=lambda r: order[r.rule_id])
    return summarize(suite, dataset.uri, results)
