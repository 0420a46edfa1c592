"""The scan's sample pass: the n smallest keys in row order, and every row counted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from govkit.datasets import files, open_dataset
from govkit.detect.scan import sample_rows
from govkit.errors import DatasetError


@pytest.fixture(params=["read whole", "streamed"], autouse=True)
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here runs on both sample paths: the file read at once, and streamed."""
    if request.param == "streamed":
        monkeypatch.setattr(files, "WHOLE_READ_MAX", -1)
    return str(request.param)


def _numbers(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "n.csv"
    path.write_text("n\n" + "".join(f"{i}\n" for i in range(rows)), encoding="utf-8")
    return path


def _bottom_k(rows: int, n: int, seed: int = 0) -> list[int]:
    """The rule, at once: every row's key drawn in order, the n smallest keys, in row order."""
    keys = np.random.default_rng(seed).random(rows)
    return sorted(np.argsort(keys, kind="stable")[:n].tolist())


@pytest.mark.parametrize(
    ("rows", "n", "batch_rows"),
    [
        (20_000, 500, 1_000),  # cut back many times
        (20_000, 500, 7),  # tiny batches: most are skipped whole
        (20_000, 1, 333),
        (20_000, 5_000, 65_536),  # one batch larger than the slack
        (1_999, 2_000, 100),  # fewer rows than the sample: every row, in order
        (2_000, 2_000, 100),
        (2_001, 2_000, 100),  # one row too many: exactly one is dropped
        (9_000, 2_000, 1),  # one row per batch
    ],
)
def test_sample_is_the_n_smallest_keys_in_row_order(
    tmp_path: Path, rows: int, n: int, batch_rows: int
) -> None:
    table, total = sample_rows(
        open_dataset(str(_numbers(tmp_path, rows)), batch_rows=batch_rows), n
    )
    assert total == rows
    assert [int(v) for v in table.column("n").to_pylist()] == _bottom_k(rows, n)


def test_a_header_only_file_gives_an_empty_sample(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("a,b\n", encoding="utf-8")
    table, total = sample_rows(open_dataset(str(path)), 10)
    assert (total, table.num_rows, table.column_names) == (0, 0, ["a", "b"])


@pytest.mark.parametrize(
    ("data", "rows"),
    [
        (b'a,b\n1,"two\nlines"\n3,x\n', [("1", "two\nlines"), ("3", "x")]),
        (b'a,b\r\n1,"cr\r\nlf"\r\n3,x\r\n', [("1", "cr\r\nlf"), ("3", "x")]),
        (b"\xef\xbb\xbfa,b\n1,x\n", [("1", "x")]),  # BOM
        ("a,b\n张伟,北京\n".encode("gb18030"), [("张伟", "北京")]),
        (b"a,b\n1,x\n2,y", [("1", "x"), ("2", "y")]),  # no newline at the end
        (b"a,b\n1,x\n\n\n2,y\n\n", [("1", "x"), ("2", "y")]),  # empty lines are no rows
        (b'a,b\n"say ""hi""",x\n', [('say "hi"', "x")]),
        (b"a,b\n", []),
    ],
    ids=["quoted-newline", "crlf", "bom", "gb18030", "no-last-newline", "empty-lines",
         "doubled-quotes", "header-only"],
)  # fmt: skip
def test_sample_pass_counts_and_keeps_every_row(
    tmp_path: Path, data: bytes, rows: list[tuple[str, str]]
) -> None:
    """A sample larger than the file is the whole file, in order, and the count is its rows."""
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    table, total = sample_rows(open_dataset(str(path), batch_rows=1), 100)
    assert total == len(rows)
    assert list(zip(*(table.column(c).to_pylist() for c in ("a", "b")), strict=True)) == rows


@pytest.mark.parametrize(
    ("data", "whole"),
    [
        (b"a,b\n1,x\n", True),
        (b"\xef\xbb\xbfa,b\n1,x\n", False),  # a BOM: decoded in Python, streamed
        ("a,b\n张伟,北京\n".encode("gb18030"), False),  # transcoded: streamed
    ],
    ids=["utf-8", "bom", "gb18030"],
)
def test_only_utf8_files_within_the_limit_are_read_whole(
    tmp_path: Path, path: str, data: bytes, whole: bool
) -> None:
    file = tmp_path / "f.csv"
    file.write_bytes(data)
    dataset = open_dataset(str(file))
    assert isinstance(dataset, files.CsvDataset)
    got = dataset.read_whole()
    assert (got is not None) == (whole and path == "read whole")
    if got is not None:
        assert got.equals(dataset.read_all())


def test_an_overlong_cell_fails_alike_on_both_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVKIT_MAX_CELL_CHARS", "5")
    file = tmp_path / "f.csv"
    file.write_text("a,b\n1,x\n2,toolongvalue\n", encoding="utf-8")
    with pytest.raises(DatasetError) as raised:
        sample_rows(open_dataset(str(file)), 10)
    assert "toolongvalue" not in str(raised.value)
    message = str(raised.value)
    with pytest.raises(DatasetError) as streamed:
        list(open_dataset(str(file)).batches())
    assert str(streamed.value) == message
