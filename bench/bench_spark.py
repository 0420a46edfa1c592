"""Spark engine: ``govkit run`` over N generated customers on the local engine, Spark
``local[2]`` and a 2-worker standalone cluster; plus the Presidio-on-Spark scan anchor.

Usage::

    python bench/bench_spark.py [--customers 1000000 [--customers 100000 …]] [--rounds 2]
                                [--skip-cluster] [--anchor-rows 2000]

With two or more ``--customers`` sizes it fits wall = fixed + per-row x rows per engine
and prints the size at which each Spark set-up would overtake the local engine (or that
it never does, when its per-row cost is not lower).

Each round runs the three engines in turn (alternating order per round), each as a fresh
``python -m govkit run`` process (JVM start included: that is what a user pays), on the
same project: one output (customers → analyst/analytics, Parquet). The load average is
printed with every figure. The anchor runs Presidio's documented Spark pattern
(``pandas_udf`` + ``BatchAnalyzerEngine``, the engine broadcast to executors) on a
sample of the customer columns, next to ``govkit scan --engine spark`` on the same file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd

from bench._util import ROOT, generated

_ANALYZER: list[object] = []


def presidio_count(values: pd.Series) -> pd.Series:
    """Presidio's Spark sample: a BatchAnalyzerEngine per Python worker, one result per value."""
    from presidio_analyzer import BatchAnalyzerEngine

    from govkit.detect.registry import analyzer_engine

    if not _ANALYZER:
        _ANALYZER.append(BatchAnalyzerEngine(analyzer_engine()))
    analyzer = _ANALYZER[0]
    found = analyzer.analyze_iterator([str(v) for v in values], language="en")  # type: ignore[attr-defined]
    return pd.Series([len(r) for r in found])


SUBMIT = "--driver-memory 2g --conf spark.executor.memory=1g --conf spark.cores.max=2 pyspark-shell"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def project(root: Path, customers: Path) -> Path:
    from tests.pipeline._project import make_project, output

    return make_project(
        root,
        sources={"customers": {"uri": str(customers)}},
        outputs=[output("c", "customers", "analyst", "analytics", "out/c.parquet")],
        scan={"catalog": "catalog.yaml", "fail_on": "high", "sample_size": 2000},
    )


def run(pipeline: Path, engine: str, master: str | None) -> float:
    args = [sys.executable, "-m", "govkit", "--quiet", "run", str(pipeline)]
    if engine == "spark":
        args += ["--engine", "spark"] + (["--master", master] if master else [])
    env = dict(os.environ, PYSPARK_SUBMIT_ARGS=SUBMIT, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    done = subprocess.run(args, cwd=pipeline.parent, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{engine} {master or ''}: exit {done.returncode}\n{done.stderr[-1500:]}")
    shutil.rmtree(pipeline.parent / "out", ignore_errors=True)
    return wall


ENGINES = ("local", "spark local[2]", "spark 2-worker cluster")


def engines(
    rounds: int, pipeline: Path, cluster_url: str | None, rows: int, only: list[str]
) -> dict[str, float]:
    names = [n for n in ENGINES if n in only and (cluster_url or "cluster" not in n)]
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        order = names if r % 2 == 0 else list(reversed(names))
        for name in order:
            master = None if name == "local" else ("local[2]" if "local" in name else cluster_url)
            wall = run(pipeline, "local" if name == "local" else "spark", master)
            times[name].append(wall)
            print(f"round {r + 1} {name:<24} {wall:7.1f} s  load {load()}", flush=True)
    ref = statistics.median(times["local"])
    print(f"\n{rows:,} customers, median of {rounds} round(s); load {load()}")
    for name, walls in times.items():
        med = statistics.median(walls)
        print(
            f"  {name:<24} {med:7.1f} s  {rows / med:10,.0f} rows/s  ratio to local {med / ref:5.2f}"
        )
    return {name: statistics.median(walls) for name, walls in times.items()}


def crossover(medians: dict[int, dict[str, float]]) -> None:
    """Fit fixed + per-row cost per engine (smallest and largest size); where Spark overtakes."""
    small, large = min(medians), max(medians)
    if small == large:
        return

    def fit(name: str) -> tuple[float, float]:
        per_row = (medians[large][name] - medians[small][name]) / (large - small)
        return medians[small][name] - per_row * small, per_row

    fixed_l, row_l = fit("local")
    print(f"\nfit over {small:,} and {large:,} customers; load {load()}")
    print(f"  {'local':<24} fixed {fixed_l:6.1f} s  {row_l * 1e6:7.1f} s per 1M rows")
    for name in medians[small]:
        if name == "local":
            continue
        fixed, per_row = fit(name)
        where = (
            f"pays off above {(fixed - fixed_l) / (row_l - per_row):,.0f} customers"
            if per_row < row_l
            else "never pays off on this machine (per-row cost not lower)"
        )
        print(f"  {name:<24} fixed {fixed:6.1f} s  {per_row * 1e6:7.1f} s per 1M rows: {where}")


def anchor(sample_rows: int, customers: Path) -> None:
    """Presidio's Spark pattern vs govkit scan on Spark, on the same sample."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.functions import pandas_udf

    from govkit.spark.frames import read_source
    from govkit.spark.session import get_session

    spark = get_session("local[2]")
    frame = read_source(spark, str(customers)).frame.limit(sample_rows).cache()
    text_cols = ["name", "phone", "email", "id_number", "address"]
    frame.count()
    counted = pandas_udf(presidio_count, "int")  # type: ignore[call-overload]
    start = time.perf_counter()
    frame.select(*[counted(F.col(c)).alias(c) for c in text_cols]).agg(
        *[F.sum(c) for c in text_cols]
    ).collect()
    presidio = time.perf_counter() - start
    spark.stop()
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "govkit", "--quiet", "scan", str(customers), "--engine", "spark",
         "--sample", str(sample_rows), "--format", "json"],
        check=True, capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )  # fmt: skip
    govkit = time.perf_counter() - start
    print(f"\nscan anchor, {sample_rows} rows x {len(text_cols)} columns; load {load()}")
    print(f"  Presidio pandas_udf + BatchAnalyzerEngine (in a warm session) {presidio:7.1f} s")
    print(f"  govkit scan --engine spark (fresh process, JVM start included) {govkit:7.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, action="append")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--skip-cluster", action="store_true")
    parser.add_argument(
        "--skip-local2", action="store_true", help="leave out Spark local[2] (the slowest leg)"
    )
    parser.add_argument("--anchor-rows", type=int, default=2000)
    args = parser.parse_args()
    sizes = sorted(set(args.customers or [1_000_000]))
    medians: dict[int, dict[str, float]] = {}
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="govkit-bench-spark-")))
        url = None
        if args.rounds and not args.skip_cluster:
            from govkit.spark.cluster import LocalCluster

            cluster = LocalCluster(tmp / "cluster", workers=2, memory="1536m")
            url = stack.enter_context(cluster).url
        for size in sizes:
            customers = generated(size)["customers"]
            mb = customers.stat().st_size / 1e6
            print(f"\nuptime load {load()}; data {customers} ({mb:.0f} MB)", flush=True)
            if args.rounds:  # --rounds 0: the anchor only
                only = [n for n in ENGINES if not (args.skip_local2 and "[2]" in n)]
                medians[size] = engines(
                    args.rounds, project(tmp / f"p{size}", customers), url, size, only
                )
        crossover(medians)
    if args.anchor_rows:
        anchor(args.anchor_rows, generated(sizes[0])["customers"])


if __name__ == "__main__":
    main()
