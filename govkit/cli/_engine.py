"""The engine options every data command shares (``--engine``, ``--master``, ``--workers``).

:func:`chosen_engine` turns them into the engine a stage runs on and stops the Spark
session it started when the command is done — the one place the CLI does that.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from govkit.spark.engine import SparkEngine

EngineOption = Annotated[
    str, typer.Option("--engine", help="Where the data is processed: local | spark.")
]
MasterOption = Annotated[
    str | None,
    typer.Option("--master", help="Spark master with --engine spark: local[2], spark://host:7077."),
]
WorkersOption = Annotated[
    str,
    typer.Option(
        "--workers",
        help="Processes protecting batches: a number, or auto (sized to the machine "
        "for large sources with crypto transforms).",
    ),
]


@contextmanager
def chosen_engine(
    engine: str, master: str | None, *, start: bool = True
) -> Iterator[SparkEngine | None]:
    """The Spark engine ``--engine spark`` names (None: the local engine), stopped on exit.

    ``start=False`` (a dry run) checks nothing and starts nothing.

    Raises:
        UsageError: an unknown engine, or ``--master`` without ``--engine spark``.
    """
    from govkit.cli._state import STATE
    from govkit.spark import engine_option

    spark = engine_option(engine, master, debug=STATE.debug) if start else None
    try:
        yield spark
    finally:
        if spark is not None:
            spark.session.stop()
