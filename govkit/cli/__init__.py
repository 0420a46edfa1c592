"""The govkit command line: a thin shell over the library.

Each command parses its arguments, calls one library function of the same name
and renders the result. Errors become one ``Error:`` line and an exit code in
``_errors.py``; nothing here imports presidio, great_expectations or pyspark at
module level, so ``govkit --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from govkit._version import __version__
from govkit.cli import _errors, _state
from govkit.cli import audit as audit_cmd
from govkit.cli import config as config_cmd
from govkit.cli import datasets as datasets_cmd
from govkit.cli import doctor as doctor_cmd
from govkit.cli import keys as keys_cmd
from govkit.cli import policy as policy_cmd
from govkit.cli import protect as protect_cmd
from govkit.cli import redact as redact_cmd
from govkit.cli import run as run_cmd
from govkit.cli import scan as scan_cmd
from govkit.cli import serve as serve_cmd
from govkit.cli import users as users_cmd
from govkit.cli import validate as validate_cmd

app = typer.Typer(
    name="govkit",
    help="Privacy and data-governance gate: scan, protect, validate, enforce access, audit.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"govkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress or notes on stderr.")
    ] = False,
    wide: Annotated[
        bool, typer.Option("--wide", help="Tables: every column, never cut to the terminal.")
    ] = False,
    actor: Annotated[
        str | None, typer.Option(help="Who the audit log names [GOVKIT_ACTOR].")
    ] = None,
    audit_url: Annotated[
        str | None, typer.Option(help="Audit store URL [GOVKIT_AUDIT_URL].")
    ] = None,
    policy_dir: Annotated[
        Path | None, typer.Option(help="Policy directory [GOVKIT_POLICY_DIR].")
    ] = None,
    expectations_dir: Annotated[
        Path | None, typer.Option(help="Expectation suites [GOVKIT_EXPECTATIONS_DIR].")
    ] = None,
    keyring: Annotated[Path | None, typer.Option(help="Keyring path [GOVKIT_KEYRING].")] = None,
    region: Annotated[
        list[str] | None,
        typer.Option(
            "--region",
            help="Phone regions whose national formats count (repeat or CN,US; "
            "default CN,HK,MO,TW,US,GB) [GOVKIT_REGIONS].",
        ),
    ] = None,
    max_columns: Annotated[
        int | None, typer.Option(min=1, help="Column limit [GOVKIT_MAX_COLUMNS, 10000].")
    ] = None,
    max_cell_chars: Annotated[
        int | None, typer.Option(min=1, help="Cell length limit [GOVKIT_MAX_CELL_CHARS].")
    ] = None,
    max_xlsx_mb: Annotated[
        int | None, typer.Option(min=1, help="Unpacked .xlsx limit, MB [GOVKIT_MAX_XLSX_MB].")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Make customer data safe before anyone analyses it."""
    from govkit.normalize import set_regions

    given, hint = (",".join(region), "--region") if region else (None, "GOVKIT_REGIONS")
    try:
        set_regions(given or os.environ.get("GOVKIT_REGIONS") or None)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=hint) from None
    for name, value in (
        ("GOVKIT_MAX_COLUMNS", max_columns),
        ("GOVKIT_MAX_CELL_CHARS", max_cell_chars),
        ("GOVKIT_MAX_XLSX_MB", max_xlsx_mb),
    ):
        if value is not None:  # the datasets layer reads limits from the environment
            os.environ[name] = str(value)
    _state.reset(
        debug,
        quiet,
        wide,
        actor=actor,
        audit_url=audit_url,
        policy_dir=policy_dir,
        expectations_dir=expectations_dir,
        keyring=keyring,
    )


for _module in (
    scan_cmd,
    protect_cmd,
    validate_cmd,
    policy_cmd,
    audit_cmd,
    keys_cmd,
    run_cmd,
    datasets_cmd,
    redact_cmd,
    doctor_cmd,
    config_cmd,
    serve_cmd,
    users_cmd,
):
    _module.register(app)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit code (used by ``main`` and tests)."""
    args = sys.argv[1:] if argv is None else argv
    from govkit.datasets.limits import DEFAULTS as LIMITS

    # --max-* flags reach the datasets layer through the environment, for this command only.
    saved = {name: os.environ.get(name) for name in LIMITS}
    try:
        return _invoke(args)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _invoke(args: list[str]) -> int:
    try:
        result = app(args=args, prog_name="govkit", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        print("Error: aborted", file=sys.stderr)
        return _errors.EXIT_OPERATIONAL
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place every error is reported
        return _errors.report(exc, debug=_state.STATE.debug or "--debug" in args)
    return result if isinstance(result, int) else _errors.EXIT_OK


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
