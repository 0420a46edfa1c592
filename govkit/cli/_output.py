"""Rendering results: ``--format json|table``, progress bars on stderr."""

from __future__ import annotations

import contextlib
import enum
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Annotated, Any

import typer
from pydantic import BaseModel


class OutputFormat(enum.StrEnum):
    """Output formats every command offers."""

    table = "table"
    json = "json"


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output format: a table for people, JSON for pipelines."),
]


def to_jsonable(result: BaseModel | dict[str, Any] | list[Any]) -> Any:
    """Return plain JSON data for a model, dict or list."""
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json")
    return result


def print_json(result: BaseModel | dict[str, Any] | list[Any]) -> None:
    """Print a result as indented JSON (UTF-8, Chinese kept readable) on stdout."""
    sys.stdout.write(json.dumps(to_jsonable(result), ensure_ascii=False, indent=2) + "\n")


def print_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print rows as a rich table on stdout."""
    from rich.console import Console
    from rich.table import Table

    from govkit.cli._errors import visible  # control characters (ANSI/OSC) stay inert

    table = Table(title=visible(title) if title else title, show_lines=False)
    for name in columns:
        table.add_column(visible(name), overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else visible(str(v)) for v in row))
    Console(file=sys.stdout, soft_wrap=False).print(table)


def say(message: str) -> None:
    """Print a human line on stderr unless ``--quiet``."""
    from govkit.cli._state import STATE

    if not STATE.quiet:
        from govkit.cli._errors import visible

        print(visible(message), file=sys.stderr)


@contextlib.contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; draws a rich bar on stderr only when stderr is a terminal."""
    from govkit.cli._state import STATE

    if STATE.quiet or not sys.stderr.isatty():
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)
