"""Item 11: limits on unpacked .xlsx size, columns and cell length; clear errors; flags raise them."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import CliResult


def _bomb(path: Path, megabytes: int) -> Path:
    """A valid-looking workbook whose sheet XML unpacks to ``megabytes`` (compresses to little)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["a"])
    book.save(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/padding.bin", b"\0" * (megabytes * 1024 * 1024))
    return path


def _wide(path: Path, columns: int) -> Path:
    path.write_text(
        ",".join(f"c{i}" for i in range(columns)) + "\n" + ",".join("1" * columns) + "\n"
    )
    return path


def _long_cell(path: Path, chars: int) -> Path:
    pq.write_table(pa.table({"note": ["x" * chars + " 18913046498"]}), path)
    return path


CASES = [
    # (id, make, flags, expected exit, message)
    ("xlsx-bomb", lambda t: _bomb(t / "b.xlsx", 40), ["--max-xlsx-mb", "20"], 3,
     "unpacks to 40 MB, over the 20 MB limit; raise the limit with --max-xlsx-mb"),
    ("xlsx-raised", lambda t: _bomb(t / "b.xlsx", 40), ["--max-xlsx-mb", "60"], 0, '"rows": 0'),
    ("wide", lambda t: _wide(t / "w.csv", 12_000), [], 3,
     "12,000 columns, over the 10,000-column limit; raise the limit with --max-columns"),
    ("wide-raised", lambda t: _wide(t / "w.csv", 12_000), ["--max-columns", "20000"], 0, '"rows": 1'),
    ("long-cell", lambda t: _long_cell(t / "l.parquet", 200_000), ["--max-cell-chars", "100000"], 3,
     "column 'note' has a cell of 200,012 characters, over the 100,000-character limit"),
    ("long-raised", lambda t: _long_cell(t / "l.parquet", 200_000), [], 0, '"rows": 1'),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "flags", "code", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_limits(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    make: Callable[[Path], Path],
    flags: list[str],
    code: int,
    message: str,
) -> None:
    for name in ("GOVKIT_MAX_XLSX_MB", "GOVKIT_MAX_COLUMNS", "GOVKIT_MAX_CELL_CHARS"):
        monkeypatch.delenv(name, raising=False)
    path = make(tmp_path)
    result = cli(*flags, "inspect", str(path), "--format", "json")
    for name in ("GOVKIT_MAX_XLSX_MB", "GOVKIT_MAX_COLUMNS", "GOVKIT_MAX_CELL_CHARS"):
        monkeypatch.delenv(name, raising=False)  # the flag set it for this process
    assert result.code == code, result.err
    if code:
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {path}: ") and message in lines[0]
    else:
        assert message in result.out


def test_bad_limit_value_is_a_usage_error(
    tmp_path: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVKIT_MAX_COLUMNS", "lots")
    result = cli("inspect", str(_wide(tmp_path / "w.csv", 3)))
    assert result.code == 2
    assert "GOVKIT_MAX_COLUMNS='lots': expected a whole number" in result.err


@pytest.mark.parametrize(("flags", "code"), [(["--max-cell-chars", "1000"], 3), ([], 0)])
def test_cell_limit_on_a_database_table(
    tmp_path: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch,
    flags: list[str], code: int,
) -> None:  # fmt: skip
    import sqlite3

    monkeypatch.delenv("GOVKIT_MAX_CELL_CHARS", raising=False)
    db = tmp_path / "d.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT)")
        conn.execute("INSERT INTO t VALUES (1, ?)", ("y" * 5000,))
    result = cli(*flags, "inspect", f"sqlite:///{db}", "--table", "t")
    monkeypatch.delenv("GOVKIT_MAX_CELL_CHARS", raising=False)
    assert result.code == code, result.err
    if code:
        assert "column 'note' has a cell of 5,000 characters" in result.err
