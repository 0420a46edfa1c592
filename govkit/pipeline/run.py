"""``govkit run``: scan → validate → decide → protect → stage → audit → publish, or nothing.

Every output is first written to a staging place (:mod:`govkit.pipeline.publish`).
The run records what it did in the audit log and signs a checkpoint *before* it
publishes, so a run whose audit trail cannot be written publishes nothing (fail
closed). Any failure — PII over the gate, a failed expectation, a denied role, a
missing key, an unreachable audit store — discards every staged output and still
writes the run report, which says why.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from govkit.errors import (
    AccessDeniedError,
    GovkitError,
    ValidationFailedError,
    exit_code_of,
)
from govkit.governor import Governor
from govkit.models import AuditEvent
from govkit.pipeline import events
from govkit.pipeline.classify import SourceState, check_gate, classify_source
from govkit.pipeline.context import (
    Loaded,
    as_pipeline,
    load_governance,
    new_report,
    pipeline_governor,
    store_name,
    utc_now,
)
from govkit.pipeline.model import Pipeline
from govkit.pipeline.parallel import stage_parallel
from govkit.pipeline.plan import OutputPlan, plan_output
from govkit.pipeline.protect import stage_output
from govkit.pipeline.publish import Publisher
from govkit.pipeline.quality import validate_source
from govkit.report.model import AuditSummary, RunError, RunReport
from govkit.report.write import prepare_report_dir, write_reports

if TYPE_CHECKING:
    from govkit.protect.keys import KeyProvider
    from govkit.spark.engine import SparkEngine


class _Run:
    """One run's state: the report it fills and the stage it is in."""

    def __init__(
        self,
        pipeline: Pipeline,
        governor: Governor,
        workers: int | None = None,
        engine: SparkEngine | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.governor = governor
        self.workers = workers or pipeline.workers
        self.engine = engine
        self.report = new_report(pipeline, governor, "published")
        if engine is not None:
            self.report.engine = engine.describe()
        self.report.audit = AuditSummary(store=store_name(governor.settings))
        self.stage = "audit"
        self._since = time.perf_counter()

    def enter(self, stage: str) -> None:
        """Start a stage; the time spent in the previous one goes to ``report.timings``."""
        self.leave()
        self.stage = stage

    def leave(self) -> None:
        """Close the current stage's timing (seconds, summed over re-entries)."""
        now = time.perf_counter()
        timings = self.report.timings
        timings[self.stage] = round(timings.get(self.stage, 0.0) + now - self._since, 3)
        self._since = now

    def record(self, *items: AuditEvent) -> None:
        """Record events tagged with this run's id; count them for the report."""
        self.governor.record(*(events.tag(e, self.report.run_id) for e in items))
        assert self.report.audit is not None
        self.report.audit.events += len(items)

    def classify(self, loaded: Loaded) -> dict[str, SourceState]:
        self.enter("scan")
        states: dict[str, SourceState] = {}
        for name in self.pipeline.sources:
            state = classify_source(
                self.pipeline,
                name,
                catalog=loaded.catalog,
                classification=loaded.classification,
                dataset=self.engine.open(self.pipeline.path(self.pipeline.sources[name].uri))
                if self.engine is not None
                else None,
            )
            state.report.fingerprint = state.dataset.fingerprint()
            self.report.datasets.append(state.report)
            self.record(events.scan_event(state))
            states[name] = state
        for state in states.values():
            check_gate(state)
        return states

    def validate(self, states: dict[str, SourceState]) -> None:
        self.enter("validate")
        failed: list[str] = []
        for name, spec in self.pipeline.sources.items():
            if spec.suite is None:
                continue
            state = states[name]
            quality = validate_source(self.pipeline, self.governor.settings, state, self.engine)
            state.report.quality = quality
            self.record(events.validate_event(state))
            if quality.blocking:
                ids = [
                    r.expectation
                    for r in quality.results
                    if not r.success and r.severity == "error"
                ]
                failed.append(f"{name} (suite {spec.suite}: {', '.join(ids)})")
        if failed:
            raise ValidationFailedError("expectations failed on the raw data: " + "; ".join(failed))

    def decide(self, loaded: Loaded, states: dict[str, SourceState]) -> list[OutputPlan]:
        self.enter("access")
        plans: list[OutputPlan] = []
        for spec in self.pipeline.outputs:
            plan = plan_output(
                self.pipeline,
                spec,
                states[spec.source],
                policies=loaded.policies,
                rules=loaded.rules,
            )
            self.report.outputs.append(plan.report)
            self.record(events.decide_event(plan, states[spec.source]))
            plans.append(plan)
        denied = [p for p in plans if not p.decision.allowed]
        if denied:
            first = denied[0].report
            raise AccessDeniedError(
                f"output {first.name}: role {first.role!r} may not receive {first.source!r} "
                f"for purpose {first.purpose!r}: {first.reason or 'no rule allows it'}"
            )
        return plans

    def protect(
        self,
        plans: list[OutputPlan],
        states: dict[str, SourceState],
        publisher: Publisher,
    ) -> None:
        self.enter("keys")
        from govkit.protect.keys import open_keyring

        keys: KeyProvider = open_keyring(self.governor.settings)
        self.enter("protect")
        workers = min(self.workers, len(plans))
        if workers > 1 and self.engine is None:
            stage_parallel(self.pipeline, plans, self.governor.settings, publisher, workers)
        for plan in plans:
            state = states[plan.spec.source]
            if self.engine is not None:
                self.engine.stage_output(self.pipeline, plan, state.dataset, keys, publisher)
            elif workers <= 1:
                stage_output(self.pipeline, plan, state.dataset, keys, publisher)
            if state.report.rows is None:
                state.report.rows = plan.report.rows_in
            self.record(events.protect_event(plan, state))

    def execute(self) -> None:
        start = events.start_event(self.pipeline)
        if self.engine is not None:
            start.details.update(self.engine.describe())
        self.record(start)
        self.enter("config")
        prepare_report_dir(self.pipeline.path(self.pipeline.reports.dir))
        loaded = load_governance(self.pipeline, self.governor)
        states = self.classify(loaded)
        self.validate(states)
        plans = self.decide(loaded, states)
        with Publisher() as publisher:
            self.protect(plans, states, publisher)
            self.enter("audit")
            self.record(events.finish_event(self.report, None))
            assert self.report.audit is not None
            self.report.audit.checkpoint = self.governor.audit_store.checkpoint()
            self.enter("publish")
            publisher.commit()
        for out in self.report.outputs:
            out.published = True

    def fail(self, exc: Exception) -> None:
        self.report.status = "failed"
        for out in self.report.outputs:
            out.published = False
        # A foreign exception's text may quote data: name only its type.
        message = (
            str(exc) if isinstance(exc, GovkitError) else f"internal error ({type(exc).__name__})"
        )
        self.report.error = RunError(
            type=type(exc).__name__,
            message=" ".join(message.split()),
            exit_code=exit_code_of(exc),
            stage=self.stage,
        )
        if self.stage == "audit" and self.report.audit and self.report.audit.events == 0:
            return  # the store is down: nothing more can be logged
        try:
            self.record(events.finish_event(self.report, exc))
        except GovkitError:
            pass  # the report still says why; the log could not


def execute_pipeline(
    pipeline: Pipeline | str | Path,
    *,
    governor: Governor | None = None,
    dry_run: bool = False,
    workers: int | None = None,
    engine: SparkEngine | None = None,
) -> tuple[RunReport, Exception | None]:
    """Run (or plan) a pipeline; return its report and the error that stopped it, if any.

    The report is written to the pipeline's reports directory in both cases. Use
    :func:`run_pipeline` to have the error raised instead.
    """
    model = as_pipeline(pipeline)
    gov = pipeline_governor(model, governor)
    if dry_run:
        from govkit.pipeline.dry_run import plan_pipeline

        report = plan_pipeline(model, gov)
        return report, None
    run = _Run(model, gov, workers, engine)
    error: Exception | None = None
    try:
        run.execute()
    except Exception as exc:  # noqa: BLE001 - every failure is reported, then re-raised
        run.fail(exc)
        error = exc
    run.leave()
    run.report.finished_at = utc_now()
    try:
        report = write_reports(run.report, model.path(model.reports.dir), html=model.reports.html)
    except GovkitError:
        if error is None:
            raise
        report = run.report  # the run's own error matters more than the report's
    return report, error


def run_pipeline(
    pipeline: Pipeline | str | Path,
    *,
    governor: Governor | None = None,
    dry_run: bool = False,
    workers: int | None = None,
    engine: SparkEngine | None = None,
) -> RunReport:
    """Run a pipeline file: publish every output, or nothing.

    Args:
        pipeline: a loaded :class:`Pipeline` or the path of a pipeline file.
        governor: the Governor to work through (settings, audit store); a default one
            otherwise. The pipeline file's ``policies``, ``audit`` and ``keys`` win.
        dry_run: only plan: which columns each output receives and how.
        workers: processes that protect outputs side by side (default: the file's
            ``workers``, 1).
        engine: a :class:`~govkit.spark.engine.SparkEngine` to run on Spark (default:
            the local engine).

    Returns:
        The run report (also written as JSON and HTML to the reports directory).

    Raises:
        PIIFoundError: a source has personal data over its gate not in the catalog.
        ValidationFailedError: an expectation failed on the raw data.
        AccessDeniedError: the policy denies an output's role/purpose.
        KeyMaterialError: a key is missing or unusable.
        AuditError: the audit store cannot be written.
        PipelineError, PolicyError, DatasetError: bad configuration or data.
    """
    report, error = execute_pipeline(
        pipeline, governor=governor, dry_run=dry_run, workers=workers, engine=engine
    )
    if error is not None:
        raise error
    return report
