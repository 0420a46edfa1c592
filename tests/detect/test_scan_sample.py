"""The scan's sample pass and its column profiling on threads give what the plain rule gives."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

import govkit.detect.scan as scan_module
from govkit.datasets import open_dataset
from govkit.detect.columns import ColumnProfile
from govkit.detect.scan import sample_rows, scan_dataset
from govkit.detect.text import TextDetector
from govkit.errors import DetectionError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scan"


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


def _profiles(table: pa.Table) -> dict[str, ColumnProfile]:
    return scan_module._sample_profiles("t.csv", table, TextDetector.default())


@pytest.mark.parametrize(
    "fixture", ["tricky.csv", "gb18030.csv", "generated/customers.csv", "generated/tickets.csv"]
)
def test_profiles_on_threads_equal_one_column_after_the_other(
    monkeypatch: pytest.MonkeyPatch, fixture: str
) -> None:
    path = FIXTURES / fixture
    table, _ = sample_rows(open_dataset(str(path)), 200)
    monkeypatch.setattr(scan_module, "PROFILE_THREADS", 1)
    alone = _profiles(table)
    serial = scan_dataset(open_dataset(str(path)), sample_size=200)
    monkeypatch.setattr(scan_module, "PROFILE_THREADS", 4)
    assert list(_profiles(table)) == table.column_names
    assert _profiles(table) == alone
    assert scan_dataset(open_dataset(str(path)), sample_size=200) == serial


@pytest.mark.parametrize(
    ("failing", "named"),
    [({"b", "c"}, "'b'"), ({"c"}, "'c'"), ({"a", "c"}, "'a'")],
)
def test_the_first_failing_column_in_order_is_named(
    monkeypatch: pytest.MonkeyPatch, failing: set[str], named: str
) -> None:
    """Whichever thread fails first, the error names the first failing column, as one by one."""
    release = threading.Event()
    real = scan_module._sample_profile

    def profile(column: pa.ChunkedArray, detector: TextDetector) -> ColumnProfile:
        name = column[0].as_py()
        if name == max(failing):
            release.set()  # the last failing column fails first
        elif name in failing:
            release.wait(timeout=5)
        if name in failing:
            raise ValueError("cannot")
        return real(column, detector)

    table = pa.table({n: pa.array([n, n], pa.string()) for n in ("a", "b", "c", "d")})
    monkeypatch.setattr(scan_module, "_sample_profile", profile)
    monkeypatch.setattr(scan_module, "PROFILE_THREADS", 4)
    with pytest.raises(DetectionError, match=f"column {named} could not be examined"):
        _profiles(table)


@pytest.mark.parametrize(
    ("spacy_model", "columns", "cpus", "threads"),
    [
        (None, 14, 2, 2),
        (None, 14, 8, 2),
        (None, 1, 8, 1),  # one column: no pool
        (None, 14, 1, 1),  # one core: no pool
        (None, 14, None, 1),  # core count unknown
        ("en_core_web_sm", 14, 8, 1),  # a spaCy pipeline is not shared across threads
    ],
)
def test_profiling_threads(
    monkeypatch: pytest.MonkeyPatch,
    spacy_model: str | None,
    columns: int,
    cpus: int | None,
    threads: int,
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    detector = TextDetector(spacy_model=spacy_model)
    assert scan_module._profile_threads(detector, columns) == threads


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
