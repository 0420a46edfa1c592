"""Turn a raw GX validation result into a :class:`RuleResult` list that cannot leak.

GX returns failing values (``partial_unexpected_list`` …, index lists, whole
rows) and, for aggregate expectations, raw data in ``observed_value``. govkit
forces a result format without values (:data:`SAFE_FORMAT`) *and* copies only
an allowlist of keys (:data:`KEEP`). ``observed_value`` survives only for
numeric aggregates (:data:`OBSERVED_OK`) on columns that are not personal — by
the suite's hints *and* by what a scan finds in the column
(:func:`redact_by_content`) — and only when it is a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govkit.datasets.base import Dataset
from govkit.errors import QualityToolError
from govkit.quality.models import Engine, RuleResult
from govkit.quality.suites import Rule, Suite

SAFE_FORMAT: dict[str, Any] = {
    "result_format": "SUMMARY",
    "partial_unexpected_count": 0,
    "exclude_unexpected_values": True,
    "include_unexpected_rows": False,
    "return_unexpected_index_query": False,
}
"""The result format govkit always passes to GX: counts, no value lists."""

KEEP: tuple[str, ...] = ("element_count", "unexpected_count", "unexpected_percent", "missing_count")
"""Result keys copied from GX; everything else is discarded."""

OBSERVED_OK: frozenset[str] = frozenset(
    {
        "expect_table_row_count_to_be_between",
        "expect_table_row_count_to_equal",
        "expect_table_column_count_to_be_between",
        "expect_table_column_count_to_equal",
        "expect_column_mean_to_be_between",
        "expect_column_median_to_be_between",
        "expect_column_min_to_be_between",
        "expect_column_max_to_be_between",
        "expect_column_sum_to_be_between",
        "expect_column_stdev_to_be_between",
        "expect_column_proportion_of_unique_values_to_be_between",
        "expect_column_unique_value_count_to_be_between",
        "expect_column_proportion_of_non_null_values_to_be_between",
    }
)
"""Types whose ``observed_value`` is an aggregate that may be shown (non-personal columns)."""


def personal_by_content(dataset: Dataset) -> set[str] | None:
    """Columns a scan of ``dataset``'s sample labels personal (an entity, or not ``low``).

    Returns None when the scan cannot run: the caller then shows no observed value.
    """
    from govkit.detect.scan import scan_dataset

    try:
        scanned = scan_dataset(dataset)
    except Exception:  # noqa: BLE001 - fail closed: no labels, no observed values
        return None
    return {
        c.name
        for c in scanned.columns
        if c.entity is not None or c.entities or c.sensitivity != "low"
    }


def redact_by_content(dataset: Dataset, results: list[RuleResult]) -> list[RuleResult]:
    """Drop ``observed_value`` of every rule reading a column that holds personal data.

    The suite's names and hints (:meth:`Suite.personal_columns`) are not enough: a
    numeric column named ``c7`` can hold phone numbers, whose max would be one. What
    decides is what the column holds, as the scanner labels it.
    """
    if not any(r.observed_value is not None and r.columns for r in results):
        return results
    personal = personal_by_content(dataset)
    return [
        r.model_copy(update={"observed_value": None})
        if r.observed_value is not None
        and r.columns
        and (personal is None or set(r.columns) & personal)
        else r
        for r in results
    ]


def raised(exception_info: Any) -> str | None:
    """Return the exception class name when GX caught one for this rule, else None.

    ``exception_info`` is either flat (``raised_exception`` …) or keyed by
    metric id. Only the class name is kept: GX's messages may quote data.
    """
    infos = [exception_info] if isinstance(exception_info, Mapping) else []
    if infos and "raised_exception" not in exception_info:
        infos = [v for v in exception_info.values() if isinstance(v, Mapping)]
    for info in infos:
        if info.get("raised_exception"):
            text = str(info.get("exception_traceback") or "").strip().splitlines()
            last = text[-1] if text else ""
            name = last.split(":", 1)[0].strip().rsplit(".", 1)[-1]
            return name if name.isidentifier() else "exception"
    return None


def _number(value: Any) -> int | float | None:
    """Keep a count or percentage; anything else (a value list, text) becomes None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None


def _count(value: int | float | None) -> int | None:
    return None if value is None else int(value)


def redact_rule(
    raw: Mapping[str, Any], rule: Rule, personal: set[str], engine: Engine, suite: Suite
) -> RuleResult:
    """Build one rule's result from a GX ``ExpectationValidationResult`` JSON dict.

    Raises:
        QualityToolError: GX caught an exception while evaluating the rule.
    """
    error = raised(raw.get("exception_info"))
    if error is not None:
        column = f" on {', '.join(rule.columns)}" if rule.columns else ""
        raise QualityToolError(
            f"{suite.path}: rule {rule.rule_id} ({rule.type}){column} could not run on "
            f"{engine}: {error}"
        )
    result = raw.get("result") or {}
    kept = {k: _number(result.get(k)) for k in KEEP}
    observed = result.get("observed_value")
    show = (
        rule.type in OBSERVED_OK
        and not (set(rule.columns) & personal)
        and isinstance(observed, int | float)
        and not isinstance(observed, bool)
    )
    description = rule.meta.get("description")
    return RuleResult(
        rule_id=rule.rule_id,
        type=rule.type,
        column=rule.columns[0] if rule.columns else None,
        columns=rule.columns,
        success=bool(raw.get("success")),
        unexpected_count=_count(kept["unexpected_count"]),
        unexpected_percent=kept["unexpected_percent"],
        element_count=_count(kept["element_count"]),
        missing_count=_count(kept["missing_count"]),
        observed_value=observed if show else None,
        description=description if isinstance(description, str) else None,
        engine=engine,
    )
