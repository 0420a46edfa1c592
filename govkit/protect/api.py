"""``protect``: the one protect stage, behind ``govkit protect``, ``govkit.protect`` and ``run``.

Plan, then execute: :func:`~govkit.protect.prepare.prepare` takes the catalog (or scans
with the project's classification), decides access through the context (recording
``access.decide``) and plans each column; :func:`~govkit.protect.execute.execute` binds
the plan to its keys, runs it on an engine over Arrow batches and builds the manifest;
:func:`~govkit.protect.execute.protect_event` is the one ``protect`` audit event.
:func:`protect` chains them for one dataset and publishes the output only after the
event is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from govkit.audit.events import dataset_identity
from govkit.catalog import DatasetCatalog
from govkit.datasets import Dataset, open_dataset
from govkit.datasets.write import output_encoding as output_encoding_of
from govkit.errors import (
    AuditError,
    GovkitError,
    UsageError,
)
from govkit.protect._io import TableDataset, check_target, staged
from govkit.protect.execute import Execution, execute, failure_event, protect_event
from govkit.protect.manifest import Manifest
from govkit.protect.plan import load_protection_rules
from govkit.protect.prepare import Prepared, classify, denied_error, prepare

if TYPE_CHECKING:
    from govkit.context import StageContext
    from govkit.engines.base import Engine
    from govkit.protect.keys import KeyProvider


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


def _open(
    source: str | pa.Table | pd.DataFrame, table: str | None, query: str | None, name: str | None
) -> Dataset:
    """The dataset to protect; ``name`` names in-memory data for the policies."""
    if not isinstance(source, str):
        return TableDataset.of(source, name)
    if name is not None:
        raise UsageError(
            f"{source}: dataset= names in-memory data; a file or table has its own name"
        )
    return open_dataset(source, table=table, query=query)


def protect(
    source: str | pa.Table | pd.DataFrame,
    output: str | None = None,
    *,
    context: StageContext,
    catalog: Path | DatasetCatalog | None = None,
    role: str | None = None,
    purpose: str | None = None,
    table: str | None = None,
    query: str | None = None,
    output_table: str | None = None,
    overwrite: bool = False,
    keys: KeyProvider | None = None,
    manifest: Path | None = None,
    engine: Engine,
    output_encoding: str | None = None,
    dataset: str | None = None,
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
        query: a read-only SQL query to read instead, for a database URL (the
            dataset policies see is named ``query``).
        output_table: table to write, for a database URL output.
        overwrite: replace an existing output.
        keys: a key provider (default: the context's).
        manifest: where to write the manifest (default: ``<output>.manifest.json`` for
            a file; a database output gets one only when this is given).
        engine: runs the plan (the doors pass ``LocalEngine(workers)``; Spark its own).
        output_encoding: encoding of a CSV/TSV output (utf-8, utf-8-sig, gb18030).
        dataset: the name policies match in-memory data by (e.g. ``"crm_customers"``);
            default ``dataframe``. A file or table is named by its path or table.

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
    opener = getattr(engine, "open", None)  # Spark reads the data where it is
    opened = (
        opener(source, table=table, query=query)
        if opener is not None and isinstance(source, str) and dataset is None
        else _open(source, table, query, dataset)
    )
    if output is not None:
        output_encoding_of(output, output_encoding)
        check_output = getattr(engine, "check_output", None)  # what Spark cannot write
        if check_output is not None:
            check_output(output, output_encoding)
        check_target(output, output_table, overwrite)
    rules = load_protection_rules(context.settings.policy_dir)
    prepared = prepare(
        context, opened, classify(context, opened, catalog), role=role, purpose=purpose, rules=rules
    )
    if prepared.decision is not None and prepared.plan is None:
        raise denied_error(opened.name, prepared.decision)
    running = execute(context, prepared, engine=engine, keys=keys)
    identity = dataset_identity(opened)
    describe = getattr(engine, "describe", None)  # Spark: engine, master, application id

    def record(made: Manifest) -> None:
        event = protect_event(made, identity, prepared.decision)
        if describe is not None:
            event.details.update(describe())
        context.record(event)

    if output is None:
        data = pa.Table.from_batches(list(running.batches), running.schema)
        made = running.manifest(None)
        record(made)
        return ProtectResult(
            manifest=made, data=data.to_pandas() if isinstance(source, pd.DataFrame) else data
        )
    private = any(  # raw personal values: owner-only, as a reveal's output
        c.transform == "keep" and (c.entity is not None or c.sensitivity != "low")
        for c in (prepared.plan.columns if prepared.plan is not None else [])
    )
    publish_itself = getattr(engine, "publish_output", None)  # Spark writes where the data is
    try:
        if publish_itself is not None:
            made = publish_itself(
                opened.name,
                running.running,
                output,
                table=output_table,
                overwrite=overwrite,
                manifest=running.manifest,
                record=record,
                manifest_to=manifest,
                encoding=output_encoding,
                private=private,
            )
            return ProtectResult(manifest=made, output=made.output)
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
            private=private,
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
