"""Run a suite against a dataset with GX in an ephemeral context; return a redacted result.

Files run on pandas (the datasets layer reads them into Arrow, then pandas). CSV
is read as text; rules that compare numbers or dates get their column cast first
(govkit/quality/cast.py), each on its own copy, so text rules still see text.
SQL tables and queries run through GX's SQLAlchemy engine, so built-in
expectations are pushed down to the database as aggregate queries. govkit's
own expectations have pandas implementations only; on a SQL source they run
on a frame of just the columns they read, streamed from the database.
"""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING, Any

from govkit.errors import QualityToolError
from govkit.quality.cast import cast_for, cast_kind
from govkit.quality.expectations import GOVKIT_TYPES
from govkit.quality.models import Engine, QualityResult, QualityStatistics, RuleResult
from govkit.quality.redact import SAFE_FORMAT, redact_by_content, redact_rule
from govkit.quality.suites import Rule, Suite, build_gx_suite, load_suite

if TYPE_CHECKING:
    from pathlib import Path

    import great_expectations as gx
    import pandas as pd

    from govkit.datasets import Dataset
    from govkit.datasets.sql import SqlDataset


def _context() -> Any:
    """An ephemeral GX context: no ``gx/`` folder, no home-directory file, no progress bars."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import pandas_execution_engine

    # GX fingerprints every pandas frame (an MD5 over all rows, twice per run);
    # govkit never reads that fingerprint, and it costs more than the checks.
    if hasattr(pandas_execution_engine, "HASH_THRESHOLD"):
        pandas_execution_engine.HASH_THRESHOLD = 0
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


def _run(ctx: Any, batch_definition: Any, suite: gx.ExpectationSuite, **params: Any) -> list[Any]:
    """Run one suite through a ValidationDefinition; return GX's per-rule JSON dicts."""
    import great_expectations as gx

    added = ctx.suites.add(suite)
    vd = ctx.validation_definitions.add(
        gx.ValidationDefinition(name=f"govkit-{suite.name}", data=batch_definition, suite=added)
    )
    try:
        result = vd.run(batch_parameters=params or None, result_format=SAFE_FORMAT)
    except Exception as exc:
        raise QualityToolError(
            f"suite {suite.name!r} could not run ({type(exc).__name__})"
        ) from exc
    results: list[Any] = result.to_json_dict()["results"]
    return results


def _by_columns(rules: list[Rule]) -> dict[tuple[str, ...], list[Rule]]:
    """Group rules by the columns they read (table-level rules under ``()``)."""
    groups: dict[tuple[str, ...], list[Rule]] = {}
    for rule in rules:
        groups.setdefault(tuple(sorted(set(rule.columns))), []).append(rule)
    return groups


def run_pandas(frame: pd.DataFrame, suite: Suite, rules: list[Rule]) -> list[RuleResult]:
    """Validate an in-memory frame against ``rules`` of ``suite``.

    Rules run in groups, each on a frame of just the columns it reads: GX filters
    the whole frame (every column) for each metric, which on a wide table cost
    more than the checks. Table-level rules see the whole frame.
    """
    for group in _by_columns(rules).values():  # fail on any bad rule before running one
        build_gx_suite(suite, group)
    ctx = _context()
    bd = (
        ctx.data_sources.add_pandas("govkit_pandas")
        .add_dataframe_asset("data")
        .add_batch_definition_whole_dataframe("all")
    )
    from govkit.quality.expectations.checks import forget

    raw: list[Any] = []
    plain = [r for r in rules if cast_kind(r) is None]
    try:
        for index, (columns, group) in enumerate(_by_columns(plain).items()):
            gx_suite = build_gx_suite(suite, group, name=f"{suite.name}-{index}")
            part = frame[list(columns)] if columns else frame
            raw += _run(ctx, bd, gx_suite, dataframe=part)
        for index, rule in enumerate(r for r in rules if cast_kind(r) is not None):
            cast_rule, part = cast_for(rule, frame[rule.columns])  # its own cast copy
            gx_suite = build_gx_suite(suite, [cast_rule], name=f"{suite.name}-cast-{index}")
            raw += _run(ctx, bd, gx_suite, dataframe=part)
    finally:
        forget()
    return _collect(raw, suite, rules, "pandas")


def gx_sql_url(url: str) -> str:
    """The URL GX should connect with: same driver choice as the datasets layer.

    MariaDB URLs become ``mysql+pymysql``: GX does not know SQLAlchemy's
    ``mariadb`` dialect name and would take its generic (slower, less tested) path.
    """
    import sqlalchemy as sa

    parsed = sa.engine.make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend in ("mysql", "mariadb"):
        driver = parsed.drivername.partition("+")[2] or "pymysql"
        parsed = parsed.set(drivername=f"mysql+{driver}")
    return parsed.render_as_string(hide_password=False)


def run_sql(dataset: SqlDataset, suite: Suite, rules: list[Rule]) -> list[RuleResult]:
    """Validate a table or query in the database (built-in expectations pushed down)."""
    gx_suite = build_gx_suite(suite, rules)
    ctx = _context()
    try:  # GX tests the connection and the table here; its messages quote SQL and the URL
        with warnings.catch_warnings():
            # GX suggests its dialect-specific sources; the generic one serves every URL alike.
            warnings.filterwarnings("ignore", message="You are using a generic SQLDatasource")
            source = ctx.data_sources.add_sql(
                "govkit_sql", connection_string=gx_sql_url(dataset.url)
            )
        if dataset.table_name is not None:
            asset = source.add_table_asset("data", table_name=dataset.table_name)
        else:
            query = getattr(dataset._selectable, "text", None)
            asset = source.add_query_asset("data", query=str(query))
        batch_definition = asset.add_batch_definition_whole_table("all")
    except Exception as exc:
        raise QualityToolError(
            f"{dataset.uri}: GX could not open the data ({type(exc).__name__})"
        ) from exc
    raw = _run(ctx, batch_definition, gx_suite)
    return _collect(raw, suite, rules, "sql")


def _collect(raw: list[Any], suite: Suite, rules: list[Rule], engine: Engine) -> list[RuleResult]:
    """Redact GX results and key them by rule id; every rule must have run once."""
    by_id = {r.rule_id: r for r in rules}
    personal = suite.personal_columns()
    out: dict[str, RuleResult] = {}
    for item in raw:
        meta = (item.get("expectation_config") or {}).get("meta") or {}
        rule = by_id.get(str(meta.get("rule_id")))
        if rule is None:
            continue
        out[rule.rule_id] = redact_rule(item, rule, personal, engine, suite)
    missing = [r.rule_id for r in rules if r.rule_id not in out]
    if missing:
        raise QualityToolError(f"{suite.path}: rule {missing[0]} produced no result")
    return [out[r.rule_id] for r in rules]


def _frame(dataset: Dataset, columns: list[str] | None) -> pd.DataFrame:
    """Read the dataset (or just ``columns``) into pandas via Arrow."""
    table = dataset.read_all(columns)
    frame: pd.DataFrame = table.to_pandas()
    return frame


def _needs_all_columns(rules: list[Rule]) -> bool:
    return any(not r.columns for r in rules)


def suite_for(dataset: Dataset, suite_path: Path) -> Suite:
    """The suite file, checked against the dataset's columns (both engines start here).

    Raises:
        SuiteError: the suite file is missing or malformed.
        QualityToolError: a rule names a column the dataset does not have.
    """
    suite = load_suite(suite_path)
    present = set(dataset.schema.names)
    for rule in suite.expectations:
        absent = [c for c in rule.columns if c not in present]
        if absent:
            raise QualityToolError(
                f"{suite.path}: rule {rule.rule_id}: column {absent[0]!r} is not in {dataset.uri}"
            )
    return suite


def validate_dataset(dataset: Dataset, suite_path: Path) -> QualityResult:
    """Run the suite at ``suite_path`` against ``dataset``.

    Raises:
        SuiteError: the suite file is missing or malformed.
        QualityToolError: a rule did not run as written (unknown type, GX error).
    """
    from govkit.datasets.sql import SqlDataset

    suite = suite_for(dataset, suite_path)
    rules = suite.expectations
    if isinstance(dataset, SqlDataset):
        pushed = [r for r in rules if r.type not in GOVKIT_TYPES]
        local = [r for r in rules if r.type in GOVKIT_TYPES]
        results = run_sql(dataset, suite, pushed) if pushed else []
        if local:
            columns = sorted({c for r in local for c in r.columns})
            results += run_pandas(_frame(dataset, columns), suite, local)
        order = {r.rule_id: i for i, r in enumerate(rules)}
        results.sort(key=lambda r: order[r.rule_id])
    else:
        needed: list[str] | None = (
            None if _needs_all_columns(rules) else sorted({c for r in rules for c in r.columns})
        )
        results = run_pandas(_frame(dataset, needed), suite, rules)
    return summarize(suite, dataset.uri, redact_by_content(dataset, results))


def summarize(suite: Suite, dataset_uri: str, results: list[RuleResult]) -> QualityResult:
    """Assemble the result with statistics computed from the rule results."""
    ok = sum(1 for r in results if r.success)
    total = len(results)
    return QualityResult(
        suite=suite.name,
        suite_file=str(suite.path),
        dataset=dataset_uri,
        success=ok == total,
        statistics=QualityStatistics(
            evaluated_expectations=total,
            successful_expectations=ok,
            unsuccessful_expectations=total - ok,
            success_percent=round(100.0 * ok / total, 4) if total else None,
        ),
        results=results,
    )
