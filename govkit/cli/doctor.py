"""``govkit doctor``: find (and with ``--clean`` remove) what killed runs left behind."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from govkit.cli._output import FormatOption, OutputFormat, print_json, print_table, say
from govkit.cli._state import STATE


def doctor(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Folders to search, recursively (default: the current one)."),
    ] = None,
    db: Annotated[
        list[str] | None,
        typer.Option("--db", help="Database URL whose _govkit_stage_* tables to check (repeat)."),
    ] = None,
    clean: Annotated[
        bool,
        typer.Option("--clean", help="Remove the leftovers found (recorded in the audit log)."),
    ] = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """List staging leftovers of dead runs (hidden files, stage tables, temp folders).

    Example: govkit doctor --clean . --db postgresql://127.0.0.1/test
    """
    from govkit.datasets.staging import (
        Cleaned,
        clean_leftovers,
        cleanup_event,
        dead_files,
        dead_temp_dirs,
    )

    folders = paths or [Path(".")]
    urls = db or []
    if clean:
        found = clean_leftovers(folders, urls, recursive=True)
        if found.count or found.failed:
            STATE.governor().record(cleanup_event(found, by="doctor"))
    else:
        found = Cleaned(files=[str(p) for f in folders for p in dead_files(f, recursive=True)])
        found.files += [str(p) for p in dead_temp_dirs()]
        for url in urls:
            found.tables += _dead_tables(url)
    if format is OutputFormat.json:
        print_json({"cleaned": clean, **found.__dict__})
        return
    rows = [("file", f) for f in found.files] + [("table", t) for t in found.tables]
    rows += [("NOT REMOVED", f) for f in found.failed]
    print_table(
        f"{'removed' if clean else 'leftovers of dead runs'}: {found.count}", ["kind", "name"], rows
    )
    if not clean and found.count:
        say("remove them with: govkit doctor --clean")


def _dead_tables(url: str) -> list[str]:
    import sqlalchemy as sa

    from govkit.datasets.sql import create_engine, sql_error
    from govkit.datasets.staging import TABLE_PREFIXES, is_dead
    from govkit.datasets.uri import redact_url

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
    except sa.exc.SQLAlchemyError as exc:
        raise sql_error(url, exc) from exc
    finally:
        engine.dispose()
    return [f"{redact_url(url)}#{n}" for n in names if n.startswith(TABLE_PREFIXES) and is_dead(n)]


def register(app: typer.Typer) -> None:
    """Add this module's command to the app."""
    app.command()(doctor)
