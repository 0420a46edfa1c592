"""A file's SHA-256 is computed once while the file is unchanged, and again once it changes."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from govkit.datasets import files
from govkit.datasets.files import CsvDataset

ROWS = "id,phone\n1,13812345678\n2,13912345678\n"


def _sha(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _rewrite_same_size(path: Path) -> None:
    path.write_text(ROWS.replace("1381", "1371"), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # even on a coarse clock


def _append(path: Path) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write("3,13712345678\n")


def _replace(path: Path) -> None:  # a new file moved over the old one: a new inode
    new = path.with_suffix(".new")
    new.write_text(ROWS.replace("2,", "9,"), encoding="utf-8")
    os.replace(new, path)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = files._sha256_of

    def sha256_of(path: Path) -> str:
        calls.append(1)
        return real(path)

    monkeypatch.setattr(files, "_sha256_of", sha256_of)
    monkeypatch.setattr(files, "_FINGERPRINTS", {})
    return calls


def test_an_unchanged_file_is_hashed_once(tmp_path: Path, counted: list[int]) -> None:
    path = tmp_path / "t.csv"
    path.write_text(ROWS, encoding="utf-8")
    first = CsvDataset(path).fingerprint()
    assert first == _sha(path)
    assert CsvDataset(path).fingerprint() == first  # another dataset over the same file
    assert len(counted) == 1


@pytest.mark.parametrize(
    "change", [_rewrite_same_size, _append, _replace], ids=["same-size", "append", "replace"]
)
def test_a_changed_file_is_hashed_again(
    tmp_path: Path, counted: list[int], change: Callable[[Path], None]
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(ROWS, encoding="utf-8")
    before = CsvDataset(path).fingerprint()
    change(path)
    after = CsvDataset(path).fingerprint()
    assert after == _sha(path) and after != before
    assert len(counted) == 2


def test_the_memo_is_bounded(
    tmp_path: Path, counted: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "_FINGERPRINTS_KEPT", 3)
    paths = []
    for i in range(5):
        paths.append(tmp_path / f"t{i}.csv")
        paths[-1].write_text(ROWS + f"{i},x\n", encoding="utf-8")
        CsvDataset(paths[-1]).fingerprint()
    assert len(files._FINGERPRINTS) == 3
    CsvDataset(paths[0]).fingerprint()  # the oldest was dropped: hashed again
    assert len(counted) == 6
