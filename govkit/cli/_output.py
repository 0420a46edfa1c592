"""Rendering results: ``--format json|table``, progress bars on stderr."""

from __future__ import annotations

import contextlib
import enum
import json
import sys
from collections.abc import Callable, Collection, Iterator, Sequence
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


MIN_CUT = 8
"""Narrowest a column is cut to (with ``…``) when the table cannot fit the terminal."""


def print_table(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    wide_only: Collection[str] = (),
    whole: Collection[str] = (),
) -> None:
    """Print rows as a rich table on stdout.

    Words are never broken across lines: each column is at least as wide as its longest
    word (cells of ``whole`` columns are never wrapped at all), and when that cannot fit
    the terminal the widest columns end their words in ``…`` instead. Columns in
    ``wide_only`` are shown with ``--wide`` only, which also lets the table grow past
    the terminal.
    """
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table

    from govkit.cli._errors import visible  # control characters (ANSI/OSC) stay inert
    from govkit.cli._state import STATE

    keep = [i for i, name in enumerate(columns) if STATE.wide or name not in wide_only]
    cells = [["" if row[i] is None else visible(str(row[i])) for i in keep] for row in rows]
    console = Console(file=sys.stdout, soft_wrap=False)
    if STATE.wide:
        console = Console(file=sys.stdout, soft_wrap=False, width=max(console.width, 400))
    mins: list[int] = []
    natural: list[int] = []
    for j, i in enumerate(keep):
        texts = [row[j] for row in cells]
        words = [w for t in texts for w in ([t] if columns[i] in whole else t.split())]
        mins.append(max((cell_len(w) for w in [*words, *columns[i].split()]), default=1))
        natural.append(max((cell_len(t) for t in [*texts, columns[i]]), default=1))
    widths = _fit(mins, natural, [columns[i] not in whole for i in keep], console.width)
    table = Table(title=visible(title) if title else title, show_lines=False)
    for j, i in enumerate(keep):
        table.add_column(
            visible(columns[i]),
            width=None if STATE.wide else widths[j],
            overflow="ellipsis",
            no_wrap=STATE.wide or columns[i] in whole,
        )
    for row in cells:
        table.add_row(*row)
    console.print(table)


def _fit(mins: list[int], natural: list[int], cuttable: list[bool], width: int) -> list[int]:
    """Column widths for ``width`` terminal cells: every word whole if possible, else cut."""
    room = width - (3 * len(mins) + 1)  # borders and padding
    widths = list(mins)
    while sum(widths) > room:
        can = [j for j, c in enumerate(cuttable) if c and widths[j] > MIN_CUT]
        if not can:
            break
        widths[max(can, key=lambda j: widths[j])] -= 1
    spare = room - sum(widths)
    while spare > 0:  # give the rest to the columns that would wrap, narrowest need first
        need = [j for j in range(len(widths)) if widths[j] < natural[j]]
        if not need:
            break
        widths[min(need, key=lambda j: natural[j] - widths[j])] += 1
        spare -= 1
    return widths


def say(message: str) -> None:
    """Print a human line on stderr unless ``--quiet``."""
    from govkit.cli._state import STATE

    if not STATE.quiet:
        from govkit.cli._errors import visible

        print(visible(message), file=sys.stderr)


@contextlib.contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """Show rows, rows/s and (with a ``total``) the ETA on stderr while the block runs.

    Only when stderr is a terminal and ``--quiet`` is not given; otherwise nothing is
    drawn. Library code reports through :mod:`govkit.progress` (row counts only, so a
    progress line never holds a value); the yielded ``advance(n)`` adds rows by hand.
    """
    import govkit.progress as rows
    from govkit.cli._state import STATE

    if STATE.quiet or not sys.stderr.isatty():
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class _Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} rows/s" if speed else "… rows/s")

    columns: list[ProgressColumn | str] = [TextColumn("{task.description}")]
    if total:
        columns += [
            BarColumn(bar_width=24),
            TextColumn("{task.completed:,.0f}/{task.total:,.0f} rows"),
        ]
    else:
        columns += [TextColumn("{task.completed:,.0f} rows")]
    columns += [_Rate(), TimeElapsedColumn()]
    if total:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task(description, total=total or None)

        def advance(n: int) -> None:
            bar.advance(task, n)

        with rows.reporting(advance):
            yield advance


def estimate_rows(source: str) -> int | None:
    """Rows of a file, cheaply (Parquet metadata, line count of text files); None if unknown."""
    from pathlib import Path

    path = Path(source)
    if "://" in source or not path.is_file():
        return None
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if suffix not in (".csv", ".tsv", ".jsonl", ".txt"):
            return None
        lines = 0
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                lines += chunk.count(b"\n")
    except OSError:
        return None
    return max(lines - (suffix != ".jsonl"), 0)
