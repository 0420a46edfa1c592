"""Scan results (pydantic) and the masking of the few samples a report may show."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from govkit.catalog import CatalogColumn, ColumnKind, DatasetCatalog
from govkit.entities import Sensitivity


class EntityCount(BaseModel):
    """One entity type found in a column: how many values/spans, and the share of values."""

    model_config = ConfigDict(extra="forbid")

    type: str
    count: int
    share: float


class Evidence(BaseModel):
    """Why a column got its label.

    Attributes:
        header_hint: the hint the header gave (``"手机 → PHONE_NUMBER"``), if any.
        values_checked: distinct non-null values examined (all values with ``--full``).
        pattern_share: share of values with the entity's shape.
        checksum_pass_rate: share of shaped values that passed the validator.
        validators: what confirmed the values (``"GB 11643 MOD 11-2 …"``).
        note: anything else worth knowing (``"all values null"``, ``"header only"``).
    """

    model_config = ConfigDict(extra="forbid")

    header_hint: str | None = None
    values_checked: int = 0
    pattern_share: float | None = None
    checksum_pass_rate: float | None = None
    validators: list[str] = Field(default_factory=list)
    note: str | None = None


class ColumnScan(BaseModel):
    """What one column holds."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: ColumnKind = "structured"
    entity: str | None = None
    entities: list[EntityCount] = Field(default_factory=list)
    confidence: float = 0.0
    sensitivity: Sensitivity = "low"
    evidence: Evidence = Field(default_factory=Evidence)
    recommended_action: str = "none"
    masked_samples: list[str] = Field(default_factory=list)


class DatasetScan(BaseModel):
    """Scan result of one dataset (one file or one table)."""

    model_config = ConfigDict(extra="forbid")

    source: str
    name: str
    rows_total: int
    rows_scanned: int
    sampled: bool
    columns: list[ColumnScan]

    def to_catalog(self) -> DatasetCatalog:
        """Return the catalog entry of this dataset (column → entity, sensitivity)."""
        return DatasetCatalog(
            columns={
                c.name: CatalogColumn(
                    entity=c.entity,
                    entities=[e.type for e in c.entities],
                    sensitivity=c.sensitivity,
                    kind=c.kind,
                )
                for c in self.columns
            }
        )


class ScanSummary(BaseModel):
    """Counts over every dataset of a scan."""

    model_config = ConfigDict(extra="forbid")

    datasets: int
    columns: int
    high: int
    medium: int
    low: int
    drift: list[str] = Field(default_factory=list)


class ScanReport(BaseModel):
    """Result of ``govkit scan``: one section per dataset and an overall summary."""

    model_config = ConfigDict(extra="forbid")

    source: str
    datasets: list[DatasetScan]
    summary: ScanSummary
    full: bool = False
    sample_size: int | None = None
    """Rows sampled per dataset as asked (None: the default)."""
    catalog: str | None = None
    """The catalog file merged, if any."""
    fail_on: Sensitivity | None = None
    """The PII gate's tier, if one was set."""
    reviewed: bool = False
    """The gate excused columns a reviewed catalog already classifies at its tier."""
    gate_columns: list[str] = Field(default_factory=list)
    """Columns that tripped the gate."""


def mask_value(entity: str | None, value: str) -> str:
    """Return a masked form of ``value`` that shows its shape, never the value.

    Names keep the first character, e-mails the first character and the domain,
    addresses the first three characters; everything else keeps at most the
    first two and last two characters of values longer than eight. Names and
    addresses never show more than half their characters (``海淀区`` → ``海***``).
    """
    v = value.strip()
    if not v:
        return ""
    if entity == "EMAIL_ADDRESS" and "@" in v:
        local, _, domain = v.partition("@")
        return f"{local[:1]}***@{domain}"
    if entity == "PERSON":
        return v[: min(1, len(v) // 2)] + "*" * max(1, min(len(v) - 1, 6))
    if entity == "LOCATION":
        return v[: min(3, len(v) // 2)] + "***"
    if entity == "DATE_OF_BIRTH":
        return v[:2] + "".join("*" if c.isdigit() else c for c in v[2:])
    if len(v) <= 4:
        return "*" * len(v)
    if len(v) <= 8:
        return v[:1] + "*" * (len(v) - 1)
    return v[:2] + "*" * min(len(v) - 4, 15) + v[-2:]
