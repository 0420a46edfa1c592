"""Result models of ``govkit validate`` (no GX import; safe to print, log and audit).

A :class:`QualityResult` is built only from an allowlist of GX result keys, so it
holds rule ids, counts and percentages — never a value from the data.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Engine = Literal["pandas", "sql", "spark"]


class QualityStatistics(BaseModel):
    """How many rules ran and how many passed."""

    model_config = ConfigDict(extra="forbid")

    evaluated_expectations: int
    successful_expectations: int
    unsuccessful_expectations: int
    success_percent: float | None


class RuleResult(BaseModel):
    """The outcome of one suite rule (keyed by its ``meta.rule_id``)."""

    model_config = ConfigDict(extra="forbid")

    rule_id: str
    type: str
    column: str | None = None
    columns: list[str] = Field(default_factory=list)
    success: bool
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    element_count: int | None = None
    missing_count: int | None = None
    observed_value: int | float | None = None
    description: str | None = None
    engine: Engine = "pandas"
    severity: Literal["error", "warning"] = "error"
    """``warning``: the rule is listed as a warning (``warn``); a failure does not block."""


class QualityResult(BaseModel):
    """The redacted outcome of running one suite against one dataset."""

    model_config = ConfigDict(extra="forbid")

    suite: str
    suite_file: str
    dataset: str
    success: bool
    statistics: QualityStatistics
    results: list[RuleResult]

    @property
    def failed(self) -> list[RuleResult]:
        """The rules that did not pass."""
        return [r for r in self.results if not r.success]

    @property
    def blocking(self) -> list[RuleResult]:
        """Failed rules of severity ``error``: these fail the gate."""
        return [r for r in self.failed if r.severity == "error"]

    @property
    def warnings(self) -> list[RuleResult]:
        """Failed rules of severity ``warning``: reported, not blocking."""
        return [r for r in self.failed if r.severity == "warning"]

    @property
    def passed(self) -> bool:
        """True when no blocking rule failed (warnings allowed)."""
        return not self.blocking
