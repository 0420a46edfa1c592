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
_SECRET_PARAMS = re.compile(
    r"(?i)([?&](?:password|passwd|pwd|sslpassword|secret|token|api_key|apikey)=)[^&#]*"
)


def is_sql_url(uri: str) -> bool:
    """Return True when ``uri`` looks like a SQLAlchemy URL (``scheme://…``)."""
    return bool(_SCHEME.match(uri))


def redact_url(uri: str) -> str:
    """Return ``uri`` with any password replaced by ``***``; paths pass unchanged.

    The password is everything between the first ``:`` of the user part and the
    *last* ``@`` before the query, so passwords holding ``/``, ``:`` or a raw
    ``@`` are hidden whole. Password-like query parameters are masked too.
    """
    if not is_sql_url(uri):
        return uri
    scheme, rest = uri.split("://", 1)
    rest, qmark, query = rest.partition("?")
    at = rest.rfind("@")
    if at >= 0:
        user, colon, _ = rest[:at].partition(":")
        rest = f"{user}{':***' if colon else ''}{rest[at:]}"
    query = _SECRET_PARAMS.sub(r"\1***", qmark + query)
    return f"{scheme}://{rest}{query}"


def file_format(path: Path) -> FileFormat | None:
    """Return the format a file's suffix names, or None when unsupported."""
    return SUFFIX_FORMATS.get(path.suffix.lower())
