"""Data quality: Great Expectations suites as a gate that never leaks values.

This is the only package that imports ``great_expectations``, and only when a
suite runs (importing this package does not).
"""

from __future__ import annotations

from govkit.quality.api import validate
from govkit.quality.models import QualityResult, QualityStatistics, RuleResult
from govkit.quality.suites import find_suite, load_suite
from govkit.quality.validate import validate_dataset

__all__ = [
    "QualityResult",
    "QualityStatistics",
    "RuleResult",
    "find_suite",
    "load_suite",
    "validate",
    "validate_dataset",
]
