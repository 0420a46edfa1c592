"""A run killed while staging publishes nothing: consumers see the old outputs or none."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pipeline._killed import big_project, kill_once_staged, visible


@pytest.mark.slow
def test_killed_run_publishes_nothing(tmp_path: Path) -> None:
    pipeline = big_project(tmp_path, [f"out/c{i}.csv" for i in range(6)])
    kill_once_staged(pipeline)
    assert visible(pipeline.parent / "out") == []
