"""Options shared by commands that read or write datasets."""

from __future__ import annotations

from typing import Annotated

import typer

SourceArg = Annotated[
    str, typer.Argument(help="A file (CSV, TSV, JSONL, Parquet, XLSX) or a SQLAlchemy URL.")
]
TableOption = Annotated[str | None, typer.Option("--table", help="Table name, for database URLs.")]
QueryOption = Annotated[
    str | None, typer.Option("--query", help="Read-only SQL query, for database URLs.")
]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="Worksheet, for .xlsx files.")]
EncodingOption = Annotated[
    str | None, typer.Option("--encoding", help="Text encoding of CSV/TSV (default: detected).")
]
OutputOption = Annotated[str, typer.Option("--output", "-o", help="Output file or database URL.")]
OutputTableOption = Annotated[
    str | None,
    typer.Option("--output-table", help="Table to write, when --output is a database URL."),
]
OverwriteOption = Annotated[bool, typer.Option("--overwrite", help="Replace an existing output.")]
OutputEncodingOption = Annotated[
    str | None,
    typer.Option(
        "--output-encoding",
        help="Encoding of a CSV/TSV output: utf-8 (default), utf-8-sig (Excel) or gb18030.",
    ),
]
KeepFormulasOption = Annotated[
    bool,
    typer.Option(
        "--keep-formulas",
        help="Write cells starting with = + - @ verbatim (machine consumers; unsafe in Excel).",
    ),
]
