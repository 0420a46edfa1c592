"""A dataset's identity in the audit log: one spelling per dataset, whoever named it how.

``./f.xlsx``, ``f.xlsx`` and ``/abs/f.xlsx`` are one file; a database table is its URL
without credentials plus ``#table``. Events are stored under this identity, so the
auditor's questions ("who touched this dataset?") match however a command named it.
In-memory data (``<dataframe>``) and bare dataset names stay as they are.
"""

from __future__ import annotations

import os
from pathlib import Path

from govkit.datasets.uri import redact_url

FILE_SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".json", ".parquet", ".xlsx", ".xls", ".gz")


def _is_path(value: str) -> bool:
    if value.startswith("<") or "://" in value:
        return False
    if os.sep in value or value.startswith("."):
        return True
    return value.lower().endswith(FILE_SUFFIXES) or Path(value).exists()


def canonical_dataset(value: str, *, base: Path | None = None) -> str:
    """The dataset's canonical identity: absolute path, or redacted URL (``#table`` kept)."""
    text = value.strip()
    if "://" in text:
        return redact_url(text)
    if not _is_path(text):
        return text
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    return os.path.normpath(path)


def same_dataset(event_dataset: str | None, wanted: set[str]) -> bool:
    """True when the event's dataset is one of ``wanted``, or a table of a database in it."""
    if not event_dataset:
        return False
    return event_dataset in wanted or event_dataset.split("#", 1)[0] in wanted
