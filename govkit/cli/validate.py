"""CLI: ``govkit validate`` — run an expectation suite as a quality gate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from govkit.cli._engine import EngineOption, MasterOption, chosen_engine
from govkit.cli._options import EncodingOption, QueryOption, SheetOption, SourceArg, TableOption
from govkit.cli._output import (
    FormatOption,
    OutputFormat,
    estimate_rows,
    print_json,
    print_table,
    progress,
    say,
)

if TYPE_CHECKING:
    from govkit.quality.models import QualityResult

SuiteOption = Annotated[
    Path | None,
    typer.Option(
        "--suite",
        help="Suite file (GX 1.x JSON); default: <expectations dir>/<dataset name>.json.",
    ),
]
DataDocsOption = Annotated[
    Path | None,
    typer.Option("--data-docs", help="Also write a static HTML report (no values) into DIR."),
]


def validate(
    source: SourceArg,
    suite: SuiteOption = None,
    table: TableOption = None,
    query: QueryOption = None,
    sheet: SheetOption = None,
    encoding: EncodingOption = None,
    data_docs: DataDocsOption = None,
    format: FormatOption = OutputFormat.table,
    engine: EngineOption = "local",
    master: MasterOption = None,
) -> None:
    """Check a dataset against its expectation suite; exit 1 when an expectation fails.

    Reports rule ids, columns and counts only, never values from the data.

    Example: govkit validate examples/data/feedback.csv --format json
    """
    from govkit.cli._state import STATE
    from govkit.quality.api import check
    from govkit.quality.api import validate as run_validate

    with chosen_engine(engine, master) as spark:
        with progress(f"validate {Path(source).name}", estimate_rows(source)):
            result = run_validate(
                source,
                context=STATE.governor(),
                suite=suite,
                table=table,
                query=query,
                sheet=sheet,
                encoding=encoding,
                engine=spark,
            )
    if format is OutputFormat.json:
        print_json(to_json(result))
    else:
        render_table(result)
    if data_docs is not None:
        from govkit.quality.datadocs import write_data_docs

        say(f"wrote {write_data_docs(result, data_docs)}")
    check(result)


def to_json(result: QualityResult) -> dict[str, object]:
    """The documented ``--format json`` shape (docs/validate.md)."""
    return result.model_dump(mode="json")


def render_table(result: QualityResult) -> None:
    """Print one row per rule: id, column, check, PASS/FAIL and the counts."""
    stats = result.statistics
    rows = []
    for r in result.results:
        pct = "" if r.unexpected_percent is None else f"{r.unexpected_percent:.2f}"
        rows.append(
            (
                r.rule_id,
                ", ".join(r.columns),
                r.description or r.type,
                "pass" if r.success else "FAIL",
                r.unexpected_count,
                pct,
            )
        )
    print_table(
        f"{result.suite} on {result.dataset}: "
        f"{stats.successful_expectations}/{stats.evaluated_expectations} passed",
        ["rule", "column", "check", "result", "unexpected", "%"],
        rows,
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(validate)
