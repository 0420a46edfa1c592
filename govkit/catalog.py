"""The catalog: what each column of a dataset holds, reviewed and corrected by a steward.

``govkit scan --catalog FILE`` writes it as YAML; a later scan keeps the steward's
overrides and flags columns that changed or appeared. ``protect``, ``policy`` and
``run`` read it instead of scanning again.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from govkit.entities import Sensitivity

ColumnKind = Literal["structured", "free_text"]


class CatalogColumn(BaseModel):
    """One column's classification.

    Attributes:
        entity: the primary entity (e.g. ``CN_RESIDENT_ID``), or None for non-personal data.
        entities: every entity type found (free-text columns can embed several).
        sensitivity: the column's tier.
        kind: ``structured`` values or ``free_text``.
        tags: steward-given labels that policies can select on (e.g. ``consent``).
        reviewed: True when a steward set or confirmed this entry; scans keep it.
    """

    model_config = ConfigDict(extra="forbid")

    entity: str | None = None
    entities: list[str] = Field(default_factory=list)
    sensitivity: Sensitivity = "low"
    kind: ColumnKind = "structured"
    tags: list[str] = Field(default_factory=list)
    reviewed: bool = False


class DatasetCatalog(BaseModel):
    """Columns of one dataset, keyed by column name."""

    model_config = ConfigDict(extra="forbid")

    columns: dict[str, CatalogColumn] = Field(default_factory=dict)


class Catalog(BaseModel):
    """A catalog file: datasets keyed by their name (file stem or table name)."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    datasets: dict[str, DatasetCatalog] = Field(default_factory=dict)
