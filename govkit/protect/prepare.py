"""protect, the engine-free half: classify the columns, decide access, plan each column.

:func:`prepare` is shared by ``govkit protect`` (through :func:`govkit.protect.api.protect`)
and by ``govkit run`` (``pipeline/plan.py``), so the plan a steward reviews in a dry run is
the plan every door applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from govkit.audit.events import dataset_identity
from govkit.catalog import DatasetCatalog
from govkit.datasets import Dataset
from govkit.errors import AccessDeniedError, ConfigError, ProtectionError, UsageError
from govkit.policy.views import AccessDecision
from govkit.protect.plan import ProtectionPlan, ProtectionRules, load_protection_rules

if TYPE_CHECKING:
    from govkit.context import StageContext


@dataclass
class Prepared:
    """A dataset decided and planned, not yet read (the engine-free half of protect)."""

    dataset: Dataset
    catalog: DatasetCatalog
    decision: AccessDecision | None
    plan: ProtectionPlan | None
    """None when access is denied."""
    role: str | None = None
    purpose: str | None = None


def read_catalog_entry(dataset: Dataset, catalog: Path) -> DatasetCatalog:
    """The catalog file's entry for a dataset.

    Raises:
        ConfigError: the file does not exist.
        ProtectionError: no entry for the dataset.
    """
    from govkit.policy.catalogs import read_catalog

    if not catalog.is_file():
        raise ConfigError(
            f"{catalog}: catalog file not found (write one with `govkit scan --catalog`)"
        )
    entry = read_catalog(catalog).datasets.get(dataset.name)
    if entry is None:
        raise ProtectionError(f"{catalog}: no entry for dataset {dataset.name!r}; scan it first")
    return entry


def classify(
    context: StageContext, dataset: Dataset, catalog: Path | DatasetCatalog | None
) -> DatasetCatalog:
    """The columns' classification: the catalog's, else a scan with the project's tiers."""
    if isinstance(catalog, DatasetCatalog):
        return catalog
    if catalog is not None:
        return read_catalog_entry(dataset, catalog)
    from govkit.detect.scan import scan_dataset
    from govkit.detect.text import TextDetector

    # The project's classification.yaml decides tiers, as for `govkit scan` (fail closed).
    scanned = scan_dataset(
        dataset,
        classification=context.classification(),
        detector=TextDetector.default(spacy_model=context.settings.spacy_model),
    )
    return scanned.to_catalog()


def denied_error(dataset: str, decision: AccessDecision) -> AccessDeniedError:
    """The one message for a denied role/purpose."""
    return AccessDeniedError(
        f"role {decision.role!r} may not use {dataset!r} for {decision.purpose!r}: "
        f"{decision.reason or 'no rule allows it'}"
    )


def prepare(
    context: StageContext,
    dataset: Dataset,
    catalog: DatasetCatalog,
    *,
    role: str | None,
    purpose: str | None,
    rules: ProtectionRules | None = None,
    name: str | None = None,
) -> Prepared:
    """Decide access (recorded through the context) and plan the protection.

    A denied request gets no plan; the caller raises :func:`denied_error` (at once,
    or — a run — after every output is decided).

    Raises:
        UsageError: role without purpose (or the reverse).
        ProtectionError: a sensitive column no rule covers (fail closed).
    """
    from govkit.policy.catalogs import column_labels
    from govkit.protect.plan import plan_protection

    if (role is None) != (purpose is None):
        raise UsageError("--role and --purpose go together")
    rules = rules or load_protection_rules(context.settings.policy_dir)
    decision = None
    if role is not None and purpose is not None:
        decision = context.decide(
            role=role,
            purpose=purpose,
            dataset=name or dataset.name,
            columns=column_labels(catalog),
            uri=dataset_identity(dataset),
        )
        if not decision.allowed:
            return Prepared(dataset, catalog, decision, None, role, purpose)
    plan = plan_protection(catalog, rules, decision)
    return Prepared(dataset, catalog, decision, plan, role, purpose)
