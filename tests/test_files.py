"""Atomic small-file writes: the mode asked for, the old content until the rename, no debris."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from govkit._files import write_text_atomic


@pytest.mark.parametrize(("mode", "fsync"), [(0o644, False), (0o600, True)])
def test_writes_text_with_the_mode_asked_for(tmp_path: Path, mode: int, fsync: bool) -> None:
    target = tmp_path / "catalog.yaml"
    target.write_text("old", encoding="utf-8")
    write_text_atomic(target, "新的 content\n", mode=mode, fsync=fsync)
    assert target.read_text(encoding="utf-8") == "新的 content\n"
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.yaml"]


def test_a_failed_rename_keeps_the_target_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report"
    target.mkdir()  # a directory in the way: os.replace cannot put a file over it
    (target / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(OSError):
        write_text_atomic(target, "text")
    assert target.is_dir() and (target / "keep.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]
