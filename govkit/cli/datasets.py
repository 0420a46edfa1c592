"""CLI: ``govkit inspect`` and ``govkit copy`` over the datasets layer."""

from __future__ import annotations

import typer

from govkit.cli._options import (
    EncodingOption,
    KeepFormulasOption,
    OutputEncodingOption,
    OutputOption,
    OutputTableOption,
    OverwriteOption,
    QueryOption,
    SheetOption,
    SourceArg,
    TableOption,
)
from govkit.cli._output import FormatOption, OutputFormat, print_json, print_table, say


def inspect(
    source: SourceArg,
    table: TableOption = None,
    query: QueryOption = None,
    sheet: SheetOption = None,
    encoding: EncodingOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Show a dataset's columns, types, null counts, rows and fingerprint (no values).

    Example: govkit inspect customers.csv --format json
    """
    from govkit.datasets import open_dataset
    from govkit.datasets.info import describe

    info = describe(open_dataset(source, table=table, query=query, sheet=sheet, encoding=encoding))
    if format is OutputFormat.json:
        print_json(info)
        return
    print_table(
        f"{info.source}: {info.rows} rows" + (f", {info.encoding}" if info.encoding else ""),
        ["column", "type", "nulls"],
        [(c.name, c.type, c.nulls) for c in info.columns],
    )


def copy(
    source: SourceArg,
    output: OutputOption,
    table: TableOption = None,
    query: QueryOption = None,
    sheet: SheetOption = None,
    encoding: EncodingOption = None,
    output_table: OutputTableOption = None,
    overwrite: OverwriteOption = False,
    output_encoding: OutputEncodingOption = None,
    keep_formulas: KeepFormulasOption = False,
) -> None:
    """Copy a dataset to another format or database, atomically.

    Example: govkit copy customers.csv -o postgresql://127.0.0.1/test --output-table customers
    """
    from govkit.datasets import open_dataset
    from govkit.datasets.info import copy as copy_dataset

    dataset = open_dataset(source, table=table, query=query, sheet=sheet, encoding=encoding)
    result = copy_dataset(
        dataset,
        output,
        table=output_table,
        overwrite=overwrite,
        encoding=output_encoding,
        keep_formulas=keep_formulas or None,
    )
    say(f"wrote {result.rows} rows to {result.uri}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(inspect)
    app.command()(copy)
