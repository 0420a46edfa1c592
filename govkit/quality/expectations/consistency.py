"""Consistency expectations across columns: ID vs birth date and gender, duplicate customers."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import pandas as pd
from great_expectations.execution_engine.pandas_execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import (
    ColumnPairMapExpectation,
    MulticolumnMapExpectation,
)
from great_expectations.expectations.metrics.map_metric_provider.column_pair_condition_partial import (
    column_pair_condition_partial,
)
from great_expectations.expectations.metrics.map_metric_provider.column_pair_map_metric_provider import (
    ColumnPairMapMetricProvider,
)
from great_expectations.expectations.metrics.map_metric_provider.multicolumn_condition_partial import (
    multicolumn_condition_partial,
)
from great_expectations.expectations.metrics.map_metric_provider.multicolumn_map_metric_provider import (
    MulticolumnMapMetricProvider,
)

from govkit.quality.expectations import checks

_PAIR_DOMAIN = (
    "batch_id",
    "table",
    "column_A",
    "column_B",
    "row_condition",
    "condition_parser",
    "ignore_row_if",
)


class ColumnPairIdBirthDate(ColumnPairMapMetricProvider):
    """Metric: the ID's embedded birth date equals the birth-date column."""

    condition_metric_name = "column_pair_values.govkit_id_birth_date"
    condition_domain_keys = _PAIR_DOMAIN

    @column_pair_condition_partial(engine=PandasExecutionEngine)  # type: ignore[untyped-decorator]
    def _pandas(cls, column_A: pd.Series, column_B: pd.Series, **kwargs: Any) -> pd.Series:
        return checks.id_matches_birth_date(column_A, column_B)


class ExpectColumnPairCnResidentIdToMatchBirthDate(ColumnPairMapExpectation):
    """Expect the birth date inside the resident ID (``column_A``) to equal ``column_B``.

    Rows where either value is missing are skipped.
    """

    ignore_row_if: Literal["both_values_are_missing", "either_value_is_missing", "neither"] = (
        "either_value_is_missing"
    )
    map_metric: ClassVar[str] = "column_pair_values.govkit_id_birth_date"
    success_keys: ClassVar[tuple[str, ...]] = ("column_A", "column_B", "ignore_row_if", "mostly")


class ColumnPairIdGender(ColumnPairMapMetricProvider):
    """Metric: the ID's sex digit agrees with the gender column."""

    condition_metric_name = "column_pair_values.govkit_id_gender"
    condition_domain_keys = _PAIR_DOMAIN

    @column_pair_condition_partial(engine=PandasExecutionEngine)  # type: ignore[untyped-decorator]
    def _pandas(cls, column_A: pd.Series, column_B: pd.Series, **kwargs: Any) -> pd.Series:
        return checks.id_matches_gender(column_A, column_B)


class ExpectColumnPairCnResidentIdToMatchGender(ColumnPairMapExpectation):
    """Expect the sex digit of the resident ID (``column_A``, odd = male) to agree with ``column_B``.

    ``column_B`` holds 男/女 or M/F (Male/Female); rows with a missing value are skipped.
    """

    ignore_row_if: Literal["both_values_are_missing", "either_value_is_missing", "neither"] = (
        "either_value_is_missing"
    )
    map_metric: ClassVar[str] = "column_pair_values.govkit_id_gender"
    success_keys: ClassVar[tuple[str, ...]] = ("column_A", "column_B", "ignore_row_if", "mostly")


class MulticolumnUniqueAfterNormalization(MulticolumnMapMetricProvider):
    """Metric: the normalised compound key of the row occurs once."""

    condition_metric_name = "multicolumn_values.govkit_unique_after_normalization"
    condition_domain_keys = (
        "batch_id",
        "table",
        "column_list",
        "row_condition",
        "condition_parser",
        "ignore_row_if",
    )
    condition_value_keys = ("entities",)

    @multicolumn_condition_partial(engine=PandasExecutionEngine)  # type: ignore[untyped-decorator]
    def _pandas(
        cls, column_list: pd.DataFrame, entities: dict[str, str] | None = None, **kwargs: Any
    ) -> pd.Series:
        return checks.unique_after_normalization(column_list, entities)


class ExpectCustomersToBeUniqueAfterNormalization(MulticolumnMapExpectation):
    """Expect no two rows to describe the same customer once values are normalised.

    ``column_list`` names the identifying columns (e.g. ``name``, ``phone``);
    ``entities`` maps a column to the entity whose normaliser applies
    (``PHONE_NUMBER``, ``EMAIL_ADDRESS``, ``CN_RESIDENT_ID`` …). Rows with a
    missing key value are skipped; every row of a duplicate group is unexpected.
    """

    entities: dict[str, str] | None = None
    ignore_row_if: Literal["all_values_are_missing", "any_value_is_missing", "never"] = (
        "any_value_is_missing"
    )
    map_metric: ClassVar[str] = "multicolumn_values.govkit_unique_after_normalization"
    success_keys: ClassVar[tuple[str, ...]] = ("entities", "ignore_row_if", "mostly")
