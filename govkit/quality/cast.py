"""Casting text columns for expectations that compare numbers or dates.

Files are read as text (identifiers keep their leading zeros), so a standard GX
suite's ``expect_column_values_to_be_between`` would compare strings or fail. The
rules below get their column cast first, on a copy of just that column:

* row-level rules (``…values_to_be_between``): a value that does not parse is
  replaced by a value outside the bounds, so it counts as **unexpected**;
* aggregate rules (mean, median, min, max, sum, stdev, quantiles) and the
  increasing/decreasing and A-greater-than-B rules: a value that does not parse
  is left out (null), as GX leaves nulls out.

Bounds that are dates (``"2024-01-01"``) make the column a date column. Other
rules see the column as text, unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

    from govkit.quality.suites import Rule

Kind = Literal["number", "date"]

ROW_BETWEEN = frozenset({"expect_column_values_to_be_between"})
CAST_TYPES = ROW_BETWEEN | frozenset(
    {
        "expect_column_values_to_be_increasing",
        "expect_column_values_to_be_decreasing",
        "expect_column_mean_to_be_between",
        "expect_column_median_to_be_between",
        "expect_column_min_to_be_between",
        "expect_column_max_to_be_between",
        "expect_column_sum_to_be_between",
        "expect_column_stdev_to_be_between",
        "expect_column_quantile_values_to_be_between",
        "expect_column_pair_values_a_to_be_greater_than_b",
        "expect_column_pair_values_A_to_be_greater_than_B",
    }
)
DATE_TYPES = frozenset(
    {
        "expect_column_values_to_be_between",
        "expect_column_min_to_be_between",
        "expect_column_max_to_be_between",
        "expect_column_values_to_be_increasing",
        "expect_column_values_to_be_decreasing",
    }
)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not value[:1].isdigit() or "-" not in value:
        return False
    import pandas as pd

    try:
        pd.Timestamp(value)
    except (ValueError, TypeError):
        return False
    return True


def cast_kind(rule: Rule) -> Kind | None:
    """``number`` or ``date`` when the rule compares its column(s) as such, else None."""
    if rule.type not in CAST_TYPES:
        return None
    bounds = [rule.kwargs.get(k) for k in ("min_value", "max_value")]
    if rule.type in DATE_TYPES and any(_is_date(b) for b in bounds):
        return "date"
    return "number"


def _is_text(series: pd.Series[Any]) -> bool:
    import pandas as pd

    return bool(pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series))


def cast_for(rule: Rule, frame: pd.DataFrame) -> tuple[Rule, pd.DataFrame]:
    """The rule and a frame in which its text columns are cast (unchanged when not needed)."""
    import pandas as pd

    kind = cast_kind(rule)
    columns = [c for c in rule.columns if c in frame.columns and _is_text(frame[c])]
    if kind is None or not columns:
        return rule, frame
    out = frame.copy()
    high_side = rule.kwargs.get("max_value") is not None
    for name in columns:
        text = out[name]
        present = text.notna() & (text.astype("string").str.strip() != "")
        parsed: pd.Series[Any]
        if kind == "date":
            parsed = pd.to_datetime(text, errors="coerce", format="mixed")
            sentinel: Any = pd.Timestamp.max if high_side else pd.Timestamp.min
        else:
            numbers = pd.to_numeric(text.astype("string").str.strip(), errors="coerce")
            parsed = numbers.astype("float64")
            sentinel = float("inf") if high_side else float("-inf")
        if rule.type in ROW_BETWEEN:
            parsed = parsed.mask(present & parsed.isna(), sentinel)
        out[name] = parsed
    if kind == "date":
        kwargs = {
            k: pd.Timestamp(v) if k in ("min_value", "max_value") and _is_date(v) else v
            for k, v in rule.kwargs.items()
        }
        rule = rule.model_copy(update={"kwargs": kwargs})
    return rule, out
