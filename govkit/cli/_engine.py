"""The ``--engine`` and ``--master`` options of run, scan and validate."""

from __future__ import annotations

from typing import Annotated

import typer

EngineOption = Annotated[
    str, typer.Option("--engine", help="Where the data is processed: local | spark.")
]
MasterOption = Annotated[
    str | None,
    typer.Option("--master", help="Spark master with --engine spark: local[2], spark://host:7077."),
]
