"""Type-tolerant value expectations: numbers in a range, dates not in the future.

CSV columns arrive as text, and GX's ``expect_column_values_to_be_between``
refuses text columns. These expectations parse the values themselves and count
text that does not parse as unexpected, so a typo cannot hide as a null.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd
from great_expectations.execution_engine.pandas_execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider.column_condition_partial import (
    column_condition_partial,
)
from great_expectations.expectations.metrics.map_metric_provider.column_map_metric_provider import (
    ColumnMapMetricProvider,
)

from govkit.quality.expectations import checks


class ColumnValuesNumberBetween(ColumnMapMetricProvider):
    """Metric: each value parses as a number within the bounds."""

    condition_metric_name = "column_values.govkit_number_between"
    condition_value_keys = ("min_value", "max_value", "integer")

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        column: pd.Series,
        min_value: float | None = None,
        max_value: float | None = None,
        integer: bool = False,
        **kwargs: Any,
    ) -> pd.Series:
        return checks.number_between(column, min_value, max_value, integer)


class ExpectColumnValuesToBeNumberBetween(ColumnMapExpectation):
    """Expect numbers (text is parsed) within ``[min_value, max_value]``; ``integer`` for whole numbers."""

    min_value: float | None = None
    max_value: float | None = None
    integer: bool = False

    map_metric: ClassVar[str] = "column_values.govkit_number_between"
    success_keys: ClassVar[tuple[str, ...]] = ("min_value", "max_value", "integer", "mostly")


class ColumnValuesNotInFuture(ColumnMapMetricProvider):
    """Metric: each value parses as an ISO date/timestamp not after now (UTC)."""

    condition_metric_name = "column_values.govkit_not_in_future"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **kwargs: Any) -> pd.Series:
        return checks.not_in_future(column)


class ExpectColumnValuesToNotBeInTheFuture(ColumnMapExpectation):
    """Expect ISO 8601 dates or timestamps that are not after the time of validation."""

    map_metric: ClassVar[str] = "column_values.govkit_not_in_future"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly",)
