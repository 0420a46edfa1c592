"""Real Spark for the engine tests: one ``local[2]`` session and one standalone cluster.

Both are session-scoped and belong to one xdist group (``spark``), so a CI run starts
one JVM session and one cluster (a master and two workers from the pyspark wheel's
``spark-class``, on 127.0.0.1). A Python process holds one SparkContext: tests that
need the cluster run govkit in a subprocess (``--master spark://…``).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govkit.spark.cluster import LocalCluster
from govkit.spark.session import get_session

SMALL = {
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.driver.memory": "1g",
}


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A ``local[2]`` session, stopped at the end of the test session."""
    warehouse = tempfile.mkdtemp(prefix="govkit-spark-warehouse-")
    conf = {**SMALL, "spark.sql.warehouse.dir": warehouse}
    session = get_session("local[2]", app_name="govkit-tests", conf=conf)
    yield session
    session.stop()
    shutil.rmtree(warehouse, ignore_errors=True)


def processes_under(root: Path) -> list[int]:
    """Live processes whose command line or working directory lies under ``root``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "stat").read_text().split(") ", 1)[1].startswith("Z"):
                continue
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = str((entry / "cwd").resolve())
        except OSError:
            continue
        if str(root) in cmdline or cwd.startswith(str(root)):
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="session")
def spark_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    """A standalone master and two workers on 127.0.0.1; everything it started is stopped."""
    cluster = LocalCluster(tmp_path_factory.mktemp("spark-cluster"), workers=2)
    cluster.start()
    assert len(processes_under(cluster.root)) >= 3  # the check below can see them
    try:
        yield cluster
    finally:
        cluster.stop()
        deadline = time.monotonic() + 30
        while processes_under(cluster.root) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert processes_under(cluster.root) == [], "the cluster fixture left processes behind"
