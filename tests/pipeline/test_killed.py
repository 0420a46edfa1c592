"""A run killed while staging publishes nothing: consumers see the old outputs or none."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govkit.pipeline.publish import STAGE_MARK
from tests.pipeline._project import make_project, output

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_killed_run_publishes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "big"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "generate.py"),
            "--out",
            str(data),
            "--customers",
            "20000",
        ],
        check=True,
        capture_output=True,
    )
    outputs = [
        output(f"c{i}", "customers", "analyst", "analytics", f"out/c{i}.csv") for i in range(6)
    ]
    pipeline = make_project(
        tmp_path / "p",
        sources={"customers": {"uri": str(data / "customers.csv")}},
        outputs=outputs,
    )
    out = pipeline.parent / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "govkit", "--quiet", "run", str(pipeline)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and any(STAGE_MARK in p.name for p in out.iterdir()):
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it staged anything"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    visible = [p.name for p in out.iterdir() if not p.name.startswith(".")]
    assert visible == []
