"""CLI: ``govkit redact`` — personal data out of one text (a chat message, an e-mail).

Reads a file or stdin, writes the text with every span replaced (``<PHONE_NUMBER>``),
or with ``--format json`` the spans only: entity, offsets, score, validator — never
a value. Nothing is written to the audit log: the text never leaves the caller.
"""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Annotated

import typer


class RedactFormat(enum.StrEnum):
    """What ``govkit redact`` prints."""

    text = "text"
    json = "json"


class Style(enum.StrEnum):
    """How a span is replaced."""

    entity = "entity"
    stars = "stars"


def _read(source: str, encoding: str) -> str:
    from govkit.errors import DatasetError, UsageError

    if source == "-":
        data = sys.stdin.buffer.read()
        where = "stdin"
    else:
        path = Path(source)
        if not path.is_file():
            raise UsageError(f"{source}: no such file; give a text file or - for stdin")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DatasetError(f"{source}: cannot be read ({exc.strerror})") from None
        where = source
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise UsageError(f"{where}: not {encoding} text; pass --encoding (e.g. gb18030)") from None


def redact(
    source: Annotated[str, typer.Argument(help="Text file to redact, or - for stdin.")] = "-",
    format: Annotated[
        RedactFormat,
        typer.Option("--format", "-f", help="text: the redacted text; json: the spans only."),
    ] = RedactFormat.text,
    style: Annotated[
        Style, typer.Option("--style", help="entity: <PHONE_NUMBER>; stars: one * per character.")
    ] = Style.entity,
    entity: Annotated[
        list[str] | None,
        typer.Option("--entity", "-e", help="Only this entity (repeatable), e.g. PHONE_NUMBER."),
    ] = None,
    encoding: Annotated[str, typer.Option("--encoding", help="Input encoding.")] = "utf-8",
) -> None:
    """Redact personal data from a text (stdin or a file).

    Example: echo "我是张伟，电话13812345678" | govkit redact
    """
    from govkit.detect.spans import find_spans, redact_text

    text = _read(source, encoding)
    spans = find_spans(text, entities=entity)
    if format == RedactFormat.json:
        payload = {"characters": len(text), "spans": [s.to_dict() for s in spans]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    sys.stdout.write(redact_text(text, spans, style.value))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(redact)
