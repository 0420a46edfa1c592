"""The run report: what a pipeline run found, checked, published and logged.

Written as ``<run id>.json`` beside a self-contained HTML page for stewards.
It carries column names, entity types, counts, views and hashes only — never
a raw value.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from govkit.audit.checkpoints import Checkpoint
from govkit.entities import Sensitivity
from govkit.policy.views import View

RunStatus = Literal["published", "failed", "dry_run"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ColumnReport(_Model):
    """One column as classified for this run."""

    name: str
    entity: str | None = None
    entities: list[str] = Field(default_factory=list)
    sensitivity: Sensitivity = "low"
    kind: str = "structured"
    origin: Literal["catalog", "scan"] = "scan"
    detections: int = 0
    """Values in which the scanner found an entity (0 when the catalog was used as is)."""


class ExpectationReport(_Model):
    """One expectation's outcome (counts only)."""

    expectation: str
    """The rule id (``meta.rule_id``) of the expectation."""
    type: str | None = None
    """The expectation type, e.g. ``expect_column_values_to_not_be_null``."""
    column: str | None = None
    success: bool
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    severity: Literal["error", "warning"] = "error"
    """``warning``: listed in the source's ``warn``; a failure is reported, not blocking."""


class QualityReport(_Model):
    """The quality verdict of one dataset's suite, judged on the raw data."""

    suite: str
    success: bool
    evaluated: int = 0
    passed: int = 0
    failed: int = 0
    warnings: int = 0
    """Failed expectations of severity ``warning`` (included in ``failed``)."""
    results: list[ExpectationReport] = Field(default_factory=list)

    @property
    def blocking(self) -> int:
        """Failed expectations that stop the run."""
        return self.failed - self.warnings


class DatasetReport(_Model):
    """One source dataset."""

    name: str
    uri: str
    table: str | None = None
    fingerprint: str | None = None
    rows: int | None = None
    rows_scanned: int | None = None
    """Rows the scanner examined (a sample unless ``scan.full``); detections count in these."""
    columns: list[ColumnReport] = Field(default_factory=list)
    tiers: dict[str, int] = Field(default_factory=dict)
    """Columns per sensitivity tier (``high``/``medium``/``low``)."""
    detections: dict[str, int] = Field(default_factory=dict)
    """Values detected per entity type."""
    pii_gate: Sensitivity | None = None
    gate_columns: list[str] = Field(default_factory=list)
    """Columns that tripped the PII gate (uncovered by the catalog at or above ``pii_gate``)."""
    quality: QualityReport | None = None


class OutputColumn(_Model):
    """What one role receives of one column."""

    column: str
    view: View
    transform: str | None = None
    rule_ids: list[str] = Field(default_factory=list)


class OutputReport(_Model):
    """One published view."""

    name: str
    source: str
    role: str
    purpose: str
    destination: str
    table: str | None = None
    allowed: bool = True
    reason: str = ""
    rows_in: int | None = None
    rows_out: int | None = None
    rows_filtered: int | None = None
    row_filter: str | None = None
    """The rows the role may see, as text (e.g. ``consent_marketing == true``); None: all."""
    columns: list[OutputColumn] = Field(default_factory=list)
    published: bool = False
    policy_hash: str | None = None


class AuditSummary(_Model):
    """What the run logged."""

    store: str
    events: int = 0
    checkpoint: Checkpoint | None = None


class RunError(_Model):
    """Why a run published nothing."""

    type: str
    message: str
    exit_code: int
    stage: str


class RunReport(_Model):
    """The JSON run report (schema in docs/pipeline.md)."""

    run_id: str
    pipeline: str
    name: str
    status: RunStatus
    started_at: str
    finished_at: str | None = None
    actor: str
    govkit_version: str
    datasets: list[DatasetReport] = Field(default_factory=list)
    outputs: list[OutputReport] = Field(default_factory=list)
    audit: AuditSummary | None = None
    error: RunError | None = None
    engine: dict[str, str] = Field(default_factory=lambda: {"engine": "local"})
    """Which engine ran: ``engine`` (``local``/``spark``); on Spark also ``spark_version``,
    ``spark_master`` and ``spark_app_id``."""
    timings: dict[str, float] = Field(default_factory=dict)
    """Seconds spent per stage (``audit``, ``config``, ``scan``, ``validate``, ``access``,
    ``keys``, ``protect``, ``publish``)."""
    report_json: str | None = None
    report_html: str | None = None

    def dataset(self, name: str) -> DatasetReport | None:
        """The report of one source dataset."""
        return next((d for d in self.datasets if d.name == name), None)
