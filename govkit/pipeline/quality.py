"""Judge a source's quality on the raw data: the validate stage with the source's suite."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.errors import QualityToolError, SuiteError
from govkit.pipeline.classify import SourceState
from govkit.pipeline.model import Pipeline
from govkit.quality.models import QualityResult
from govkit.settings import GovkitSettings

if TYPE_CHECKING:
    from govkit.context import StageContext
    from govkit.pipeline.context import RunContext


def suite_path(pipeline: Pipeline, settings: GovkitSettings, suite: str) -> Path:
    """The file of a suite named in the pipeline.

    A name ending in ``.json`` is a path (relative to the pipeline file); any other
    name is a suite in the expectations directory.

    Raises:
        SuiteError: there is no such suite.
    """
    if suite.endswith(".json"):
        return Path(pipeline.path(suite))
    from govkit.quality.suites import find_suite

    return find_suite(settings.expectations_dir, suite)


def validate_source(
    pipeline: Pipeline, context: StageContext, state: SourceState, engine: Any = None
) -> QualityResult:
    """Run the source's suite on its raw data (the validate stage; its event is recorded).

    Raises:
        SuiteError: the suite is missing or invalid.
        QualityToolError: the suite did not run as written.
    """
    from govkit.quality.api import validate

    spec = pipeline.sources[state.name]
    if spec.suite is None:
        raise AssertionError("internal invariant broken: spec.suite is not None")
    return validate(
        state.dataset,
        context=context,
        suite=suite_path(pipeline, context.settings, spec.suite),
        warn=spec.warn,
        engine=engine,  # Spark validates where the data is (GX's Spark datasource, counts only)
    )


def _validate_source(
    pipeline: Pipeline, name: str, suite: Path
) -> QualityResult | QualityToolError | SuiteError:
    """In the validating process: reopen the source as the run did and run its suite."""
    from govkit.pipeline.classify import open_source
    from govkit.quality.validate import validate_dataset

    try:
        return validate_dataset(open_source(pipeline, name), suite)
    except (QualityToolError, SuiteError) as exc:  # recorded and raised by the run, in order
        return exc


class BesideValidation:
    """The sources' suites, run in a spawned process while the run decides and protects.

    Validation reads the raw files and protection writes staged outputs, so neither
    waits for the other; only publishing does. The run holds the access and protect
    events recorded meanwhile (:meth:`RunContext.hold
    <govkit.pipeline.context.RunContext.hold>`) and :meth:`settle` records the
    ``validate`` events first, in source order, as a run that validated first would
    have; a blocking failure then stops the run before anything is published, and the
    held events are dropped, since that run would never have decided or protected.

    Args:
        pipeline: the run's pipeline (the process reopens each source from it).
        states: the classified sources; those with a suite are validated.
        suites: each source's suite file (:func:`suite_path`).
    """

    def __init__(
        self, pipeline: Pipeline, states: dict[str, SourceState], suites: dict[str, Path]
    ) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from govkit.normalize.regions import current_regions, set_regions
        from govkit.quality.api import suite_digest

        self.pipeline = pipeline
        self.states = states
        self.suites = suites
        self.digests = {name: suite_digest(path) for name, path in suites.items()}
        self._pool = ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=set_regions,  # redaction of failing values detects with the run's regions
            initargs=(current_regions(),),
        )
        self._jobs = {
            name: self._pool.submit(_validate_source, pipeline, name, path)
            for name, path in suites.items()
        }

    def settle(self, context: RunContext) -> list[str]:
        """Wait for the suites; record each ``validate`` event; return the blocking failures.

        Raises:
            QualityToolError, SuiteError: a suite did not run as written (recorded first).
            DatasetError: a source could not be read for validation.
            AuditError: an event could not be recorded.
        """
        from concurrent.futures.process import BrokenProcessPool

        from govkit.quality.api import failure_summary, record_error, record_result

        failed: list[str] = []
        try:
            for name, job in self._jobs.items():
                try:
                    outcome = job.result()
                except BrokenProcessPool:  # the process died (out of memory …): validate here
                    outcome = _validate_source(self.pipeline, name, self.suites[name])
                state = self.states[name]
                with context.scope(source=name):
                    if not isinstance(outcome, QualityResult):
                        record_error(
                            context, state.dataset, self.suites[name], self.digests[name], outcome
                        )
                        raise outcome
                    quality = record_result(
                        context,
                        state.dataset,
                        self.suites[name],
                        self.digests[name],
                        outcome,
                        self.pipeline.sources[name].warn,
                    )
                state.report.quality = quality
                if quality.blocking:
                    failed.append(f"{name} ({failure_summary(quality)})")
        finally:
            self.close()
        return failed

    def close(self) -> None:
        """Stop the validating process (cancelling what has not started)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
