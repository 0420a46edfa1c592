"""Where a pipeline may write: inside its output roots, and over files it published itself.

A pipeline's file outputs must lie under one of its *output roots*: the pipeline
file's folder, plus any folder listed under ``output_roots:``. An existing file
at an output path is replaced only when govkit published it (the ledger
``.govkit/published.json`` beside the pipeline file remembers size and mtime of
every file a run published) or when ``--overwrite`` is given.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from govkit._files import write_text_atomic
from govkit.datasets.uri import is_spark_uri, is_sql_url
from govkit.errors import OutputExistsError, PipelineError

LEDGER = Path(".govkit") / "published.json"


def _ledger(base: Path) -> dict[str, list[int]]:
    try:
        data = json.loads((base / LEDGER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _stamp(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns]


def check_targets(
    targets: list[tuple[str, str, str | None]],
    base: Path,
    roots: list[Path],
    *,
    overwrite: bool,
    source_file: Path | None,
) -> None:
    """Refuse file targets outside ``roots`` and files govkit did not publish.

    Args:
        targets: ``(output name, resolved uri, table)`` of every output.
        base: the pipeline's folder (holds the ledger).
        roots: the allowed folders (resolved).
        overwrite: replace existing files govkit did not publish.
        source_file: the pipeline file, for messages.

    Raises:
        PipelineError: a target lies outside every output root.
        OutputExistsError: a target exists, was not published by govkit, and no --overwrite.
    """
    ledger = _ledger(base)
    allowed = [r.resolve() for r in roots]
    where = source_file or base / "pipeline.yaml"
    for name, uri, _ in targets:
        if is_sql_url(uri) or is_spark_uri(uri):  # tables and cluster paths: not local files
            continue
        target = Path(uri).resolve()
        if not any(target.is_relative_to(root) for root in allowed):
            raise PipelineError(
                f"{uri}: output {name!r} is outside the pipeline's output roots "
                f"({', '.join(str(r) for r in allowed)}); list its folder under "
                f"'output_roots' in {where} to allow it"
            )
        if target.is_file() and not overwrite and ledger.get(str(target)) != _stamp(target):
            raise OutputExistsError(
                f"{uri}: output {name!r} would replace a file govkit did not publish "
                "(or that changed since); pass --overwrite to replace it"
            )


def remember(paths: list[str], base: Path) -> None:
    """Record the files a run just published in the ledger (best effort)."""
    ledger = _ledger(base)
    for uri in paths:
        target = Path(uri).resolve()
        with contextlib.suppress(OSError):
            ledger[str(target)] = _stamp(target)
    with contextlib.suppress(OSError):
        (base / LEDGER).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_text_atomic(base / LEDGER, json.dumps(ledger, indent=1, sort_keys=True) + "\n")
