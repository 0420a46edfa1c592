"""Protect one output's data on its way to the staging place, counting rows in and out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pyarrow as pa

from govkit.datasets import Dataset
from govkit.datasets.uri import is_sql_url
from govkit.pipeline.model import Pipeline
from govkit.pipeline.plan import OutputPlan
from govkit.pipeline.publish import Publisher

if TYPE_CHECKING:
    from govkit.protect.keys import KeyProvider


class _Counter:
    """Pass batches through, counting their rows."""

    def __init__(self) -> None:
        self.rows = 0

    def count(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            self.rows += batch.num_rows
            yield batch


def stage_output(
    pipeline: Pipeline,
    plan: OutputPlan,
    dataset: Dataset,
    keys: KeyProvider,
    publisher: Publisher,
) -> None:
    """Stream the source through the protection plan into the output's staging place.

    Fills ``rows_in``, ``rows_out`` and ``rows_filtered`` of the output's report.

    Raises:
        KeyMaterialError: a key the plan names is missing or unusable.
        ProtectionError: a transform cannot be applied.
        DatasetError: the staging place cannot be written.
    """
    from govkit.protect.apply import protect_batches

    assert plan.protection is not None, "a denied output is never staged"
    spec = plan.spec
    rows_in, rows_out = _Counter(), _Counter()
    source = rows_in.count(dataset.batches())
    schema = plan.protection.output_schema(dataset.schema)
    protected = protect_batches(source, plan.protection, keys, plan.decision, schema=schema)
    uri = spec.uri if is_sql_url(spec.uri) else pipeline.path(spec.uri)
    publisher.stage(
        spec.name,
        rows_out.count(protected),
        schema,
        uri,
        table=spec.table,
        encoding=spec.encoding,
        keep_formulas=spec.keep_formulas or None,
    )
    plan.report.rows_in = rows_in.rows
    plan.report.rows_out = rows_out.rows
    plan.report.rows_filtered = rows_in.rows - rows_out.rows
