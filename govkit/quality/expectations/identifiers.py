"""Checksum-aware identifier expectations: CN resident ID, USCC, CN phone, bank card.

Each is a Great Expectations ``ColumnMapExpectation`` whose pandas metric calls
the vectorised checks in :mod:`govkit.quality.expectations.checks` (the same
validators the scanner uses). Defining a class registers its snake_case name.
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


class ColumnValuesValidCnResidentId(ColumnMapMetricProvider):
    """Metric: each value is a valid resident ID number (check character verified)."""

    condition_metric_name = "column_values.govkit_valid_cn_resident_id"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **kwargs: Any) -> pd.Series:
        return checks.valid_cn_resident_id(column)


class ExpectColumnValuesToBeValidCnResidentId(ColumnMapExpectation):
    """Expect resident ID numbers (GB 11643) with a correct MOD 11-2 check character.

    Legacy 15-digit numbers and HK/Macau/Taiwan residence permits are accepted;
    full-width digits, spaces and a lower-case ``x`` are normalised first.
    """

    map_metric: ClassVar[str] = "column_values.govkit_valid_cn_resident_id"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly",)


class ColumnValuesValidCnUscc(ColumnMapMetricProvider):
    """Metric: each value is a valid unified social credit code."""

    condition_metric_name = "column_values.govkit_valid_cn_uscc"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **kwargs: Any) -> pd.Series:
        return checks.valid_cn_uscc(column)


class ExpectColumnValuesToBeValidCnUscc(ColumnMapExpectation):
    """Expect unified social credit codes (GB 32100) with a correct check character."""

    map_metric: ClassVar[str] = "column_values.govkit_valid_cn_uscc"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly",)


class ColumnValuesValidCnPhone(ColumnMapMetricProvider):
    """Metric: each value is a valid Chinese mobile or landline number."""

    condition_metric_name = "column_values.govkit_valid_cn_phone"
    condition_value_keys = ("international",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, international: bool = False, **kwargs: Any) -> pd.Series:
        return checks.valid_cn_phone(column, international)


class ExpectColumnValuesToBeValidCnPhone(ColumnMapExpectation):
    """Expect Chinese phone numbers, however typed (``+86``, dashes, full-width digits).

    ``international: true`` also accepts valid foreign numbers with a country code.
    """

    international: bool = False

    map_metric: ClassVar[str] = "column_values.govkit_valid_cn_phone"
    success_keys: ClassVar[tuple[str, ...]] = ("international", "mostly")


class ColumnValuesValidBankCard(ColumnMapMetricProvider):
    """Metric: each value is a 12–19 digit card number passing Luhn."""

    condition_metric_name = "column_values.govkit_valid_bank_card"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **kwargs: Any) -> pd.Series:
        return checks.valid_bank_card(column)


class ExpectColumnValuesToBeValidBankCard(ColumnMapExpectation):
    """Expect payment card numbers (UnionPay, Visa, Mastercard …) with a valid Luhn digit."""

    map_metric: ClassVar[str] = "column_values.govkit_valid_bank_card"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly",)
