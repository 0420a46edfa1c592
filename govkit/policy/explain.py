"""``govkit policy explain``: a decision with its rules, role path and where labels came from."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from govkit.catalog import Catalog
from govkit.errors import UsageError
from govkit.policy.catalogs import column_labels, dataset_name, read_catalog, reference_catalog
from govkit.policy.decide import decide
from govkit.policy.models import PolicySet
from govkit.policy.views import AccessDecision, ColumnLabel


class RuleInfo(BaseModel):
    """A rule that contributed to a decision, as an auditor reads it."""

    id: str
    effect: str
    view: str | None
    file: str
    description: str = ""


class Explanation(BaseModel):
    """The decision plus what it was judged on."""

    labels_from: str = Field(description="The catalog file, or 'column names only'.")
    decision: AccessDecision
    rules: list[RuleInfo] = Field(default_factory=list)


def labels_for(
    dataset: str,
    columns: Sequence[str],
    *,
    catalog: Path | None,
    policy_dir: Path | None,
) -> tuple[list[ColumnLabel], str]:
    """Column labels for a dataset, and where they came from.

    Order: the given catalog; else the policy directory's reference catalog when it
    lists the dataset; else a scan of the dataset when it is a file; else the named
    columns with no labels, judged as high tier (only name and high-tier rules apply).

    Raises:
        UsageError: no catalog lists the dataset and no column was named, or a named
            column is not in the catalog.
    """
    name = dataset_name(dataset)
    path = catalog or (reference_catalog(policy_dir) if policy_dir else None)
    cat: Catalog | None = read_catalog(path) if path else None
    if cat is not None and name in cat.datasets:
        labels = column_labels(cat.datasets[name])
        unknown = [c for c in columns if c not in {label.name for label in labels}]
        if unknown:
            raise UsageError(f"{path}: dataset {name!r} has no column {unknown[0]!r}")
        return labels, str(path)
    if catalog is not None:
        raise UsageError(f"{catalog}: no dataset {name!r} in the catalog")
    if "://" not in dataset and Path(dataset).is_file():
        return _scanned(dataset, columns), f"scan of {dataset}"
    if not columns:
        raise UsageError(
            f"no catalog lists dataset {name!r}: give --catalog FILE or name columns with --column"
        )
    # Unlabelled: judged as high tier (fail closed), not as the model's default low tier,
    # which every low-tier grant would match.
    return [ColumnLabel(name=c, sensitivity="high") for c in columns], "column names only"


def _scanned(source: str, columns: Sequence[str]) -> list[ColumnLabel]:
    """Labels from a fresh scan of a dataset file (an unreviewed catalog)."""
    from govkit.datasets import open_dataset
    from govkit.detect.scan import scan_dataset

    labels = column_labels(scan_dataset(open_dataset(source)).to_catalog())
    unknown = [c for c in columns if c not in {label.name for label in labels}]
    if unknown:
        raise UsageError(f"{source}: no column {unknown[0]!r}")
    return labels


def explain(
    policies: PolicySet,
    *,
    role: str,
    purpose: str,
    dataset: str,
    columns: Sequence[str] = (),
    catalog: Path | None = None,
    policy_dir: Path | None = None,
) -> Explanation:
    """Decide over the whole dataset and explain it, keeping only ``columns`` if given."""
    labels, source = labels_for(dataset, columns, catalog=catalog, policy_dir=policy_dir)
    decision = decide(
        policies, role=role, purpose=purpose, dataset=dataset_name(dataset), columns=labels
    )
    if columns:
        keep = [c for c in decision.columns if c.column in columns]
        rows = decision.row_filter.rule_ids if decision.row_filter else []
        ids = sorted({i for c in keep for i in c.rule_ids} | set(rows))
        decision = decision.model_copy(update={"columns": keep, "rule_ids": ids})
    by_id = {r.id: r for r in policies.rules}
    rules = [
        RuleInfo(
            id=i,
            effect=by_id[i].effect,
            view=by_id[i].view,
            file=policies.sources.get(i, ""),
            description=by_id[i].description,
        )
        for i in decision.rule_ids
        if i in by_id
    ]
    return Explanation(labels_from=source, decision=decision, rules=rules)
