"""Judge a source's quality on the raw data: the validate stage with the source's suite."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.pipeline.classify import SourceState
from govkit.pipeline.model import Pipeline
from govkit.settings import GovkitSettings

if TYPE_CHECKING:
    from govkit.context import StageContext
    from govkit.quality.models import QualityResult


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
