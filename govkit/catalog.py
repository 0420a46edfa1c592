"""The catalog: what each column of a dataset holds, reviewed and corrected by a steward.

``govkit scan --catalog FILE`` writes it as YAML; a later scan keeps the steward's
overrides and flags columns that changed or appeared. ``protect``, ``policy`` and
``run`` read it instead of scanning again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from govkit._config import Problem, load_yaml_model, unknown_name
from govkit._files import write_text_atomic
from govkit.entities import Sensitivity
from govkit.errors import ConfigError

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
        drift: set by the last scan when the column appeared (``new``), disappeared
            (``removed``) or now looks different (``changed: A → B``); None otherwise.
    """

    model_config = ConfigDict(extra="forbid")

    entity: str | None = None
    entities: list[str] = Field(default_factory=list)
    sensitivity: Sensitivity = "low"
    kind: ColumnKind = "structured"
    tags: list[str] = Field(default_factory=list)
    reviewed: bool = False
    drift: str | None = None


class DatasetCatalog(BaseModel):
    """Columns of one dataset, keyed by column name."""

    model_config = ConfigDict(extra="forbid")

    columns: dict[str, CatalogColumn] = Field(default_factory=dict)


class Catalog(BaseModel):
    """A catalog file: datasets keyed by their name (file stem or table name)."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    datasets: dict[str, DatasetCatalog] = Field(default_factory=dict)


def catalog_problems(catalog: Catalog, entities: Collection[str]) -> Iterator[Problem]:
    """Every entity a catalog names must be one govkit knows (a typo would leave data raw)."""
    for dataset, entry in catalog.datasets.items():
        for column, col in entry.columns.items():
            at: tuple[str, ...] = ("datasets", dataset, "columns", column)
            if col.entity is not None and col.entity not in entities:
                yield (*at, "entity"), unknown_name("entity", col.entity, entities)
            for i, name in enumerate(col.entities):
                if name not in entities:
                    yield (*at, "entities", i), unknown_name("entity", name, entities)


def _policy_entities() -> frozenset[str]:
    """Entities known to the configured policy directory (built-ins when it cannot be read)."""
    from govkit.classify import known_entities
    from govkit.settings import GovkitSettings

    try:
        policy_dir = GovkitSettings().policy_dir
    except Exception:  # noqa: BLE001 - bad settings are reported by the command itself
        return known_entities(None)
    return known_entities(policy_dir)


def load_catalog(path: Path | str, *, entities: Collection[str] | None = None) -> Catalog:
    """Read a catalog YAML file; an absent file is an empty catalog.

    Args:
        path: the catalog file.
        entities: the entity names allowed (default: built-in entities plus those
            ``classification.yaml`` of the configured policy directory gives a tier).

    Raises:
        ConfigError: the file is not valid YAML or not a catalog, or it names an
            unknown entity, tier or kind (names file, line, field and the closest name).
    """
    path = Path(path)
    if not path.exists():
        return Catalog()
    known = _policy_entities() if entities is None else entities
    return load_yaml_model(
        path, Catalog, what="catalog", check=lambda c: catalog_problems(c, known)
    )


def save_catalog(catalog: Catalog, path: Path | str) -> None:
    """Write a catalog as YAML atomically (temporary file, then rename).

    Raises:
        ConfigError: the file cannot be written (names the file).
    """
    path = Path(path)
    text = yaml.safe_dump(
        catalog.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=100
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot write the catalog ({exc.strerror or 'OS error'})"
        ) from exc


def _describe(column: CatalogColumn) -> str:
    return f"{column.entity or 'none'}/{column.sensitivity}"


def merge_dataset(
    old: DatasetCatalog | None, scanned: DatasetCatalog
) -> tuple[DatasetCatalog, list[str]]:
    """Merge a new scan into a dataset's catalog entry.

    Entries a steward reviewed (``reviewed: true``) are kept as they are; others
    take the scan's result. Columns that appeared, disappeared or now scan
    differently are flagged in ``drift`` and returned as ``column: reason`` lines.
    """
    if old is None:
        return scanned, []
    merged: dict[str, CatalogColumn] = {}
    drift: list[str] = []
    for name, new in scanned.columns.items():
        before = old.columns.get(name)
        if before is None:
            merged[name] = new.model_copy(update={"drift": "new"})
            drift.append(f"{name}: new")
            continue
        changed = (before.entity, before.sensitivity) != (new.entity, new.sensitivity)
        flag = f"changed: {_describe(before)} → {_describe(new)}" if changed else None
        if before.reviewed:
            merged[name] = before.model_copy(update={"drift": flag})
        else:
            merged[name] = new.model_copy(update={"tags": before.tags, "drift": flag})
        if flag:
            drift.append(f"{name}: {flag}" + (" (steward's entry kept)" if before.reviewed else ""))
    for name, before in old.columns.items():
        if name not in scanned.columns:
            merged[name] = before.model_copy(update={"drift": "removed"})
            drift.append(f"{name}: removed")
    return DatasetCatalog(columns=merged), drift
