"""Bad-input matrix: each case exits with the contract's code, one ``Error:`` line naming the
user's path and what to do, no traceback, and nothing left behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

DEEP = b'{"a": ' + b"[" * 10_000 + b"]" * 10_000 + b"}\n"


def _write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


CASES: list[tuple[str, str, bytes, list[str], int, str]] = [
    # (id, file name, content, command, exit code, message)
    ("deep-json", "deep.jsonl", b'{"a": 1}\n' + DEEP, ["scan"], 3, "line 2 is nested more than 64"),
    ("deep-json-inspect", "deep.jsonl", DEEP, ["inspect"], 3, "flatten the records"),
    (
        "nested-then-plain",
        "mixed.jsonl",
        b'{"a": {"x": 1}}\n{"a": "text"}\n',
        ["inspect"],
        3,
        "column 'a' mixes nested and plain values",
    ),
    (
        "plain-then-object",
        "mixed2.jsonl",
        b'{"a": "text"}\n{"a": {"y": [1, 2]}}\n',
        ["inspect"],
        3,
        "column 'a' mixes nested and plain values",
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "command", "code", "message"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_bad_input_matrix(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    data: bytes,
    command: list[str],
    code: int,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path, name, data)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = cli(*command, str(path))
    assert result.code == code, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith(f"Error: {path}: ") and message in lines[0], lines[0]
    assert "Traceback" not in result.err
    after = sorted(p.name for p in tmp_path.iterdir() if p.name != ".govkit")
    assert after == before


@pytest.mark.parametrize(
    ("line", "depth"),
    [(b'{"a": 1}', 1), (b'{"a": "[[[[{{{{"}', 1), (b"[[[]]]", 3), (b"1", 0), (b'"x"', 0)],
)
def test_nesting_depth(line: bytes, depth: int) -> None:
    from govkit.datasets.jsonl import nesting_depth

    assert nesting_depth(line) == depth


def test_deep_line_no_longer_crashes_the_process(tmp_path: Path) -> None:
    """The crash itself, in a child process: exit 3 and an Error line, not SIGSEGV (139)."""
    import subprocess
    import sys

    path = _write(tmp_path, "deep.jsonl", DEEP)
    proc = subprocess.run(
        [sys.executable, "-m", "govkit", "scan", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith(f"Error: {path}: line 1 is nested more than 64")


def _one_error(result: CliResult, code: int, startswith: str, message: str) -> None:
    assert result.code == code, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(startswith) and message in lines[0], result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("ddl", "value", "message"),
    [
        (
            "d DATE",
            "'zhang@qq.com'",
            "a column holds a value that does not match its declared type",
        ),
        ("n INTEGER", "'abc'", "column 'n' holds a value that does not match its declared type"),
        ("n INTEGER", "7", None),
    ],
)
def test_sqlite_declared_type_mismatch(
    tmp_path: Path, cli: Callable[..., CliResult], ddl: str, value: str, message: str | None
) -> None:
    import sqlite3

    db = tmp_path / "d.db"
    with sqlite3.connect(db) as conn:
        conn.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, {ddl})")
        conn.execute(f"INSERT INTO t VALUES (1, {value})")
    url = f"sqlite:///{db}"
    result = cli("inspect", url, "--table", "t")
    if message is None:
        assert result.code == 0, result.err
        return
    _one_error(result, 3, f"Error: {url}#t: ", message)
    debug = cli("--debug", "inspect", url, "--table", "t")
    assert debug.code == 3
    assert "Traceback" in debug.err and "zhang@qq.com" not in debug.err  # scrubbed even here
    assert "qq.com" not in debug.err


def test_quoted_header_with_a_newline_reads(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    path = _write(tmp_path, "nl.csv", b'a,"b\nc",d\n1,2,3\n')
    result = cli("inspect", str(path), "--format", "json")
    assert result.code == 0, result.err
    assert '"b\\nc"' in result.out and '"rows": 1' in result.out


def test_escape_sequences_in_column_names_stay_inert(
    tmp_path: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path, "ansi.csv", b"\x1b]0;pwned\x07name,\x1b[31mred\n1,2\n")
    for args in (["inspect", str(path)], ["scan", str(path)]):
        result = cli(*args)
        assert result.code == 0, result.err
        assert "\x1b" not in result.out + result.err and "\x07" not in result.out + result.err
        assert "\\x1b" in result.out + result.err  # shown, escaped
    dupes = _write(tmp_path, "dupes.csv", b"\x1b[2Jx,\x1b[2Jx\n1,2\n")
    result = cli("inspect", str(dupes))
    _one_error(result, 3, f"Error: {dupes}: ", "duplicate column names: \\x1b[2Jx")


def test_output_writers_refuse_cleanly(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "s.parquet"
    pq.write_table(pa.table({"a\x01b": ["x"]}), src)
    out = tmp_path / "o.xlsx"
    _one_error(cli("copy", str(src), "-o", str(out)), 3, f"Error: {out}: ",
               "the name of column 1 holds control characters")  # fmt: skip
    folder = tmp_path / "isdir.csv"
    folder.mkdir()
    _one_error(cli("copy", str(src), "-o", str(folder)), 3, f"Error: {folder}: ", "is a directory")
    nested = tmp_path / "n.parquet"
    pq.write_table(pa.table({"k": [{"x": 1, "y": [1, 2]}]}), nested)
    assert cli("copy", str(nested), "-o", str(tmp_path / "n.xlsx")).code == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_unwritable_output_folder_is_one_error_line(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    source = _write(tmp_path, "a.csv", b"a\n1\n")
    result = cli("copy", str(source), "-o", "/sys/govkit-never.csv")  # read-only, even for root
    _one_error(result, 3, "Error: /sys/govkit-never.csv: cannot write in /sys", "permissions")
