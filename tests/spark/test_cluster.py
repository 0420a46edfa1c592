"""``govkit run --engine spark`` on a real standalone cluster (a master, two workers).

Closures, keys and Arrow batches cross process boundaries here as on any cluster.
The run must publish what the local engine publishes, and neither Spark's logs, the
executors' work directories nor the event log may hold a raw value or a key.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.pipeline.run import execute_pipeline
from govkit.spark.cluster import LocalCluster
from tests.spark._cli import files_holding, govkit, key_material, plant
from tests.spark._compare import (
    audit_sequence,
    published_outputs,
    read_output,
    sorted_rows,
    twin_projects,
)

pytestmark = [pytest.mark.xdist_group("spark"), pytest.mark.slow]

MARKER = "Qzv7Marker寇"


def test_cluster_run_matches_the_local_engine_and_leaks_nothing(
    tmp_path: Path, spark_cluster: LocalCluster
) -> None:
    local, remote = twin_projects(tmp_path)
    for pipeline in (local, remote):
        plant(pipeline.parent / "data" / "customers.csv", "name", MARKER)
    _, error = execute_pipeline(local)
    assert error is None
    events = tmp_path / "events"
    done = govkit(
        "run", str(remote), "--engine", "spark", "--master", spark_cluster.url,
        cwd=remote.parent, event_log=events,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    for name, path in published_outputs(local).items():
        a, b = read_output(path), read_output(published_outputs(remote)[name])
        assert a.num_rows == b.num_rows > 0 and sorted_rows(a) == sorted_rows(b), name
    assert audit_sequence(local) == audit_sequence(remote)

    needles = [MARKER.encode(), *key_material(remote)]
    assert MARKER.encode() in (remote.parent / "data" / "customers.csv").read_bytes()
    assert any(events.rglob("*")), "Spark wrote no event log: the check below would prove nothing"
    assert any((spark_cluster.work_dir).rglob("stderr")), "no executor logs to search"
    assert files_holding(events, needles) == []
    assert files_holding(spark_cluster.root, needles) == []
    assert MARKER not in done.stdout + done.stderr
    assert files_holding(remote.parent / "reports", needles) == []
