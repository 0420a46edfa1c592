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

from govkit.datasets.staging import cleanup_event
from govkit.engines.local import LocalEngine, Workers
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
from govkit.pipeline.confine import check_targets, remember
from govkit.pipeline.context import (
    Loaded,
    RunContext,
    as_pipeline,
    load_governance,
    new_report,
    pipeline_governor,
    store_name,
    utc_now,
)
from govkit.pipeline.model import Pipeline
from govkit.pipeline.plan import OutputPlan, plan_output
from govkit.pipeline.protect import stage_output
from govkit.pipeline.publish import Publisher, clean_dead_leftovers
from govkit.pipeline.quality import BesideValidation, suite_path, validate_source
from govkit.report.model import AuditSummary, RunError, RunReport
from govkit.report.write import prepare_report_dir, render_reports, write_reports

if TYPE_CHECKING:
    from govkit.engines.base import Engine
    from govkit.protect.keys import KeyProvider


class _Run:
    """One run's state: the report it fills, the stage it is in, its stage context."""

    def __init__(
        self,
        pipeline: Pipeline,
        governor: Governor,
        workers: Workers | None,
        overwrite: bool = False,
        engine: Engine | None = None,
    ) -> None:
        self.overwrite = overwrite
        self.pipeline = pipeline
        self.governor = governor
        self.engine: Engine = engine or LocalEngine(
            workers if workers is not None else pipeline.workers
        )
        self.report = new_report(pipeline, governor, "published")
        describe = getattr(self.engine, "describe", None)  # Spark names itself, its master, app id
        if describe is not None:
            self.report.engine = describe()
        self.report.audit = AuditSummary(store=store_name(governor.settings))
        self.context = RunContext(governor, self.report.run_id)
        self.stage = "audit"
        self._since = time.perf_counter()
        self.publisher: Publisher | None = None

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
        """Record the run's own events (tagged with its id); count them for the report."""
        self.context.record(*items)
        self._count()

    def _count(self) -> None:
        if self.report.audit is None:
            raise AssertionError("internal invariant broken: self.report.audit is not None")
        self.report.audit.events = self.context.events

    def classify(self, loaded: Loaded) -> dict[str, SourceState]:
        self.enter("scan")
        states: dict[str, SourceState] = {}
        for name in self.pipeline.sources:
            opener = getattr(self.engine, "open", None)  # Spark reads the source itself
            with self.context.scope(source=name):
                state = classify_source(
                    self.pipeline,
                    name,
                    context=self.context,
                    catalog=loaded.catalog,
                    dataset=(
                        opener(
                            self.pipeline.path(self.pipeline.sources[name].uri),
                            table=self.pipeline.sources[name].table,
                            query=self.pipeline.sources[name].query,
                        )
                        if opener is not None
                        else None
                    ),
                )
            self._count()
            state.report.fingerprint = state.dataset.fingerprint()
            self.report.datasets.append(state.report)
            states[name] = state
        for state in states.values():
            check_gate(state)
        return states

    def validate(self, states: dict[str, SourceState]) -> None:
        self.enter("validate")
        from govkit.quality.api import failure_summary

        failed: list[str] = []
        for name, spec in self.pipeline.sources.items():
            if spec.suite is None:
                continue
            state = states[name]
            with self.context.scope(source=name):
                quality = validate_source(
                    self.pipeline,
                    self.context,
                    state,
                    self.engine if hasattr(self.engine, "validate") else None,
                )
            self._count()
            state.report.quality = quality
            if quality.blocking:
                failed.append(f"{name} ({failure_summary(quality)})")
        if failed:
            raise ValidationFailedError("expectations failed on the raw data: " + "; ".join(failed))

    def validate_beside(self, states: dict[str, SourceState]) -> BesideValidation | None:
        """Start the suites in a second process, if the engine says it pays (else None).

        The local engine says so with ``workers`` auto on two or more cores for files of
        at least 32 MiB (:meth:`~govkit.engines.local.LocalEngine.validates_beside`).

        Raises:
            SuiteError: a source names a suite that does not exist.
        """
        wanted = getattr(self.engine, "validates_beside", None)
        named = {n: s.suite for n, s in self.pipeline.sources.items() if s.suite is not None}
        if wanted is None or not named or not wanted([states[n].dataset for n in named]):
            return None
        self.enter("validate")
        suites = {
            name: suite_path(self.pipeline, self.context.settings, suite)
            for name, suite in named.items()
        }
        try:
            return BesideValidation(self.pipeline, states, suites)
        except OSError:  # no second process to be had: validate first, in this one
            return None

    def settle(self, beside: BesideValidation) -> None:
        """Record the suites' events before the held ones; stop on a blocking failure.

        Raises:
            ValidationFailedError: a blocking expectation failed (the held events are
                dropped: a run that validated first would not have decided or protected).
        """
        self.enter("validate")
        held = self.context.stop_holding()
        failed = beside.settle(self.context)
        self._count()
        if failed:
            raise ValidationFailedError("expectations failed on the raw data: " + "; ".join(failed))
        self.context.record_held(held)
        self._count()

    def settle_after_failure(self, beside: BesideValidation) -> None:
        """A later stage failed: validation still speaks first, as if it had run first.

        A validation failure (or error) replaces the later one; otherwise the held
        events are recorded and the later failure goes on.
        """
        if self.context.holding:
            stage = self.stage
            self.settle(beside)
            self.stage = stage

    def decide(self, loaded: Loaded, states: dict[str, SourceState]) -> list[OutputPlan]:
        self.enter("access")
        from govkit.protect.prepare import denied_error

        plans: list[OutputPlan] = []
        for spec in self.pipeline.outputs:
            with self.context.scope(output_name=spec.name):
                plan = plan_output(
                    self.pipeline,
                    spec,
                    states[spec.source],
                    context=self.context,
                    rules=loaded.rules,
                )
            self._count()
            self.report.outputs.append(plan.report)
            plans.append(plan)
        denied = [p for p in plans if not p.decision.allowed]
        if denied:
            first = denied[0]
            raise AccessDeniedError(
                f"output {first.spec.name}: {denied_error(first.spec.source, first.decision)}"
            )
        return plans

    def protect(
        self, plans: list[OutputPlan], states: dict[str, SourceState], publisher: Publisher
    ) -> None:
        self.enter("keys")
        keys: KeyProvider = self.context.keys()
        self.enter("protect")
        for plan in plans:
            state = states[plan.spec.source]
            with self.context.scope(output_name=plan.spec.name):
                stage_output(
                    self.pipeline, plan, self.context, publisher, engine=self.engine, keys=keys
                )
            self._count()
            if state.report.rows is None:
                state.report.rows = plan.report.rows_in

    def execute(self) -> None:
        start = events.start_event(self.pipeline)
        describe = getattr(self.engine, "describe", None)
        if describe is not None:
            start.details.update(describe())
        self.record(start)
        self.clean_leftovers()
        self.enter("config")
        prepare_report_dir(self.pipeline.path(self.pipeline.reports.dir))
        loaded = load_governance(self.pipeline, self.governor)
        states = self.classify(loaded)
        beside = self.validate_beside(states)
        if beside is None:
            self.validate(states)
            self.protect_and_publish(loaded, states, None)
            return
        self.context.hold()  # access and protect events wait until the sources have passed
        try:
            self.protect_and_publish(loaded, states, beside)
        except Exception:
            self.settle_after_failure(beside)
            raise
        finally:
            beside.close()

    def protect_and_publish(
        self, loaded: Loaded, states: dict[str, SourceState], beside: BesideValidation | None
    ) -> None:
        plans = self.decide(loaded, states)
        self.check_targets()
        from contextlib import nullcontext

        from govkit.protect.cache import reused_columns, run_scope

        pooled = getattr(self.engine, "pooled", None)  # one worker pool for every output
        text_helper = getattr(self.engine, "text_helper", None)  # free text on a second core
        planned = [(p.prepared.plan, p.prepared.dataset) for p in plans if p.prepared.plan]
        with (
            Publisher() as publisher,
            # each distinct value of a column several outputs share protected once per run
            run_scope(only=reused_columns(plan for plan, _ in planned)),
            pooled() if pooled is not None else nullcontext(),
            text_helper(planned) if text_helper is not None else nullcontext(),
        ):
            self.publisher = publisher
            self.protect(plans, states, publisher)
            if beside is not None:
                self.settle(beside)
            self.enter("audit")
            self.record(events.publish_event(self.report))
            if self.report.audit is None:
                raise AssertionError("internal invariant broken: self.report.audit is not None")
            self.report.audit.checkpoint = self.governor.audit_store.checkpoint()
            self.enter("publish")
            self.stage_report(publisher)
            publisher.commit()
        for out in self.report.outputs:
            out.published = True
        remember([s.uri for s in publisher.staged if s.table is None], self.pipeline.base_dir)
        self.record(events.finish_event(self.report, None))

    def check_targets(self) -> None:
        """Outputs inside the output roots; no file replaced that govkit did not publish."""
        p = self.pipeline
        check_targets(
            [(o.name, p.path(o.uri), o.table) for o in p.outputs],
            p.base_dir,
            [p.base_dir, *(Path(p.path(r)) for r in p.output_roots)],
            overwrite=self.overwrite,
            source_file=p.source_file,
        )

    def clean_leftovers(self) -> None:
        """Remove what killed runs left beside this pipeline's outputs; record it."""
        targets = [(self.pipeline.path(o.uri), o.table) for o in self.pipeline.outputs]
        reports = Path(self.pipeline.path(self.pipeline.reports.dir))
        cleaned = clean_dead_leftovers(targets, [reports])
        if cleaned.count or cleaned.failed:
            self.record(cleanup_event(cleaned, by="run"))

    def stage_report(self, publisher: Publisher) -> None:
        """Stage the report as it will read once published: it goes in with the outputs."""
        final = self.report.model_copy(deep=True)
        for out in final.outputs:
            out.published = True
        final.finished_at = utc_now()
        folder = self.pipeline.path(self.pipeline.reports.dir)
        _, files = render_reports(final, folder, html=self.pipeline.reports.html)
        for path, text in files.items():
            publisher.stage_text(f"report {path.name}", path, text)

    def fail(self, exc: Exception) -> None:
        self.report.status = "failed"
        published = set(self.publisher.published) if self.publisher is not None else set()
        for out in self.report.outputs:
            out.published = out.name in published
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
    workers: Workers | None = None,
    overwrite: bool = False,
    engine: Engine | None = None,
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
    run = _Run(model, gov, workers, overwrite, engine)
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
        # The run's own error matters more than the report's; a published run's report
        # went in with its outputs and stands.
        report = run.report
    return report, error


def run_pipeline(
    pipeline: Pipeline | str | Path,
    *,
    governor: Governor | None = None,
    dry_run: bool = False,
    workers: Workers | None = None,
    overwrite: bool = False,
    engine: Engine | None = None,
) -> RunReport:
    """Run a pipeline file: publish every output, or nothing.

    Args:
        pipeline: a loaded :class:`Pipeline` or the path of a pipeline file.
        governor: the Governor to work through (settings, audit store); a default one
            otherwise. The pipeline file's ``policies``, ``audit`` and ``keys`` win.
        dry_run: only plan: which columns each output receives and how.
        workers: processes protecting each output's batches (a number or ``"auto"``;
            default: the file's ``workers``).
        overwrite: replace existing files at output paths that govkit did not publish.
        engine: the engine that executes the stages' plans (default: the local engine
            with ``workers``; a :class:`~govkit.spark.engine.SparkEngine` runs on Spark).

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
        pipeline,
        governor=governor,
        dry_run=dry_run,
        workers=workers,
        overwrite=overwrite,
        engine=engine,
    )
    if error is not None:
        raise error
    return report
