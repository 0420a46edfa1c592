"""``protect``: the one protect stage, behind ``govkit protect``, ``govkit.protect`` and ``run``.

Plan, then execute: :func:`prepare` takes the catalog (or scans with the project's
classification), decides access through the context (recording ``access.decide``)
and plans each column; :func:`execute` binds the plan to its keys, runs it on an
engine over Arrow batches and builds the manifest; :func:`protect_event` is the
one ``protect`` audit event. :func:`protect` chains them for one dataset and
publishes the output only after the event is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from govkit import __version__
from govkit.audit.events import dataset_identity
from govkit.catalog import DatasetCatalog
from govkit.datasets import Dataset, open_dataset, redact_url
from govkit.datasets.write import output_encoding as output_encoding_of
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
from govkit.protect.manifest import Manifest
from govkit.protect.plan import ProtectionPlan, ProtectionRules, load_protection_rules
from govkit.protect.registry import transform_class

if TYPE_CHECKING:
    from govkit.context import StageContext
    from govkit.engines.base import Engine, ProtectExecution, ProtectTask
    from govkit.protect.keys import DataKey, KeyProvider


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


@dataclass
class Execution:
    """A prepared dataset running on an engine: batches to write, then the manifest."""

    prepared: Prepared
    task: ProtectTask
    keys: list[DataKey]
    running: ProtectExecution

    @property
    def schema(self) -> pa.Schema:
        """The schema of the protected batches."""
        return self.task.output_schema

    @property
    def batches(self) -> Iterator[pa.RecordBatch]:
        """The protected batches (consume once)."""
        return self.running.batches

    def manifest(self, output: str | None) -> Manifest:
        """The manifest once the batches are written (the engine's counts are complete)."""
        from govkit.datasets.files import FileDataset
        from govkit.protect.task import protector_for

        dataset, decision = self.prepared.dataset, self.prepared.decision
        counted = protector_for(self.task, self.keys)  # transforms described, counts added
        counted.add(self.running.counts)
        return Manifest(
            govkit_version=__version__,
            source=redact_url(dataset.uri) if "://" in dataset.uri else dataset.uri,
            dataset=dataset.name,
            output=output,
            fingerprint=dataset.fingerprint() if isinstance(dataset, FileDataset) else None,
            role=self.prepared.role,
            purpose=self.prepared.purpose,
            policy_hash=decision.policy_hash if decision else None,
            rows_in=counted.rows_in,
            rows_out=counted.rows_out,
            columns=counted.manifest_columns(),
            dropped=counted.dropped(),
        )


def _needs_keys(plan: ProtectionPlan) -> bool:
    return any(transform_class(c.transform).key_purpose is not None for c in plan.columns)


def execute(
    context: StageContext,
    prepared: Prepared,
    *,
    engine: Engine | None = None,
    keys: KeyProvider | None = None,
) -> Execution:
    """Bind the plan to its keys and start it on the engine (lazily: the writer pulls).

    Raises:
        KeyMaterialError: a key is missing or unusable.
        ProtectionError: an input column the plan does not cover.
    """
    from govkit.engines.local import LocalEngine
    from govkit.protect.task import bind

    assert prepared.plan is not None, "a denied request is never executed"
    if keys is None and _needs_keys(prepared.plan):
        keys = context.keys()
    task, handed = bind(prepared.plan, prepared.dataset.schema, keys)
    running = (engine or LocalEngine()).protect(task, prepared.dataset, handed)
    return Execution(prepared, task, handed, running)


def protect_event(made: Manifest, identity: str, decision: AccessDecision | None) -> AuditEvent:
    """The ``protect`` event: transforms, key ids and counts of one output (no values)."""
    protected = [c for c in made.columns if c.transform != "keep"]
    counts = {
        "rows_in": made.rows_in,
        "rows_out": made.rows_out,
        "rows_filtered": made.rows_in - made.rows_out,
    }
    counts.update({f"values.{c.column}": c.values for c in protected})
    return AuditEvent(
        action="protect",
        dataset=identity,
        fingerprint=made.fingerprint,
        columns=[c.column for c in protected],
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


def failure_event(prepared: Prepared, exc: BaseException) -> AuditEvent:
    """The ``protect`` failure event: nothing was published (names the error type only)."""
    return AuditEvent(
        action="protect",
        outcome="failure",
        reason=type(exc).__name__,
        dataset=dataset_identity(prepared.dataset),
        role=prepared.role,
        purpose=prepared.purpose,
    )


def protect(
    source: str | pa.Table | pd.DataFrame,
    output: str | None = None,
    *,
    context: StageContext,
    catalog: Path | DatasetCatalog | None = None,
    role: str | None = None,
    purpose: str | None = None,
    table: str | None = None,
    output_table: str | None = None,
    overwrite: bool = False,
    keys: KeyProvider | None = None,
    manifest: Path | None = None,
    engine: Engine | None = None,
    output_encoding: str | None = None,
) -> ProtectResult:
    """Protect a dataset by policy.

    Args:
        source: a file path / SQLAlchemy URL, or an in-memory table or DataFrame.
        output: where to write (file or URL); None returns the data in the result.
        context: settings, policies, keys and the audit log (a Governor).
        catalog: a catalog file or object; None scans the source first.
        role: the role the output is for (with ``purpose``: access decision applies).
        purpose: the declared purpose.
        table: table to read, for a database URL.
        output_table: table to write, for a database URL output.
        overwrite: replace an existing output.
        keys: a key provider (default: the context's).
        manifest: where to write the manifest (default: ``<output>.manifest.json`` for
            a file; a database output gets one only when this is given).
        engine: runs the plan (default: ``LocalEngine("auto")``).
        output_encoding: encoding of a CSV/TSV output (utf-8, utf-8-sig, gb18030).

    Raises:
        UsageError: role without purpose (or the reverse); ``manifest`` without ``output``.
        ProtectionError: a sensitive column no rule covers, a transform failure.
        KeyMaterialError: a key is missing or unusable.
        AccessDeniedError: the policy denies the role/purpose.
        AuditError: the audit event could not be recorded (nothing is published).
    """
    if (role is None) != (purpose is None):
        raise UsageError("--role and --purpose go together")
    if output is None and manifest is not None:
        raise UsageError("--manifest goes with --output")
    dataset = (
        TableDataset.of(source) if not isinstance(source, str) else open_dataset(source, table=table)
    )
    if output is not None:
        output_encoding_of(output, output_encoding)
        check_target(output, output_table, overwrite)
    rules = load_protection_rules(context.settings.policy_dir)
    prepared = prepare(
        context, dataset, classify(context, dataset, catalog), role=role, purpose=purpose, rules=rules
    )
    if prepared.decision is not None and prepared.plan is None:
        raise denied_error(dataset.name, prepared.decision)
    running = execute(context, prepared, engine=engine, keys=keys)
    identity = dataset_identity(dataset)

    def record(made: Manifest) -> None:
        context.record(protect_event(made, identity, prepared.decision))

    if output is None:
        data = pa.Table.from_batches(list(running.batches), running.schema)
        made = running.manifest(None)
        record(made)
        return ProtectResult(
            manifest=made, data=data.to_pandas() if isinstance(source, pd.DataFrame) else data
        )
    try:
        _, made = staged(
            running.batches,
            running.schema,
            output,
            table=output_table,
            overwrite=overwrite,
            manifest=lambda written: running.manifest(written.uri),
            record=record,
            manifest_to=manifest,
            encoding=output_encoding,
            private=any(  # raw personal values: owner-only, as a reveal's output
                c.transform == "keep" and (c.entity is not None or c.sensitivity != "low")
                for c in (prepared.plan.columns if prepared.plan is not None else [])
            ),
        )
    except AuditError:
        raise
    except GovkitError as exc:  # nothing published: say so, also after a recorded success
        context.record(failure_event(prepared, exc))
        raise
    return ProtectResult(manifest=made, output=made.output)


__all__ = [
    "Execution",
    "Prepared",
    "ProtectResult",
    "classify",
    "denied_error",
    "execute",
    "prepare",
    "protect",
    "protect_event",
]
