"""CLI: ``govkit run`` (the governed pipeline) and ``govkit init`` (a project to start from)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from govkit.cli._engine import EngineOption, MasterOption, chosen_engine
from govkit.cli._output import FormatOption, OutputFormat, print_json, print_table, progress, say
from govkit.cli._state import STATE


def _print_plan(report: object) -> None:
    from govkit.report.model import RunReport

    if not isinstance(report, RunReport):
        raise AssertionError("internal invariant broken: isinstance(report, RunReport)")
    for ds in report.datasets:
        if ds.gate_columns:
            say(f"{ds.name}: PII gate ({ds.pii_gate}) would fail on: {', '.join(ds.gate_columns)}")
    for out in report.outputs:
        dest = out.destination + (f" table {out.table}" if out.table else "")
        title = f"{out.name}: {out.source} → {dest} (role {out.role}, purpose {out.purpose})"
        if not out.allowed:
            print(f"{title}\n  DENIED: {out.reason or 'no rule allows it'}")
            continue
        print_table(
            title,
            ["column", "view", "transform", "rules"],
            [(c.column, c.view, c.transform or "", ", ".join(c.rule_ids)) for c in out.columns],
        )
        print(f"  rows: {out.row_filter or 'all'}")


def _say_quality_warnings(report: object) -> None:
    """One stderr line per failed expectation the pipeline lets through (``warn:``)."""
    from govkit.report.model import RunReport

    if not isinstance(report, RunReport):
        raise AssertionError("internal invariant broken: isinstance(report, RunReport)")
    for ds in report.datasets:
        for r in ds.quality.results if ds.quality else []:
            if not r.success and r.severity == "warning":
                where = f"{ds.name}.{r.column}" if r.column else ds.name
                share = f" ({r.unexpected_percent:.1f}% of rows)" if r.unexpected_percent else ""
                say(f"quality warning: {where}: {r.rule_id} ({r.type}) failed{share}")


def _print_run(report: object) -> None:
    from govkit.report.model import RunReport

    if not isinstance(report, RunReport):
        raise AssertionError("internal invariant broken: isinstance(report, RunReport)")
    _say_quality_warnings(report)
    if not report.outputs:
        return
    print_table(
        f"run {report.run_id}: {report.status}",
        ["output", "role", "purpose", "cols", "rows", "filtered", "published"],
        [
            (
                o.name,
                o.role,
                o.purpose,
                sum(1 for c in o.columns if c.view != "deny"),
                o.rows_out,
                o.rows_filtered,
                "yes" if o.published else "no",
            )
            for o in report.outputs
        ],
        wide_only=("role", "purpose"),
        whole=("output",),
    )


def run(
    pipeline: Annotated[Path, typer.Argument(help="The pipeline file (YAML).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only print the plan: columns, views, transforms.")
    ] = False,
    workers: Annotated[
        str | None,
        typer.Option(help="Processes protecting batches: a number or auto [file: workers]."),
    ] = None,
    overwrite: Annotated[
        bool,
        typer.Option("--overwrite", help="Replace files at output paths govkit did not publish."),
    ] = False,
    format: FormatOption = OutputFormat.table,
    engine: EngineOption = "local",
    master: MasterOption = None,
) -> None:
    """Run a pipeline: scan, validate, protect per role, publish all outputs or none, audit.

    Example: govkit run pipeline.yaml --dry-run
    """
    from govkit.engines.local import parse_workers
    from govkit.pipeline.run import execute_pipeline

    with chosen_engine(engine, master, start=not dry_run) as spark:
        with progress(f"run {Path(pipeline).name}"):
            report, error = execute_pipeline(
                pipeline,
                governor=STATE.governor(),
                dry_run=dry_run,
                workers=parse_workers(workers) if workers is not None else None,
                overwrite=overwrite,
                engine=spark,
            )
    if format is OutputFormat.json:
        print_json(report)
    elif dry_run:
        _print_plan(report)
    else:
        _print_run(report)
    if report.report_html or report.report_json:
        say(f"report: {report.report_html or report.report_json}")
    if error is not None:
        published = [o.name for o in report.outputs if o.published]
        say(f"published only: {', '.join(published)}" if published else "nothing was published")
        raise error


def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the project.")],
    force: Annotated[
        bool, typer.Option("--force", help="Write into a directory that is not empty.")
    ] = False,
    no_keys: Annotated[
        bool,
        typer.Option("--no-keys", help="Do not create a master key file and keyring."),
    ] = False,
    sample_data: Annotated[
        Path | None,
        typer.Option(help="Folder with the sample CSVs (default: the repository's examples/data)."),
    ] = None,
) -> None:
    """Create a governance project that runs as is on the sample data.

    Example: govkit init myproject && cd myproject && govkit run pipeline.yaml
    """
    from govkit.pipeline.scaffold import scaffold

    result = scaffold(
        directory,
        force=force,
        keys=not no_keys,
        sample_data=sample_data,
        governor=STATE.governor(),
    )
    for path in result.files:
        say(f"created {path}")
    say(f"next: cd {directory} && govkit run pipeline.yaml")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(run)
    app.command()(init)
