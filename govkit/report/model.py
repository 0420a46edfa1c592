"""The run report: what a pipeline run found, checked, published and logged.

Written as ``<run id>.json`` beside a self-contained HTML page for stewards.
It carries column names, entity types, counts, views and hashes only — never
a raw value.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from govkit.audit.checkpoints import Checkpoint
from govkit.detect.report import DatasetScan
from govkit.entities import Sensitivity
from govkit.policy.views import View
from govkit.quality.models import QualityResult

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


class DatasetReport(_Model):
    """One source dataset."""

    name: str
    uri: str
    table: str | None = None
    fingerprint: str | None = None
    rows: int | None = None
    columns: list[ColumnReport] = Field(default_factory=list)
    """The run's classification: the reviewed catalog's entry where it has one, else the scan's."""
    tiers: dict[str, int] = Field(default_factory=dict)
    """Columns per sensitivity tier (``high``/``medium``/``low``)."""
    pii_gate: Sensitivity | None = None
    gate_columns: list[str] = Field(default_factory=list)
    """Columns that tripped the PII gate (uncovered by the catalog at or above ``pii_gate``)."""
    scan: DatasetScan | None = None
    """The scan stage's result (None when the dry run classified from the catalog alone)."""
    quality: QualityResult | None = None
    """The validate stage's result (None without a suite)."""

    @property
    def rows_scanned(self) -> int | None:
        """Rows the scanner examined (a sample unless ``scan.full``)."""
        return self.scan.rows_scanned if self.scan is not None else None

    @property
    def detections(self) -> dict[str, int]:
        """Values detected per entity type (in the scanned rows)."""
        found: dict[str, int] = {}
        for column in self.scan.columns if self.scan is not None else []:
            for entity in column.entities:
                found[entity.type] = found.get(entity.type, 0) + entity.count
        return dict(sorted(found.items()))


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
