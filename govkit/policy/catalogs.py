"""Column labels for decisions: from a catalog file, or from column names alone."""

from __future__ import annotations

from pathlib import Path

from govkit import catalog as catalog_module
from govkit.catalog import Catalog, DatasetCatalog
from govkit.entities import DEFAULT_TIERS, max_tier
from govkit.policy._yaml import parse, read_yaml
from govkit.policy.views import ColumnLabel

REFERENCE_CATALOG = Path("tests") / "catalog.yaml"
"""Where a policy directory keeps the catalog its tests (and ``diff``) are judged on."""


def read_catalog(path: Path) -> Catalog:
    """Read a catalog file (the scanner's ``load_catalog`` when available).

    Raises:
        PolicyError: the file is unreadable or not a catalog; names file and field path.
    """
    loader = getattr(catalog_module, "load_catalog", None)
    if loader is not None:
        loaded = loader(path)
        if isinstance(loaded, Catalog):
            return loaded
    data, text = read_yaml(path)
    return parse(Catalog, path, data, text)


def reference_catalog(policy_dir: Path) -> Path | None:
    """The policy directory's reference catalog (``tests/catalog.yaml``), if it has one."""
    path = policy_dir / REFERENCE_CATALOG
    return path if path.is_file() else None


def column_labels(dataset: DatasetCatalog) -> list[ColumnLabel]:
    """Labels of every catalogued column, in catalog order.

    A column whose entry names entities but no ``sensitivity`` (a hand-written catalog)
    gets the highest default tier of its entities, not the model's default ``low``,
    which would let every low-tier grant show an ID number raw.
    """
    return [
        ColumnLabel(
            name=name,
            entity=col.entity,
            sensitivity=(
                col.sensitivity
                if "sensitivity" in col.model_fields_set
                else max_tier(
                    [DEFAULT_TIERS.get(e, "high") for e in {col.entity, *col.entities} if e]
                )
            ),
            tags=list(col.tags),
            kind=col.kind,
        )
        for name, col in dataset.columns.items()
    ]


def dataset_name(source: str) -> str:
    """The name rules match: a file's stem (``data/customers.csv`` → ``customers``) or the name."""
    if "://" in source:
        return source.rstrip("/").rsplit("/", 1)[-1]
    path = Path(source)
    return path.stem if path.suffix else source
