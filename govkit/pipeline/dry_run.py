"""``govkit run --dry-run``: the plan, without writing, logging or touching keys.

Each output's columns with the view the policy grants and the transform that
produces it, plus the rows filter. A source whose columns the reviewed catalog
covers entirely is planned from the catalog alone (not scanned); any other
source is scanned on a sample, as the run would.
"""

from __future__ import annotations

from govkit.datasets.base import Dataset
from govkit.governor import Governor
from govkit.pipeline.classify import (
    SourceState,
    classify_source,
    open_source,
    reviewed_columns,
)
from govkit.pipeline.context import RunContext, load_governance, new_report
from govkit.pipeline.model import Pipeline
from govkit.pipeline.plan import plan_output
from govkit.report.model import RunReport


def _covered(dataset: Dataset, names: set[str]) -> bool:
    return set(dataset.schema.names) <= names


def plan_pipeline(pipeline: Pipeline, governor: Governor) -> RunReport:
    """Plan every output of the pipeline; return a report with status ``dry_run``.

    A denied output appears with ``allowed: false`` and its reason; nothing fails
    except configuration errors (bad policies, catalog, unreadable source).
    """
    loaded = load_governance(pipeline, governor)
    report = new_report(pipeline, governor, "dry_run")
    context = RunContext(governor, report.run_id, record=False)  # a dry run logs nothing
    states: dict[str, SourceState] = {}
    for name in pipeline.sources:
        dataset = open_source(pipeline, name)
        reviewed = reviewed_columns(loaded.catalog, name, dataset)
        state = classify_source(
            pipeline,
            name,
            context=context,
            catalog=loaded.catalog,
            scan=not _covered(dataset, set(reviewed.columns)),
            dataset=dataset,
        )
        report.datasets.append(state.report)
        states[name] = state
    for spec in pipeline.outputs:
        plan = plan_output(pipeline, spec, states[spec.source], context=context, rules=loaded.rules)
        report.outputs.append(plan.report)
    return report
