"""A driver killed mid-protect publishes nothing, the audit chain verifies, the rerun succeeds."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from govkit.audit.api import verify_log
from govkit.pipeline.context import pipeline_governor
from govkit.pipeline.model import load_pipeline
from tests.pipeline._killed import big_project, kill_once_staged, visible
from tests.spark._cli import SPARK_ARGS, govkit
from tests.spark.conftest import processes_under

pytestmark = [pytest.mark.xdist_group("spark"), pytest.mark.slow]


def test_killed_driver_publishes_nothing_and_the_rerun_succeeds(tmp_path: Path) -> None:
    pipeline = big_project(tmp_path, [f"out/c{i}.parquet" for i in range(3)])
    out = pipeline.parent / "out"
    env = dict(os.environ, PYSPARK_SUBMIT_ARGS=SPARK_ARGS + " pyspark-shell")
    kill_once_staged(pipeline, "--engine", "spark", env=env, timeout=300)
    assert visible(out) == []
    deadline = time.monotonic() + 30  # the driver JVM exits a few seconds after its Python
    while processes_under(pipeline.parent) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert processes_under(pipeline.parent) == []

    settings = pipeline_governor(load_pipeline(pipeline), None).settings
    result = verify_log(settings, record=False)
    assert result.ok, result.findings

    done = govkit("run", str(pipeline), "--engine", "spark", cwd=pipeline.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    assert visible(out) == [f"c{i}.parquet" for i in range(3)]
    assert pq.read_table(out / "c0.parquet").num_rows > 10_000
    assert verify_log(settings, record=False).ok
