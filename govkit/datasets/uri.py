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
    """Return True when ``uri`` looks like a SQLAlchemy URL (``scheme://…``).

    Surrounding whitespace is ignored: a URL pasted with a leading space is a URL,
    not a file path.
    """
    return bool(_SCHEME.match(uri.strip()))


def _userinfo_end(rest: str) -> int:
    """Index of the ``@`` ending the user part of ``rest`` (after ``scheme://``), or -1.

    A password may hold ``/``, ``?``, ``#`` or even a raw ``@``: to be safe the
    user part runs to the *last* ``@`` (file databases, ``sqlite:////…``, have none).
    """
    return -1 if rest.startswith("/") else rest.rfind("@")


def raw_at_in_userinfo(uri: str) -> bool:
    """True when the user part of a URL holds a raw ``@`` (it must be written ``%40``)."""
    if not is_sql_url(uri):
        return False
    rest = uri.strip().split("://", 1)[1]
    return not rest.startswith("/") and rest.count("@") > 1


def redact_url(uri: str) -> str:
    """Return ``uri`` with any password replaced by ``***``; paths pass unchanged.

    Hides the password as a reader sees it (up to the last ``@`` of the user part)
    and as SQLAlchemy's ``make_url`` parses it, whichever is longer, so a
    password holding ``/``, ``:``, ``?``, ``#`` or a raw ``@`` never shows.
    Password-like query parameters are masked too.
    """
    if not is_sql_url(uri):
        return uri
    scheme, rest = uri.strip().split("://", 1)
    secrets = _sqlalchemy_password(uri)
    at = _userinfo_end(rest)
    if at >= 0:
        user, colon, _ = rest[:at].partition(":")
        rest = f"{user}{':***' if colon else ''}{rest[at:]}"
    head, qmark, query = rest.partition("?")
    rest = head + _SECRET_PARAMS.sub(r"\1***", qmark + query)
    for secret in secrets:
        rest = rest.replace(secret, "***")
    return f"{scheme}://{rest}"


def _sqlalchemy_password(uri: str) -> list[str]:
    """The password as SQLAlchemy would send it, raw and percent-encoded (if long enough)."""
    from urllib.parse import quote

    import sqlalchemy as sa

    try:
        password = sa.engine.make_url(uri.strip()).password
    except Exception:  # noqa: BLE001 - any parse failure: the reader's view is used alone
        return []
    if not password or len(str(password)) < 3:
        return []
    return sorted({str(password), quote(str(password), safe="")}, key=len, reverse=True)


_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s'\"<>]*[^\s'\"<>:,.;)]")


def scrub_urls(text: str) -> str:
    """Return ``text`` with the password of every URL in it replaced by ``***``."""
    return _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0)), text)


def file_format(path: Path) -> FileFormat | None:
    """Return the format a file's suffix names, or None when unsupported."""
    return SUFFIX_FORMATS.get(path.suffix.lower())


TABLE_PREFIX = "spark-table:"
"""Prefix of a table in the Spark session's catalog: ``spark-table:db.table``."""
HADOOP_SCHEMES = ("hdfs://", "s3a://", "s3://", "abfss://", "gs://", "file://", "dbfs:/")
"""File-system URIs that only the Spark engine reads."""


def is_spark_table(uri: str) -> bool:
    """``spark-table:db.table`` names a table of the session's catalog."""
    return uri.startswith(TABLE_PREFIX)


def is_spark_uri(uri: str) -> bool:
    """A name only the Spark engine reads: a Spark table or a Hadoop file system URI."""
    return is_spark_table(uri) or uri.startswith(HADOOP_SCHEMES)
