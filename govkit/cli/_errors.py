"""Where errors become ``Error:`` lines; the exit code is the error class's (govkit.errors).

0 clean · 1 compliance failure · 2 usage error · 3 operational error.
"""

from __future__ import annotations

import sys
import traceback

import typer

from govkit.errors import EXIT_OK, EXIT_OPERATIONAL, EXIT_USAGE, GovkitError, exit_code_of

__all__ = ["EXIT_OK", "EXIT_OPERATIONAL", "error_line", "exit_code", "report"]


def exit_code(exc: BaseException) -> int:
    """Return the exit code the contract assigns to an exception (the class's own)."""
    if isinstance(exc, typer.TyperException):  # Click's usage errors, as vendored by Typer
        return int(getattr(exc, "exit_code", EXIT_USAGE))
    return exit_code_of(exc)


def error_line(exc: BaseException) -> str:
    """Return the one-line message for an exception (never a raw value for foreign ones)."""
    if isinstance(exc, typer.TyperException):
        text = exc.format_message()
    elif isinstance(exc, GovkitError):
        text = str(exc)
    else:
        # A foreign exception's text may quote data; name only its type.
        text = f"internal error ({type(exc).__name__}); run with --debug for the traceback"
    return "Error: " + " ".join(text.split())


def report(exc: BaseException, *, debug: bool) -> int:
    """Print the error line (and the traceback with ``--debug``); return the exit code."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    print(error_line(exc), file=sys.stderr)
    return exit_code(exc)
