"""``reveal``: detokenize or decrypt chosen columns, for roles whose view of them is ``raw``.

Every reveal, and every refusal, is an audit event. The manifest beside the
protected data names each column's transform; tokens and ciphertexts name their
own key, so a rotated keyring still reveals, and a destroyed key says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from govkit._version import __version__
from govkit.catalog import CatalogColumn, DatasetCatalog
from govkit.datasets import Dataset, WriteResult, is_sql_url, open_dataset
from govkit.datasets.write import output_encoding as output_encoding_of
from govkit.errors import (
    AccessDeniedError,
    AuditError,
    GovkitError,
    ProtectionError,
    UsageError,
)
from govkit.models import AuditEvent
from govkit.policy.views import AccessDecision, RowFilter
from govkit.protect._io import check_target, staged
from govkit.protect.base import Transform
from govkit.protect.keys import DataKey, KeyProvider
from govkit.protect.manifest import ColumnManifest, Manifest, manifest_path, read_manifest
from govkit.protect.registry import parse_params, transform_class

if TYPE_CHECKING:
    from govkit.context import StageContext
    from govkit.engines.base import Engine


@dataclass
class RevealResult:
    """Where the revealed data went and which columns were revealed."""

    output: str
    rows: int
    columns: list[str]


def _entries(manifest: Manifest, columns: Sequence[str], where: Path) -> list[ColumnManifest]:
    entries = []
    for name in columns:
        entry = manifest.column(name)
        if entry is None:
            raise UsageError(f"{where}: column {name!r} is not in the protected output")
        if not entry.reversible:
            raise ProtectionError(
                f"column {name!r} was protected with {entry.transform}, which is one-way"
            )
        entries.append(entry)
    return entries


def _authorise(
    context: StageContext,
    manifest: Manifest,
    entries: list[ColumnManifest],
    role: str,
    purpose: str,
) -> AccessDecision | None:
    """The decision over every column of the protected output; refuses unless each asked one is raw."""
    from govkit.policy.catalogs import column_labels

    catalog = DatasetCatalog(
        columns={
            e.column: CatalogColumn(entity=e.entity, sensitivity=e.sensitivity, tags=e.tags)
            for e in manifest.columns
        }
    )
    decision: AccessDecision | None = context.decide(
        role=role, purpose=purpose, dataset=manifest.dataset, columns=column_labels(catalog)
    )
    if decision is None or not decision.allowed:
        refused = [e.column for e in entries]
        decision = None
    else:
        refused = [e.column for e in entries if decision.view_of(e.column) != "raw"]
    if refused:
        context.record(
            AuditEvent(
                action="reveal",
                outcome="denied",
                reason="view is not raw",
                dataset=manifest.dataset,
                columns=refused,
                role=role,
                purpose=purpose,
            )
        )
        raise AccessDeniedError(
            f"role {role!r} may not reveal {', '.join(refused)} for {purpose!r} (its view is not raw)"
        )
    return decision


def _openers(entries: list[ColumnManifest], manifest: Path) -> dict[str, Transform]:
    """Each column's transform, rebuilt from the manifest (errors name the manifest)."""
    openers: dict[str, Transform] = {}
    for e in entries:
        cls = transform_class(e.transform)
        params = parse_params(cls, e.params, f"{manifest}: column {e.column!r}: {e.transform}.")
        openers[e.column] = cls(params, column=e.column, entity=e.entity)
    return openers


def authorised_openers(
    context: StageContext,
    manifest: Path,
    columns: Sequence[str],
    role: str,
    purpose: str,
) -> tuple[Manifest, dict[str, Transform]]:
    """The transforms that reverse ``columns`` of a protected output, if ``role`` may see them raw.

    The check ``reveal`` makes (a refusal is recorded as a denied ``reveal`` event), for
    doors that reveal elsewhere (the Spark SQL ``govkit_reveal`` function).

    Raises:
        UsageError: a column not in the manifest.
        ProtectionError: a column protected one-way.
        AccessDeniedError: the role's view of a column is not ``raw`` (recorded).
    """
    made_by = read_manifest(manifest)
    entries = _entries(made_by, columns, manifest)
    _authorise(context, made_by, entries, role, purpose)
    return made_by, _openers(entries, manifest)


def reveal_keys(
    made_by: Manifest, openers: dict[str, Transform], keys: KeyProvider
) -> list[DataKey]:
    """The data keys the manifest names for the revealed columns (what an engine is handed)."""
    ids = sorted({str(c.key_id) for c in made_by.columns if c.column in openers and c.key_id})
    return [keys.get(i) for i in ids]


def _revealed(
    batches: Iterable[pa.RecordBatch],
    openers: dict[str, Transform],
    keys: KeyProvider,
    row_filter: RowFilter | None,
) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        if row_filter is not None:
            missing = row_filter.columns() - set(batch.schema.names)
            if missing:
                raise ProtectionError(
                    f"row filter needs column(s) {', '.join(sorted(missing))}, "
                    "not in the protected data (fail closed)"
                )
            batch = batch.filter(row_filter.mask(batch))
        arrays = [
            openers[name].reveal(batch.column(name), keys)
            if name in openers
            else batch.column(name)
            for name in batch.schema.names
        ]
        yield pa.RecordBatch.from_arrays(arrays, schema=_schema(batch.schema, openers))


def _schema(schema: pa.Schema, openers: dict[str, Transform]) -> pa.Schema:
    return pa.schema([pa.field(f.name, pa.string()) if f.name in openers else f for f in schema])


def reveal(
    source: str,
    output: str,
    *,
    columns: Sequence[str],
    role: str,
    purpose: str,
    context: StageContext,
    manifest: Path | None = None,
    table: str | None = None,
    output_table: str | None = None,
    overwrite: bool = False,
    keys: KeyProvider | None = None,
    output_encoding: str | None = None,
    engine: Engine | None = None,
) -> RevealResult:
    """Reverse the protection of ``columns``, if ``role`` may see them raw for ``purpose``.

    ``engine`` executes it where the data is when it has ``reveal_output`` (Spark:
    the same transforms' ``reveal`` on executors, with the keys the manifest names);
    otherwise the batches stream through this process. The check, the audit event and
    the manifest are this function's on every engine.

    Raises:
        AccessDeniedError: the role's view of a column is not ``raw`` (recorded).
        KeyMaterialError: a key is unknown or destroyed.
        DecryptionError: a value does not verify (wrong key, tampered); nothing is written.
        AuditError: the reveal could not be recorded; nothing is written.
    """
    if not columns:
        raise UsageError("name the columns to reveal with --columns")
    if manifest is None:
        if is_sql_url(source):
            raise UsageError("a database source needs --manifest (the JSON written by protect)")
        manifest = manifest_path(source)
    made_by = read_manifest(manifest)
    entries = _entries(made_by, columns, manifest)
    decision = _authorise(context, made_by, entries, role, purpose)
    row_filter = decision.row_filter if decision else None
    output_encoding_of(output, output_encoding)
    check_output = getattr(engine, "check_output", None)  # what Spark cannot write
    if check_output is not None:
        check_output(output, output_encoding)
    check_target(output, output_table, overwrite)
    keys = keys or context.keys()
    openers = _openers(entries, manifest)
    describe = getattr(engine, "describe", None)  # Spark: engine, master, application id

    def manifest_of(uri: str, rows: int) -> Manifest:
        kept = [e for e in made_by.columns if e.column not in openers]
        return made_by.model_copy(
            update={
                "govkit_version": __version__,
                "output": uri,
                "columns": kept,
                "rows_in": rows,
                "rows_out": rows,
            }
        )

    def event(**outcome: Any) -> AuditEvent:
        details: dict[str, Any] = {f"key.{e.column}": e.key_id for e in entries}
        if describe is not None:
            details.update(describe())
        return AuditEvent(
            action="reveal",
            dataset=made_by.dataset,
            columns=list(columns),
            role=role,
            purpose=purpose,
            details=details,
            **outcome,
        )

    def record(made: Manifest) -> None:
        context.record(event(counts={"rows": made.rows_out}))

    reveal_itself = getattr(engine, "reveal_output", None)
    opener = getattr(engine, "open", None) if reveal_itself is not None else None
    dataset = (
        opener(source, table=table) if opener is not None else open_dataset(source, table=table)
    )
    try:
        if reveal_itself is not None:
            made: Manifest = reveal_itself(
                dataset,
                output,
                output_table=output_table,
                openers=openers,
                keys=reveal_keys(made_by, openers, keys),
                row_filter=row_filter,
                overwrite=overwrite,
                manifest=manifest_of,
                record=record,
                encoding=output_encoding,
            )
            return RevealResult(output=str(made.output), rows=made.rows_out, columns=list(columns))
        written = _reveal_here(
            dataset, output, output_table, overwrite, openers, keys, row_filter,
            manifest_of, record, output_encoding,
        )  # fmt: skip
    except AuditError:
        raise
    except GovkitError as exc:  # destroyed or wrong key, tampered value …: audited too
        context.record(event(outcome="failure", reason=type(exc).__name__))
        raise
    return RevealResult(output=written.uri, rows=written.rows, columns=list(columns))


def _reveal_here(
    dataset: Dataset,
    output: str,
    output_table: str | None,
    overwrite: bool,
    openers: dict[str, Transform],
    keys: KeyProvider,
    row_filter: RowFilter | None,
    manifest_of: Callable[[str, int], Manifest],
    record: Callable[[Manifest], None],
    encoding: str | None,
) -> WriteResult:
    """The local engine's reveal: stream, reverse, stage owner-only, record, publish."""
    schema = _schema(dataset.schema, openers)
    rows = {"n": 0}

    def counted() -> Iterator[pa.RecordBatch]:
        for batch in _revealed(dataset.batches(), openers, keys, row_filter):
            rows["n"] += batch.num_rows
            yield batch

    written, _ = staged(
        counted(),
        schema,
        output,
        table=output_table,
        overwrite=overwrite,
        manifest=lambda w: manifest_of(w.uri, rows["n"]),
        record=record,
        private=True,
        encoding=encoding,
    )
    return written
