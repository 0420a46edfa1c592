"""CLI: ``govkit scan`` — what personal data each column holds, how sure, how sensitive."""

from __future__ import annotations

import contextlib
import enum
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
    from govkit.detect.report import ColumnScan


class FailOn(enum.StrEnum):
    """Tiers ``--fail-on`` accepts."""

    high = "high"
    medium = "medium"


def scan(
    source: SourceArg,
    table: TableOption = None,
    query: QueryOption = None,
    sheet: SheetOption = None,
    encoding: EncodingOption = None,
    sample: Annotated[
        int | None, typer.Option("--sample", help="Rows sampled per dataset [default: 2000].")
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Confirm every value, not a sample.")
    ] = False,
    catalog: Annotated[
        Path | None,
        typer.Option("--catalog", help="YAML catalog to write or update (steward edits kept)."),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option("--fail-on", help="Exit 1 when columns at this tier or above exist."),
    ] = None,
    format: FormatOption = OutputFormat.table,
    engine: EngineOption = "local",
    master: MasterOption = None,
) -> None:
    """Find personal data in a file, table, directory or whole database (no raw values shown).

    Example: govkit scan customers.csv --format json --fail-on high
    """
    from govkit.cli._state import STATE
    from govkit.detect.api import check_gate
    from govkit.detect.api import scan as run_scan

    quiet_bar = contextlib.nullcontext(lambda n: None)
    bar = progress(f"scan {Path(source).name}", estimate_rows(source)) if full else quiet_bar
    with chosen_engine(engine, master) as spark:
        with bar:
            report = run_scan(
                source,
                context=STATE.governor(),
                table=table,
                query=query,
                sheet=sheet,
                encoding=encoding,
                sample_size=sample,
                full=full,
                catalog=catalog,
                fail_on=fail_on.value if fail_on is not None else None,
                engine=spark,
            )
    single = len(report.datasets) == 1 and (table or query or not _is_whole(source))
    if format is OutputFormat.json:
        print_json(report.datasets[0] if single else report)
    else:
        for ds in report.datasets:
            scanned = f"{ds.rows_scanned} sampled" if ds.sampled else "all scanned"
            print_table(
                f"{ds.source}: {ds.rows_total} rows ({scanned})",
                ["column", "entity", "tier", "conf.", "found", "action", "sample"],
                [
                    (
                        c.name,
                        _entity_cell(c),
                        c.sensitivity,
                        f"{c.confidence:.2f}",
                        ", ".join(f"{e.type}×{e.count}" for e in c.entities[:4]),
                        c.recommended_action,
                        c.masked_samples[0] if c.masked_samples else "",
                    )
                    for c in ds.columns
                ],
                wide_only=("conf.", "found"),
            )
        s = report.summary
        say(
            f"{s.datasets} dataset(s), {s.columns} columns: {s.high} high, {s.medium} medium, {s.low} low"
        )
        for line in s.drift:
            say(f"drift: {line}")
    check_gate(report)


def _entity_cell(column: ColumnScan) -> str:
    """The entity; for free text every entity found in it (a comment holds several)."""
    if column.kind != "free_text":
        return column.entity or "-"
    found = [e.type for e in column.entities] or ([column.entity] if column.entity else [])
    return "free text: " + (", ".join(found) or "-")


def _is_whole(source: str) -> bool:
    from govkit.datasets.uri import is_sql_url

    return is_sql_url(source) or Path(source).is_dir()


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(scan)
