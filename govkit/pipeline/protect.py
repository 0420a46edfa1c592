"""Protect one output on its way to the staging place: the protect stage's execute half."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govkit.audit.events import dataset_identity
from govkit.datasets.uri import is_sql_url, redact_url
from govkit.pipeline.model import Pipeline
from govkit.pipeline.plan import OutputPlan
from govkit.pipeline.publish import Publisher

if TYPE_CHECKING:
    from govkit.context import StageContext
    from govkit.engines.base import Engine
    from govkit.protect.keys import KeyProvider


def stage_output(
    pipeline: Pipeline,
    plan: OutputPlan,
    context: StageContext,
    publisher: Publisher,
    *,
    engine: Engine,
    keys: KeyProvider | None,
) -> None:
    """Run the output's plan on the engine into its staging place; record ``protect``.

    Fills ``rows_in``, ``rows_out`` and ``rows_filtered`` of the output's report. The
    output is published only when the whole run commits.

    Raises:
        KeyMaterialError: a key the plan names is missing or unusable.
        ProtectionError: a transform cannot be applied.
        DatasetError: the staging place cannot be written.
        AuditError: the event could not be recorded.
    """
    from govkit.protect.execute import execute, protect_event

    spec = plan.spec
    running = execute(context, plan.prepared, engine=engine, keys=keys)
    uri = spec.uri if is_sql_url(spec.uri) else pipeline.path(spec.uri)
    write_itself = getattr(engine, "stage_output_of", None)
    if write_itself is not None:  # Spark writes where the data is, then the publisher swaps it
        write_itself(
            spec.name,
            running.running,
            uri,
            publisher,
            table=spec.table,
            encoding=spec.encoding,
            keep_formulas=spec.keep_formulas or None,
        )
    else:
        publisher.stage(
            spec.name,
            running.batches,
            running.schema,
            uri,
            table=spec.table,
            encoding=spec.encoding,
            keep_formulas=spec.keep_formulas or None,
        )
    made = running.manifest(redact_url(uri) + (f"#{spec.table}" if spec.table else ""))
    context.record(protect_event(made, dataset_identity(plan.prepared.dataset), plan.decision))
    plan.report.rows_in = made.rows_in
    plan.report.rows_out = made.rows_out
    plan.report.rows_filtered = made.rows_in - made.rows_out
