"""The Python front door: ``govkit.run``, ``govkit.scan``, ``govkit.protect``, ``govkit.validate``.

Each function is the library twin of the command of the same name: a thin door
onto the :class:`~govkit.governor.Governor` method of the same name (itself a door
onto the stage function). Pass a Governor to load settings, policies and keys once
for many calls (an orchestrator's worker); without one, a Governor is made from the
environment (``GOVKIT_*``) for the call. Failures raise the documented errors
(:mod:`govkit.errors`); nothing here exits the process.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from govkit.governor import Governor
from govkit.pipeline.model import Pipeline
from govkit.report.model import RunReport

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from govkit.catalog import DatasetCatalog
    from govkit.datasets import Dataset
    from govkit.detect.report import ScanReport
    from govkit.engines.base import Engine
    from govkit.engines.local import Workers
    from govkit.entities import Sensitivity
    from govkit.protect.api import ProtectResult
    from govkit.protect.keys import KeyProvider
    from govkit.quality.models import QualityResult


def _governor(governor: Governor | None) -> Governor:
    return governor if governor is not None else Governor()


def run(
    pipeline: Pipeline | str | Path,
    *,
    governor: Governor | None = None,
    dry_run: bool = False,
    workers: Workers | None = None,
    overwrite: bool = False,
) -> RunReport:
    """Run a pipeline file: publish every output, or nothing (see :func:`run_pipeline`).

    Raises:
        PIIFoundError, ValidationFailedError, AccessDeniedError: compliance failures.
        KeyMaterialError, AuditError, DatasetError, PipelineError: the run could not work.
    """
    return _governor(governor).run(pipeline, dry_run=dry_run, workers=workers, overwrite=overwrite)


def scan(
    source: str | Dataset,
    *,
    governor: Governor | None = None,
    table: str | None = None,
    query: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    sample_size: int | None = None,
    full: bool = False,
    catalog: Path | str | None = None,
    fail_on: Sensitivity | None = None,
) -> ScanReport:
    """Scan a source for personal data (arguments as :func:`govkit.detect.api.scan`).

    Raises:
        PIIFoundError: ``fail_on`` is given and such columns were found.
    """
    return _governor(governor).scan(
        source,
        table=table,
        query=query,
        sheet=sheet,
        encoding=encoding,
        sample_size=sample_size,
        full=full,
        catalog=catalog,
        fail_on=fail_on,
    )


def protect(
    source: str | pa.Table | pd.DataFrame,
    output: str | None = None,
    *,
    governor: Governor | None = None,
    catalog: Path | DatasetCatalog | None = None,
    role: str | None = None,
    purpose: str | None = None,
    table: str | None = None,
    query: str | None = None,
    output_table: str | None = None,
    overwrite: bool = False,
    keys: KeyProvider | None = None,
    manifest: Path | None = None,
    workers: Workers = "auto",
    output_encoding: str | None = None,
    dataset: str | None = None,
    engine: Engine | None = None,
) -> ProtectResult:
    """Protect a dataset by policy (arguments as :func:`govkit.protect.api.protect`).

    ``engine`` runs it: default ``LocalEngine(workers)``; ``govkit.spark.start_engine()``
    protects on Spark.

    ``source`` is a file path or SQLAlchemy URL, a ``pyarrow.Table`` or a pandas
    DataFrame; without ``output`` the protected data comes back in the result.
    """
    return _governor(governor).protect(
        source,
        output,
        catalog=catalog,
        role=role,
        purpose=purpose,
        table=table,
        query=query,
        output_table=output_table,
        overwrite=overwrite,
        keys=keys,
        manifest=manifest,
        workers=workers,
        output_encoding=output_encoding,
        dataset=dataset,
        engine=engine,
    )


def validate(
    source: str | Dataset,
    *,
    governor: Governor | None = None,
    suite: Path | None = None,
    warn: Sequence[str] = (),
    table: str | None = None,
    query: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    raise_on_failure: bool = True,
) -> QualityResult:
    """Check a dataset against its expectation suite (arguments as :func:`govkit.quality.api.validate`).

    Raises:
        ValidationFailedError: a blocking expectation failed and ``raise_on_failure`` is True.
    """
    return _governor(governor).validate(
        source,
        suite=suite,
        warn=warn,
        table=table,
        query=query,
        sheet=sheet,
        encoding=encoding,
        raise_on_failure=raise_on_failure,
    )
