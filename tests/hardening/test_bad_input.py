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
        "plain-then-nested",
        "mixed2.jsonl",
        b'{"a": "text"}\n{"a": [1, 2]}\n',
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
