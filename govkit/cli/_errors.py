"""Where errors become ``Error:`` lines; the exit code is the error class's (govkit.errors).

0 clean · 1 compliance failure · 2 usage error · 3 operational error.
"""

from __future__ import annotations

import re
import sys
import traceback

import typer

from govkit.datasets.uri import scrub_urls
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
    return "Error: " + visible(" ".join(scrub_urls(text).split()))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_DATA_LIKE = re.compile(r"[^\s@]+@[^\s@]+|\d[\d\s-]{5,}\d")


def visible(text: str) -> str:
    """Escape control characters (ANSI/OSC sequences in a column name stay inert)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def scrub_message(exc: BaseException) -> str:
    """An exception's message as a traceback may show it.

    No URL password; for a foreign exception no quoted text, e-mail-like token or
    long number either (they may be data).
    """
    text = scrub_urls(str(exc))
    if not isinstance(exc, GovkitError):
        text = _DATA_LIKE.sub("…", _QUOTED.sub("'…'", text))
    return visible(text)


def debug_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` and its causes, with every message scrubbed."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    chain: list[BaseException] = []
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    for i, item in enumerate(reversed(chain)):
        if i:
            parts.append("\nThe above exception led to the following:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        parts.append(f"{type(item).__module__}.{type(item).__qualname__}: {scrub_message(item)}\n")
    return "".join(parts)


def report(exc: BaseException, *, debug: bool) -> int:
    """Print the error line (and the scrubbed traceback with ``--debug``); return the exit code."""
    if debug:
        print(debug_traceback(exc), file=sys.stderr, end="")
    print(error_line(exc), file=sys.stderr)
    return exit_code(exc)
