"""govkit's own Great Expectations expectations.

Importing this package does not import GX; :func:`register` does, by importing
the modules that define the classes (GX registers an expectation when its class
is defined, and silently drops suite entries whose type it does not know).
"""

from __future__ import annotations

GOVKIT_TYPES: frozenset[str] = frozenset(
    {
        "expect_column_values_to_be_valid_cn_resident_id",
        "expect_column_values_to_be_valid_cn_uscc",
        "expect_column_values_to_be_valid_cn_phone",
        "expect_column_values_to_be_valid_bank_card",
        "expect_column_values_to_be_number_between",
        "expect_column_values_to_not_be_in_the_future",
        "expect_column_pair_cn_resident_id_to_match_birth_date",
        "expect_column_pair_cn_resident_id_to_match_gender",
        "expect_customers_to_be_unique_after_normalization",
    }
)
"""Expectation types govkit defines. They run on pandas; on a SQL source govkit
evaluates them over the needed columns streamed from the database."""

IDENTIFIER_TYPES: frozenset[str] = frozenset(
    {
        "expect_column_values_to_be_valid_cn_resident_id",
        "expect_column_values_to_be_valid_cn_uscc",
        "expect_column_values_to_be_valid_cn_phone",
        "expect_column_values_to_be_valid_bank_card",
        "expect_column_pair_cn_resident_id_to_match_birth_date",
        "expect_column_pair_cn_resident_id_to_match_gender",
        "expect_customers_to_be_unique_after_normalization",
    }
)
"""Types whose columns hold personal identifiers (their observed values are never shown)."""


def register() -> None:
    """Import the expectation modules so GX knows their types (imports GX)."""
    from govkit.quality.expectations import consistency, identifiers, values  # noqa: F401
