"""Running ``govkit`` in a subprocess (one SparkContext per process) and searching its traces."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

from govkit.pipeline.context import pipeline_governor
from govkit.pipeline.model import load_pipeline
from govkit.protect.keys import open_keyring

SPARK_ARGS = "--conf spark.executor.memory=512m --conf spark.cores.max=2 --driver-memory 1g"


def govkit(
    *args: str,
    cwd: Path,
    event_log: Path | None = None,
    timeout: float = 600,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m govkit ARGS`` with Spark's event log (if asked) in ``event_log``.

    ``env``: variables added to this process's environment.
    """
    env = {**os.environ, **(env or {})}
    submit = SPARK_ARGS
    if event_log is not None:
        event_log.mkdir(parents=True, exist_ok=True)
        submit += (
            f" --conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file://{event_log}"
            " --conf spark.eventLog.compress=false"  # Spark 4 zstd-compresses it: unsearchable
        )
    env["PYSPARK_SUBMIT_ARGS"] = submit + " pyspark-shell"
    return subprocess.run(
        [sys.executable, "-m", "govkit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def plant(csv: Path, column: str, marker: str, **also: str) -> None:
    """Put ``marker`` into ``column`` of the first data row (and ``also`` its other columns)."""
    import csv as csvmod

    with csv.open(encoding="utf-8", newline="") as fh:
        rows = list(csvmod.reader(fh))
    for name, value in {column: marker, **also}.items():
        rows[1][rows[0].index(name)] = value
    with csv.open("w", encoding="utf-8", newline="") as fh:
        csvmod.writer(fh).writerows(rows)


def key_material(pipeline: Path) -> list[bytes]:
    """Every data key's bytes, and their hex and base64 forms (what must never be written)."""
    settings = pipeline_governor(load_pipeline(pipeline), None).settings
    ring = open_keyring(settings)
    out: list[bytes] = []
    for info in ring.list():
        material = ring.get(info.id).material
        out += [material, material.hex().encode(), base64.b64encode(material)]
    return out


def files_holding(root: Path, needles: list[bytes]) -> list[str]:
    """Files under ``root`` whose bytes contain any needle."""
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(n in data for n in needles):
                hits.append(str(path))
    return hits


def same_on_both_engines(
    base: list[str], allowed: list[str], denied: list[str], folder: Path, *spark: str
) -> None:
    """``govkit BASE -o … ALLOWED`` and ``… DENIED`` locally and with ``--engine spark SPARK``.

    Asserts the same stdout, rows and exit code 0 for ``allowed``; exit 1, the same one
    ``Error:`` line and no output for ``denied``.
    """
    from tests.spark._compare import read_output, sorted_rows

    on_spark = ["--engine", "spark", *spark]
    local = govkit(*base, "-o", str(folder / "l.csv"), *allowed, cwd=folder)
    remote = govkit(*base, "-o", str(folder / "s.csv"), *allowed, *on_spark, cwd=folder)
    assert local.returncode == remote.returncode == 0, (local.stderr + remote.stderr)[-2000:]
    assert local.stdout.replace("l.csv", "s.csv") == remote.stdout
    a, b = read_output(folder / "l.csv"), read_output(folder / "s.csv")
    assert a.num_rows > 0 and sorted_rows(a) == sorted_rows(b)
    local = govkit(*base, "-o", str(folder / "l2.csv"), *denied, cwd=folder)
    remote = govkit(*base, "-o", str(folder / "s2.csv"), *denied, *on_spark, cwd=folder)
    assert local.returncode == remote.returncode == 1
    errors = [[x for x in d.stderr.splitlines() if x.startswith("Error:")] for d in (local, remote)]
    assert errors[0] == errors[1] and len(errors[0]) == 1
    assert not (folder / "s2.csv").exists()
