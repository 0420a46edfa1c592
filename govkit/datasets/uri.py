"""Naming data: file paths and SQLAlchemy URLs, with credentials kept out of sight."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

FileFormat = Literal["csv", "tsv", "jsonl", "parquet", "xlsx"]

SUFFIX_FORMATS: dict[str, FileFormat] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xlsx": "xlsx",
}

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_USERINFO = re.compile(r"^(?P<scheme>[^:/]+://)(?P<user>[^:@/]*)(?::[^@/]*)?@")


def is_sql_url(uri: str) -> bool:
    """Return True when ``uri`` looks like a SQLAlchemy URL (``scheme://…``)."""
    return bool(_SCHEME.match(uri))


def redact_url(uri: str) -> str:
    """Return ``uri`` with any password replaced by ``***``; paths pass unchanged."""
    if not is_sql_url(uri):
        return uri
    return _USERINFO.sub(
        lambda m: f"{m['scheme']}{m['user']}:***@" if m.group(0).count(":") > 1 else m.group(0),
        uri,
    )


def file_format(path: Path) -> FileFormat | None:
    """Return the format a file's suffix names, or None when unsupported."""
    return SUFFIX_FORMATS.get(path.suffix.lower())
