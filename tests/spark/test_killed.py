"""A driver killed mid-protect publishes nothing, the audit chain verifies, the rerun succeeds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from govkit.audit.api import verify_log
from govkit.pipeline.context import pipeline_governor
from govkit.pipeline.model import load_pipeline
from govkit.spark.frames import STAGE_MARK
from tests.pipeline._project import make_project, output
from tests.spark._cli import SPARK_ARGS, govkit
from tests.spark.conftest import processes_under

pytestmark = [pytest.mark.xdist_group("spark"), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def _visible(out: Path) -> list[str]:
    """What a consumer sees in ``out/`` (staging directories are hidden)."""
    return (
        sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) if out.exists() else []
    )


def test_killed_driver_publishes_nothing_and_the_rerun_succeeds(tmp_path: Path) -> None:
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
        output(f"c{i}", "customers", "analyst", "analytics", f"out/c{i}.parquet") for i in range(3)
    ]
    pipeline = make_project(
        tmp_path / "p", sources={"customers": {"uri": str(data / "customers.csv")}}, outputs=outputs
    )
    out = pipeline.parent / "out"
    env = dict(os.environ, PYSPARK_SUBMIT_ARGS=SPARK_ARGS + " pyspark-shell")
    proc = subprocess.Popen(
        [sys.executable, "-m", "govkit", "--quiet", "run", str(pipeline), "--engine", "spark"],
        cwd=pipeline.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    staged = False
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and any(STAGE_MARK in p.name for p in out.iterdir()):
            staged = True
            break
        time.sleep(0.05)
    assert staged and proc.poll() is None, "the run ended before Spark staged anything"
    os.kill(proc.pid, signal.SIGKILL)  # the driver: Python dies, its JVM follows
    proc.wait()
    assert _visible(out) == []
    deadline = time.monotonic() + 30  # the driver JVM exits a few seconds after its Python
    while processes_under(pipeline.parent) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert processes_under(pipeline.parent) == []

    settings = pipeline_governor(load_pipeline(pipeline), None).settings
    result = verify_log(settings, record=False)
    assert result.ok, result.findings

    done = govkit("run", str(pipeline), "--engine", "spark", cwd=pipeline.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _visible(out) == [f"c{i}.parquet" for i in range(3)]
    assert pq.read_table(out / "c0.parquet").num_rows > 10_000
    assert verify_log(settings, record=False).ok
