"""``protect``: the library function behind ``govkit protect`` and ``govkit.protect(...)``.

Opens the source, takes the catalog (or scans), decides access when a role and
purpose are given, plans, streams the batches through the transforms, records the
audit events and only then publishes the output and its manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from govkit import __version__
from govkit.catalog import DatasetCatalog
from govkit.datasets import Dataset, WriteResult, open_dataset, redact_url
from govkit.errors import (
    AccessDeniedError,
    AuditError,
    ConfigError,
    GovkitError,
    ProtectionError,
    UsageError,
)
from govkit.models import AuditEvent
from govkit.policy.views import AccessDecision
from govkit.protect._io import TableDataset, check_target, staged
from govkit.protect.apply import Protector
from govkit.protect.keys import KeyProvider, open_keyring
from govkit.protect.manifest import Manifest
from govkit.protect.plan import load_protection_rules, plan_protection
from govkit.protect.registry import transform_class

if TYPE_CHECKING:
    from govkit.governor import Governor


@dataclass
class ProtectResult:
    """What ``protect`` returns.

    Attributes:
        manifest: per column the transform, key id and counts (no values).
        data: the protected data when no output was named (same kind as the input:
            a pandas DataFrame for a DataFrame, else a pyarrow Table).
        output: where the data was written, if it was.
    """

    manifest: Manifest
    data: Any = None
    output: str | None = None


def _catalog(
    dataset: Dataset, catalog: Path | DatasetCatalog | None, policy_dir: Path
) -> DatasetCatalog:
    if isinstance(catalog, DatasetCatalog):
        return catalog
    if catalog is not None:
        from govkit.policy.catalogs import read_catalog

        if not catalog.is_file():
            raise ConfigError(
                f"{catalog}: catalog file not found (write one with `govkit scan --catalog`)"
            )
        entry = read_catalog(catalog).datasets.get(dataset.name)
        if entry is None:
            raise ProtectionError(
                f"{catalog}: no entry for dataset {dataset.name!r}; scan it first"
            )
        return entry
    from govkit.classify import load_classification
    from govkit.detect.scan import scan_dataset

    # The project's tiers decide, as they do for `govkit scan` (fail closed on overrides).
    classification = load_classification(policy_dir)
    scanned: DatasetCatalog = scan_dataset(dataset, classification=classification).to_catalog()
    return scanned


def decide_access(
    governor: Governor, dataset: str, catalog: DatasetCatalog, role: str, purpose: str
) -> AccessDecision:
    """Decide a role's views, record ``access.decide`` and raise when everything is denied.

    Raises:
        AccessDeniedError: the role/purpose may not use the dataset (recorded as denied).
    """
    from govkit.policy.catalogs import column_labels

    decision = governor.decide(
        role=role, purpose=purpose, dataset=dataset, columns=column_labels(catalog)
    )
    if not decision.allowed:
        raise AccessDeniedError(
            f"role {role!r} may not use {dataset!r} for {purpose!r}: {decision.reason}"
        )
    return decision


def _file_fingerprint(dataset: Dataset) -> str | None:
    """SHA-256 of a source file (one cheap read); None for tables and DataFrames."""
    from govkit.datasets.files import FileDataset

    return dataset.fingerprint() if isinstance(dataset, FileDataset) else None


def _needs_keys(plan_transforms: list[str]) -> bool:
    return any(transform_class(name).key_purpose is not None for name in plan_transforms)


def protect(
    source: str | pa.Table | pd.DataFrame,
    output: str | None = None,
    *,
    governor: Governor | None = None,
    catalog: Path | DatasetCatalog | None = None,
    role: str | None = None,
    purpose: str | None = None,
    table: str | None = None,
    output_table: str | None = None,
    overwrite: bool = False,
    keys: KeyProvider | None = None,
    manifest: Path | None = None,
    workers: int = 1,
) -> ProtectResult:
    """Protect a dataset by policy.

    Args:
        source: a file path / SQLAlchemy URL, or an in-memory table or DataFrame.
        output: where to write (file or URL); None returns the data in the result.
        governor: settings, audit store (default: from the environment).
        catalog: a catalog file or object; None scans the source first.
        role: the role the output is for (with ``purpose``: access decision applies).
        purpose: the declared purpose.
        table: table to read, for a database URL.
        output_table: table to write, for a database URL output.
        overwrite: replace an existing output.
        keys: a key provider (default: the local keyring of the settings).
        manifest: where to write the manifest (default: ``<output>.manifest.json`` for
            a file; a database output gets one only when this is given).
        workers: processes that protect batches in parallel (1: this process only).

    Raises:
        UsageError: role without purpose (or the reverse).
        ProtectionError: a sensitive column no rule covers, a transform failure.
        KeyMaterialError: a key is missing or unusable.
        AccessDeniedError: the policy denies the role/purpose.
        AuditError: the audit event could not be recorded (nothing is published).
    """
    if (role is None) != (purpose is None):
        raise UsageError("--role and --purpose go together")
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    if governor is None:
        from govkit.governor import Governor

        governor = Governor()
    settings = governor.settings
    dataset = (
        TableDataset.of(source)
        if not isinstance(source, str)
        else open_dataset(source, table=table)
    )
    if output is not None:
        check_target(output, output_table, overwrite)
    fingerprint = _file_fingerprint(dataset)
    rules = load_protection_rules(settings.policy_dir)
    cat = _catalog(dataset, catalog, settings.policy_dir)
    decision = (
        decide_access(governor, dataset.name, cat, role, purpose) if role and purpose else None
    )
    plan = plan_protection(cat, rules, decision)
    if keys is None and _needs_keys([c.transform for c in plan.columns]):
        keys = open_keyring(settings)
    protector = Protector(plan, keys)
    schema = plan.output_schema(dataset.schema)
    batches = protector.batches(dataset.batches(), schema, workers=workers)

    def make_manifest(written: WriteResult | None) -> Manifest:
        return Manifest(
            govkit_version=__version__,
            source=redact_url(dataset.uri) if "://" in dataset.uri else dataset.uri,
            dataset=dataset.name,
            output=written.uri if written else None,
            fingerprint=fingerprint,
            role=role,
            purpose=purpose,
            policy_hash=decision.policy_hash if decision else None,
            rows_in=protector.rows_in,
            rows_out=protector.rows_out,
            columns=protector.manifest_columns(),
            dropped=protector.dropped(),
        )

    def record(made: Manifest) -> None:
        governor.record(_event(made, decision))

    if output is None:
        if manifest is not None:
            raise UsageError("--manifest goes with --output")
        data = pa.Table.from_batches(list(batches), schema)
        made = make_manifest(None)
        record(made)
        return ProtectResult(
            manifest=made, data=data.to_pandas() if isinstance(source, pd.DataFrame) else data
        )
    try:
        _, made = staged(
            batches,
            schema,
            output,
            table=output_table,
            overwrite=overwrite,
            manifest=make_manifest,
            record=record,
            manifest_to=manifest,
        )
    except AuditError:
        raise
    except GovkitError as exc:  # nothing published: say so, also after a recorded success
        governor.record(
            AuditEvent(
                action="protect",
                outcome="failure",
                reason=type(exc).__name__,
                dataset=redact_url(dataset.uri) if "://" in dataset.uri else dataset.uri,
                role=role,
                purpose=purpose,
            )
        )
        raise
    return ProtectResult(manifest=made, output=made.output)


def _event(made: Manifest, decision: AccessDecision | None) -> AuditEvent:
    counts = {"rows_in": made.rows_in, "rows_out": made.rows_out}
    counts.update({f"values.{c.column}": c.values for c in made.columns if c.transform != "keep"})
    return AuditEvent(
        action="protect",
        dataset=made.source,
        fingerprint=made.fingerprint,
        columns=[c.column for c in made.columns if c.transform != "keep"],
        role=made.role,
        purpose=made.purpose,
        rule_ids=decision.rule_ids if decision else [],
        policy_hash=made.policy_hash,
        counts=counts,
        details={
            "output": made.output,
            "dropped": ",".join(made.dropped) or None,
            **{f"transform.{c.column}": f"{c.transform}:{c.key_id or '-'}" for c in made.columns},
        },
    )
