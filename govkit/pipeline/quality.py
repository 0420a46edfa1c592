"""Judge a source's quality on the raw data with its expectation suite."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.pipeline.classify import SourceState
from govkit.pipeline.model import Pipeline
from govkit.report.model import ExpectationReport, QualityReport
from govkit.settings import GovkitSettings

if TYPE_CHECKING:
    from govkit.quality.models import QualityResult


def quality_report(suite: str, result: QualityResult, warn: Sequence[str] = ()) -> QualityReport:
    """The run report's view of a quality result: rule ids and counts, never values.

    Rules listed in ``warn`` get severity ``warning``: reported, not blocking.
    """
    rows = [
        ExpectationReport(
            expectation=r.rule_id,
            type=r.type,
            column=r.column or (", ".join(r.columns) if r.columns else None),
            success=r.success,
            unexpected_count=r.unexpected_count,
            unexpected_percent=r.unexpected_percent,
            severity="warning" if r.rule_id in warn else "error",
        )
        for r in result.results
    ]
    passed = sum(1 for r in rows if r.success)
    return QualityReport(
        suite=suite,
        success=result.success,
        evaluated=len(rows),
        passed=passed,
        failed=len(rows) - passed,
        warnings=sum(1 for r in rows if not r.success and r.severity == "warning"),
        results=rows,
    )


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
    pipeline: Pipeline, settings: GovkitSettings, state: SourceState, engine: Any = None
) -> QualityReport:
    """Run the source's suite on its raw data.

    Raises:
        SuiteError: the suite is missing or invalid.
        QualityToolError: the suite did not run as written.
    """
    from govkit.quality.validate import validate_dataset

    spec = pipeline.sources[state.name]
    assert spec.suite is not None
    path = suite_path(pipeline, settings, spec.suite)
    # the Spark engine validates where the data is (GX's Spark datasource, counts only)
    result = engine.validate(state.dataset, path) if engine is not None else validate_dataset(state.dataset, path)
    return quality_report(spec.suite, result, spec.warn)
