"""Item 2: a database password never reaches an Error line, JSON output or the audit log."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from govkit.datasets.uri import is_sql_url, redact_url, scrub_urls
from tests.conftest import CliResult

PASSWORDS = ["Pgs3c?RT4", "RtPw#9?z", "a/b:c?d#e"]


def _everything_written(tmp: Path, result: CliResult) -> str:
    """stdout, stderr and every byte of every file under ``tmp`` (audit DB included)."""
    parts = [result.out, result.err]
    for path in tmp.rglob("*"):
        if path.is_file():
            parts.append(path.read_bytes().decode("utf-8", "replace"))
            if path.suffix == ".db":
                with sqlite3.connect(path) as conn:
                    for (name,) in conn.execute(
                        "SELECT name FROM sqlite_master WHERE type='table'"
                    ):
                        parts.extend(str(r) for r in conn.execute(f'SELECT * FROM "{name}"'))
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        ("postgresql://postgres:Pgs3c?RT4@127.0.0.1:5432/test", "postgres:***@127.0.0.1:5432"),
        ("mysql://u:RtPw#9?z@127.0.0.1:3306/test", "u:***@127.0.0.1:3306"),
        ("postgresql://postgres:RT3@x@127.0.0.1/test", "postgres:***@127.0.0.1"),
        (" postgresql://u:abcd@h/db", "u:***@h/db"),
        ("sqlite:////tmp/a@b/x.db", "sqlite:////tmp/a@b/x.db"),
    ],
)
def test_redact_url_hides_what_sqlalchemy_sends(uri: str, shown: str) -> None:
    assert shown in redact_url(uri)
    password = sa.engine.make_url(uri.strip()).password
    if password and len(str(password)) >= 3:
        assert str(password) not in redact_url(uri)


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("failed: postgresql://u:Pgs3c?RT4@h/db: no table 't'", "Pgs3c"),
        ("x mysql://u:RtPw#9?z@h/db y", "RtPw"),
    ],
)
def test_scrub_urls_in_free_text(text: str, hidden: str) -> None:
    assert hidden not in scrub_urls(text)
    assert "***" in scrub_urls(text)


@pytest.mark.parametrize(("uri", "is_url"), [(" postgresql://h/db", True), ("  x.csv", False)])
def test_leading_space_is_still_a_url(uri: str, is_url: bool) -> None:
    assert is_sql_url(uri) is is_url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://postgres:{pw}@127.0.0.1:5432/test", "no table"),
        ("mysql://u:{pw}@127.0.0.1:3306/test", "cannot connect"),
        (" postgresql://postgres:{pw}@127.0.0.1:5432/test", "no table"),
        ("postgresql://postgres:RT3@{pw}@127.0.0.1:5432/test", "percent-encode it as %40"),
    ],
)
@pytest.mark.parametrize("pw", PASSWORDS)
def test_failed_scan_never_shows_the_password(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str,
    mysql_url: str,
    url: str,
    message: str,
    pw: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("scan", url.format(pw=pw), "--table", "gk_no_such_table_x", "--format", "json")
    assert result.code == 3
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], result.err
    written = _everything_written(tmp_path, result)
    assert pw not in written
    assert pw.split("?")[0] not in written


def test_successful_scan_keeps_the_password_out_of_json_and_audit(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str,
    unique_table: Callable[[str], str],
) -> None:
    table = unique_table("cred")
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE TABLE {table} (id int primary key, phone text)"))
        conn.execute(sa.text(f"INSERT INTO {table} VALUES (1, '13800138000')"))
    try:
        monkeypatch.chdir(tmp_path)
        pw = "Pgs3c?RT4"  # the server trusts 127.0.0.1: any password connects
        url = f"postgresql://postgres:{pw}@127.0.0.1:5432/test"
        result = cli("scan", url, "--table", table, "--format", "json")
        assert result.code == 0, result.err
        assert '"source"' in result.out
        assert (tmp_path / ".govkit" / "audit.db").exists()
        written = _everything_written(tmp_path, result)
        assert "postgres:***@127.0.0.1" in written
        assert "Pgs3c" not in written
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP TABLE {table}"))
        engine.dispose()
