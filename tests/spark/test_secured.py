"""Protect on a standalone cluster with Spark's security settings on (docs/spark.md).

The master, both workers and the driver read one ``spark-defaults.conf`` (the cluster's
``SPARK_CONF_DIR``) with ``spark.authenticate`` and its shared secret,
``spark.network.crypto.enabled`` and ``spark.io.encryption.enabled``. The test proves
that govkit runs under them — the driver records them in force, the output equals the
local engine's — and that the secret reaches neither the event log nor the daemons'
logs and work directories. It does not observe the wire or the shuffle files.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest

from govkit.spark.cluster import LocalCluster
from tests.protect.conftest import CUSTOMERS, catalog_file, env, master_key, ring
from tests.spark._cli import files_holding, govkit
from tests.spark._compare import read_output, sorted_rows
from tests.spark.conftest import processes_under

__all__ = ["catalog_file", "env", "master_key", "ring"]  # the protect tests' fixtures

pytestmark = [pytest.mark.xdist_group("spark"), pytest.mark.slow]

SETTINGS = ("spark.authenticate", "spark.network.crypto.enabled", "spark.io.encryption.enabled")


def test_protect_on_an_authenticated_encrypted_cluster_matches_local_and_keeps_the_secret(
    tmp_path: Path, env: dict[str, str], ring: Any, catalog_file: Path
) -> None:
    secret = "gk" + secrets.token_hex(24)
    conf = {**dict.fromkeys(SETTINGS, "true"), "spark.authenticate.secret": secret}
    base = ["protect", str(CUSTOMERS), "--catalog", str(catalog_file)]
    who = ["--role", "marketing", "--purpose", "marketing"]
    local = govkit(*base, "-o", str(tmp_path / "l.csv"), *who, cwd=tmp_path)
    assert local.returncode == 0, local.stderr[-2000:]
    events = tmp_path / "events"
    cluster = LocalCluster(tmp_path / "cluster", workers=2, conf=conf)
    with cluster:
        done = govkit(
            *base, "-o", str(tmp_path / "s.csv"), *who, "--engine", "spark",
            "--master", cluster.url, cwd=tmp_path, event_log=events,
            env={"SPARK_CONF_DIR": str(cluster.conf_dir)},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
    assert _gone(cluster.root)
    assert sorted_rows(read_output(tmp_path / "l.csv")) == sorted_rows(
        read_output(tmp_path / "s.csv")
    )
    logged = b"".join(p.read_bytes() for p in events.rglob("*") if p.is_file())
    for key in SETTINGS:  # the driver ran with each setting on
        assert f'"{key}":"true"'.encode() in logged, key
    assert b'"spark.authenticate.secret":"*********(redacted)"' in logged
    assert any(cluster.work_dir.rglob("stderr")), "no executor ran: nothing below was tested"
    # the daemons' conf file holds it (the search finds it), nothing else does
    conf_file = cluster.conf_dir / "spark-defaults.conf"
    assert files_holding(cluster.root, [secret.encode()]) == [str(conf_file)]
    assert files_holding(events, [secret.encode()]) == []
    assert secret not in done.stdout + done.stderr


def _gone(root: Path) -> bool:
    """True once nothing the cluster started is left (the driver JVM exits late)."""
    import time

    deadline = time.monotonic() + 30
    while processes_under(root) and time.monotonic() < deadline:
        time.sleep(0.5)
    return processes_under(root) == []
