"""govkit: a privacy and data-governance gate in front of customer analytics.

The public API, for pipelines that call govkit from Python::

    import govkit

    report = govkit.scan("customers.csv")                    # ScanReport
    result = govkit.protect("customers.csv", "safe.parquet",
                            role="analyst", purpose="analytics")
    quality = govkit.validate("customers.csv")               # raises ValidationFailedError
    run = govkit.run("pipeline.yaml")                        # RunReport; publishes all or nothing

    gov = govkit.Governor()          # loads settings, policies, keys and the audit store once
    gov.scan("customers.csv"); gov.run("pipeline.yaml")

Names are imported on first use, so ``import govkit`` (and ``govkit --help``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from govkit._version import __version__

_EXPORTS: dict[str, str] = {
    "AccessDecision": "govkit.policy.views",
    "Catalog": "govkit.catalog",
    "Governor": "govkit.governor",
    "GovkitSettings": "govkit.settings",
    "Pipeline": "govkit.pipeline.model",
    "ProtectResult": "govkit.protect.api",
    "QualityResult": "govkit.quality.models",
    "RunReport": "govkit.report.model",
    "ScanReport": "govkit.detect.report",
    "TextSpan": "govkit.detect.spans",
    "find_spans": "govkit.detect.spans",
    "load_pipeline": "govkit.pipeline.model",
    "open_dataset": "govkit.datasets",
    "protect": "govkit.pipeline.api",
    "run": "govkit.pipeline.api",
    "scan": "govkit.pipeline.api",
    "validate": "govkit.pipeline.api",
    "write_dataset": "govkit.datasets",
}

__all__ = [
    "AccessDecision",
    "Catalog",
    "Governor",
    "GovkitSettings",
    "Pipeline",
    "ProtectResult",
    "QualityResult",
    "RunReport",
    "ScanReport",
    "TextSpan",
    "__version__",
    "errors",
    "find_spans",
    "load_pipeline",
    "open_dataset",
    "protect",
    "run",
    "scan",
    "validate",
    "write_dataset",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    if name == "errors":
        return importlib.import_module("govkit.errors")
    if name not in _EXPORTS:
        raise AttributeError(f"module 'govkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from govkit import errors
    from govkit.catalog import Catalog
    from govkit.datasets import open_dataset, write_dataset
    from govkit.detect.report import ScanReport
    from govkit.detect.spans import TextSpan, find_spans
    from govkit.governor import Governor
    from govkit.pipeline.api import protect, run, scan, validate
    from govkit.pipeline.model import Pipeline, load_pipeline
    from govkit.policy.views import AccessDecision
    from govkit.protect.api import ProtectResult
    from govkit.quality.models import QualityResult
    from govkit.report.model import RunReport
    from govkit.settings import GovkitSettings
