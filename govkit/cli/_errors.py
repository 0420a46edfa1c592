"""The one place where errors become exit codes and ``Error:`` lines.

0 clean · 1 compliance failure · 2 usage error · 3 operational error.
"""

from __future__ import annotations

import sys
import traceback

import typer

from govkit.datasets.uri import scrub_urls
from govkit.errors import ComplianceFailure, GovkitError, UsageError

EXIT_OK = 0
EXIT_COMPLIANCE = 1
EXIT_USAGE = 2
EXIT_OPERATIONAL = 3


def exit_code(exc: BaseException) -> int:
    """Return the exit code the contract assigns to an exception."""
    if isinstance(exc, ComplianceFailure):
        return EXIT_COMPLIANCE
    if isinstance(exc, UsageError):
        return EXIT_USAGE
    if isinstance(exc, typer.TyperException):  # Click's usage errors, as vendored by Typer
        return int(getattr(exc, "exit_code", EXIT_USAGE))
    return EXIT_OPERATIONAL


def error_line(exc: BaseException) -> str:
    """Return the one-line message for an exception (never a raw value for foreign ones)."""
    if isinstance(exc, typer.TyperException):
        text = exc.format_message()
    elif isinstance(exc, GovkitError):
        text = str(exc)
    else:
        # A foreign exception's text may quote data; name only its type.
        text = f"internal error ({type(exc).__name__}); run with --debug for the traceback"
    return "Error: " + " ".join(scrub_urls(text).split())


def report(exc: BaseException, *, debug: bool) -> int:
    """Print the error line (and the traceback with ``--debug``); return the exit code."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    print(error_line(exc), file=sys.stderr)
    return exit_code(exc)
