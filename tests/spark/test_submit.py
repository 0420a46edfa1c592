"""``spark-submit`` (from the pyspark wheel) of a govkit job against the standalone cluster.

The job is ``examples/spark_job.py`` as docs/spark.md shows it; the master key file is
named only in the driver's environment (``GOVKIT_MASTER_KEY_FILE``), never in the
pipeline, the Spark conf or the executors' environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from govkit.pipeline.run import execute_pipeline
from govkit.spark.cluster import LocalCluster, spark_home
from tests.pipeline._project import edit
from tests.spark._cli import files_holding, key_material
from tests.spark._compare import published_outputs, read_output, sorted_rows, twin_projects

pytestmark = [pytest.mark.xdist_group("spark"), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def test_spark_submit_runs_a_govkit_job_with_keys_on_the_driver_only(
    tmp_path: Path, spark_cluster: LocalCluster
) -> None:
    local, remote = twin_projects(tmp_path)
    _, error = execute_pipeline(local)
    assert error is None
    key_file = remote.parent / ".govkit" / "master.key"

    def no_key_file(data: dict[str, Any]) -> None:
        del data["keys"]["master_key_file"]

    edit(remote, no_key_file)
    assert "master.key" not in remote.read_text(encoding="utf-8")
    events = tmp_path / "events"
    events.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKIT_", "PYSPARK_"))}
    env.update(PYTHONPATH=str(ROOT), GOVKIT_MASTER_KEY_FILE=str(key_file))
    submit = spark_home() / "bin" / "spark-submit"
    done = subprocess.run(
        [
            str(submit),
            "--master", spark_cluster.url,
            "--driver-memory", "1g",
            "--conf", "spark.executor.memory=512m",
            "--conf", "spark.cores.max=2",
            "--conf", f"spark.pyspark.python={sys.executable}",
            "--conf", f"spark.pyspark.driver.python={sys.executable}",
            "--conf", f"spark.executorEnv.PYTHONPATH={ROOT}",
            "--conf", "spark.driver.host=127.0.0.1",
            "--conf", "spark.driver.bindAddress=127.0.0.1",
            "--conf", "spark.ui.enabled=false",
            "--conf", "spark.eventLog.enabled=true",
            "--conf", f"spark.eventLog.dir=file://{events}",
            "--conf", "spark.eventLog.compress=false",  # Spark 4 compresses it: unsearchable
            str(ROOT / "examples" / "spark_job.py"),
            str(remote),
        ],
        cwd=remote.parent,
        env={**env, "SPARK_LOCAL_IP": "127.0.0.1"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"published on {spark_cluster.url}" in done.stdout
    for name, path in published_outputs(local).items():
        a, b = read_output(path), read_output(published_outputs(remote)[name])
        assert a.num_rows == b.num_rows > 0 and sorted_rows(a) == sorted_rows(b), name
    needles = [*key_material(local), str(key_file).encode()]  # twin projects: the same keys
    assert any(events.rglob("*")), "no event log: the check below would prove nothing"
    assert files_holding(events, needles) == []
    assert files_holding(spark_cluster.root, needles) == []
