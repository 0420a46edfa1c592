"""CLI: ``govkit protect`` and ``govkit reveal``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from govkit.cli._engine import EngineOption, MasterOption, WorkersOption, chosen_engine
from govkit.cli._options import (
    OutputEncodingOption,
    OutputOption,
    OutputTableOption,
    OverwriteOption,
    QueryOption,
    SourceArg,
    TableOption,
)
from govkit.cli._output import (
    FormatOption,
    OutputFormat,
    estimate_rows,
    print_json,
    print_table,
    progress,
    say,
)
from govkit.cli._state import STATE

CatalogOption = Annotated[
    Path | None,
    typer.Option(
        "--catalog", help="Catalog file from `govkit scan --catalog` (default: scan first)."
    ),
]
RoleOption = Annotated[str | None, typer.Option("--role", help="Role the output is for.")]
PurposeOption = Annotated[str | None, typer.Option("--purpose", help="Declared purpose of use.")]


def protect(
    source: SourceArg,
    output: OutputOption,
    table: TableOption = None,
    query: QueryOption = None,
    output_table: OutputTableOption = None,
    catalog: CatalogOption = None,
    role: RoleOption = None,
    purpose: PurposeOption = None,
    overwrite: OverwriteOption = False,
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest", help="Where to write the manifest (default: <output>.manifest.json)."
        ),
    ] = None,
    workers: WorkersOption = "auto",
    output_encoding: OutputEncodingOption = None,
    format: FormatOption = OutputFormat.table,
    engine: EngineOption = "local",
    master: MasterOption = None,
) -> None:
    """Mask, tokenize or encrypt every personal column by policy; write output + manifest.

    Example: govkit protect customers.csv -o safe/customers.parquet --role analyst --purpose analytics
    """
    from govkit.engines.local import LocalEngine, parse_workers
    from govkit.protect.api import protect as run_protect

    local = LocalEngine(parse_workers(workers))
    with chosen_engine(engine, master) as spark:
        with progress(f"protect {Path(source).name}", estimate_rows(source)):
            result = run_protect(
                source,
                output,
                context=STATE.governor(),
                catalog=catalog,
                role=role,
                purpose=purpose,
                table=table,
                query=query,
                output_table=output_table,
                overwrite=overwrite,
                manifest=manifest,
                engine=spark or local,
                output_encoding=output_encoding,
            )
    made = result.manifest
    if format is OutputFormat.json:
        print_json(made)
        return
    print_table(
        f"{made.output}: {made.rows_out} of {made.rows_in} rows",
        ["column", "entity", "transform", "key", "values", "rule"],
        [(c.column, c.entity, c.transform, c.key_id, c.values, c.rule) for c in made.columns],
    )
    if made.dropped:
        say(f"dropped: {', '.join(made.dropped)}")


def reveal(
    source: SourceArg,
    output: OutputOption,
    columns: Annotated[str, typer.Option("--columns", help="Comma-separated columns to reveal.")],
    role: Annotated[str, typer.Option("--role", help="Role asking (its view must be raw).")],
    purpose: Annotated[str, typer.Option("--purpose", help="Declared purpose of use.")],
    manifest: Annotated[
        Path | None,
        typer.Option("--manifest", help="Manifest written by protect (default: beside SOURCE)."),
    ] = None,
    table: TableOption = None,
    output_table: OutputTableOption = None,
    overwrite: OverwriteOption = False,
    output_encoding: OutputEncodingOption = None,
    format: FormatOption = OutputFormat.table,
    engine: EngineOption = "local",
    master: MasterOption = None,
) -> None:
    """Detokenize or decrypt columns for a role allowed to see them raw (audited).

    Example: govkit reveal safe/customers.parquet -o ids.csv --columns id_number --role dpo --purpose investigation
    """
    from govkit.protect.reveal import reveal as run_reveal

    with chosen_engine(engine, master) as spark:
        result = run_reveal(
            source,
            output,
            columns=[c.strip() for c in columns.split(",") if c.strip()],
            role=role,
            purpose=purpose,
            context=STATE.governor(),
            manifest=manifest,
            table=table,
            output_table=output_table,
            overwrite=overwrite,
            output_encoding=output_encoding,
            engine=spark,
        )
    if format is OutputFormat.json:
        print_json({"output": result.output, "rows": result.rows, "columns": result.columns})
        return
    say(f"revealed {', '.join(result.columns)} in {result.rows} rows to {result.output}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(protect)
    app.command()(reveal)
