"""The whole governed run against the bare cost of moving the same data.

Run: .venv/bin/python bench/bench_pipeline.py [--customers 100000] [--no-suites] [--workers 1]
    [--rounds 3]

Builds a pipeline over the generated tables (customers, tickets, transactions,
feedback; CSV) with the demo's seven outputs (four Parquet for analysts, three CSV
for marketing and customer service), the default policies, the reviewed sample
catalog and — unless ``--no-suites`` — every table's expectation suite (all rules
marked ``warn`` so the generated data's defects do not stop the run).

The governed run uses the default ``workers: auto`` (a pool of one process per
core for sources of 32 MiB and more); ``--workers N`` adds a leg with N workers
(``--workers 1``: what the pool gains). After one warm-up of every leg, the legs
(pyarrow reference, governed run, optionally the N-worker run and the run with
suites) alternate for ``--rounds``
rounds; each ratio is the median of the per-round ratios, so load from other jobs on
a shared machine hits both sides alike. It prints the load average at start, per round
and at the end, and:

* the run (scan → validate → decide → protect → stage → audit → publish) against the
  reference: for every output, pyarrow reading its source CSV (all-string columns)
  and writing it in the output's format — the same bytes moved with no governance;
* the run report's per-phase times (median seconds of scan, validate, protect, publish …);
* the run with suites, to show what quality checking costs;
* peak RSS of the run in a fresh process: the parent's, and the process tree's
  (parent and pool workers, summed, sampled every 50 ms).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import ROOT, child_peak_rss_mb, generated

OUT = ROOT / "bench" / "out" / "pipeline"
OUTPUTS = [
    ("customers_analytics", "customers", "analyst", "analytics", "analytics/customers.parquet"),
    ("tickets_analytics", "tickets", "analyst", "analytics", "analytics/tickets.parquet"),
    ("transactions_analytics", "transactions", "analyst", "analytics", "analytics/txn.parquet"),
    ("feedback_analytics", "feedback", "analyst", "analytics", "analytics/feedback.parquet"),
    ("customers_marketing", "customers", "marketing", "marketing", "marketing/customers.csv"),
    ("customers_service", "customers", "customer_service", "customer_service", "service/c.csv"),
    ("tickets_service", "tickets", "customer_service", "customer_service", "service/t.csv"),
]


TREE_RSS = """
import os, threading
from govkit.pipeline.run import run_pipeline

def rss(pid, file="status", field="VmRSS:"):
    try:
        with open(f"/proc/{pid}/{file}") as fh:
            return next(int(l.split()[1]) for l in fh if l.startswith(field))
    except (OSError, StopIteration):
        return 0

def pss(pid):  # shared pages (libraries, the interpreter) split between the processes
    return rss(pid, "smaps_rollup", "Pss:")

def tree(pid, size=rss):
    kids = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids += [int(k) for k in fh.read().split()]
        except OSError:
            pass
    return size(pid) + sum(tree(k, size) for k in kids)

peak = [0, 0]
done = threading.Event()
def watch():
    while not done.wait(0.05):
        peak[0] = max(peak[0], tree(os.getpid()))
        peak[1] = max(peak[1], tree(os.getpid(), pss))
threading.Thread(target=watch, daemon=True).start()
run_pipeline(sys.argv[1], workers=int(sys.argv[2]) if len(sys.argv) > 2 else None)
done.set()
print(peak[0] / 1024, peak[1] / 1024)
"""


def _rule_ids(suite: Path) -> list[str]:
    data = json.loads(suite.read_text(encoding="utf-8"))
    return [str(e["meta"]["rule_id"]) for e in data["expectations"]]


def write_pipeline(data: dict[str, Path], folder: Path, *, suites: bool) -> Path:
    """A pipeline file over the generated tables; keys and audit under ``folder``."""
    sources: dict[str, dict[str, object]] = {}
    for name, path in sorted(data.items()):
        spec: dict[str, object] = {"uri": str(path)}
        if suites:
            suite = ROOT / "expectations" / f"{name}.json"
            spec.update(suite=name, warn=_rule_ids(suite))
        sources[name] = spec
    pipeline = {
        "name": "bench",
        "sources": sources,
        "scan": {"catalog": str(ROOT / "policies" / "tests" / "catalog.yaml")},
        "policies": str(ROOT / "policies"),
        "expectations": str(ROOT / "expectations"),
        "outputs": [
            {"name": n, "source": s, "role": r, "purpose": p, "uri": f"published/{u}"}
            for n, s, r, p, u in OUTPUTS
        ],
        "audit": {"url": "sqlite:///.govkit/audit.db"},
        "keys": {"keyring": ".govkit/keyring", "master_key_file": ".govkit/master.key"},
        "reports": {"dir": "reports"},
    }
    file = folder / ("pipeline.yaml" if suites else "pipeline-nosuites.yaml")
    file.write_text(yaml.safe_dump(pipeline, sort_keys=False), encoding="utf-8")
    return file


def reference(data: dict[str, Path], folder: Path) -> float:
    """pyarrow: read each output's source CSV as strings, write it in the output's format."""
    target = folder / "reference"
    target.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for name, source, _, _, uri in OUTPUTS:
        path = data[source]
        with path.open(encoding="utf-8", newline="") as fh:
            names = next(csv.reader(fh))
        table = pacsv.read_csv(
            path, convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names})
        )
        out = target / f"{name}{Path(uri).suffix}"
        if out.suffix == ".parquet":
            pq.write_table(table, out, compression="zstd", row_group_size=131_072)
        else:
            pacsv.write_csv(table, out)
    return time.perf_counter() - start


def timed_run(pipeline: Path, workers: int | None = None) -> tuple[float, dict[str, float]]:
    """Wall time of one governed run in this process, and the run report's per-phase times."""
    from govkit.pipeline.run import run_pipeline

    start = time.perf_counter()
    report = run_pipeline(pipeline, workers=workers)
    elapsed = time.perf_counter() - start
    assert report.status == "published", report.error
    return elapsed, dict(report.timings)


def load() -> str:
    """The 1/5/15-minute load averages (the machine is shared: say how busy it was)."""
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def alternate(
    legs: dict[str, Callable[[], tuple[float, dict[str, float]]]], rounds: int
) -> dict[str, list[tuple[float, dict[str, float]]]]:
    """Run every leg once per round, in turn, so load from other processes hits all alike."""
    out: dict[str, list[tuple[float, dict[str, float]]]] = {name: [] for name in legs}
    for n in range(rounds):
        for name, leg in legs.items():
            out[name].append(leg())
        line = "  ".join(f"{name} {out[name][-1][0]:.2f} s" for name in legs)
        print(f"  round {n + 1}/{rounds}: {line}  ({load()})", flush=True)
    return out


def summary(label: str, ours: list[float], ref: list[float]) -> str:
    """Median seconds of both sides and the median of the per-round ratios."""
    ratio = statistics.median(o / r for o, r in zip(ours, ref, strict=True))
    return (
        f"{label:<48} {statistics.median(ours):8.2f} s vs {statistics.median(ref):8.2f} s  "
        f"median per-round ratio {ratio:6.2f}"
    )


def phases(runs: list[tuple[float, dict[str, float]]]) -> str:
    """Median seconds per phase of the run report (scan, validate, protect, publish …)."""
    names = [n for n in runs[0][1] if runs[0][1][n] >= 0.005]
    return ", ".join(f"{n} {statistics.median(r[1].get(n, 0.0) for r in runs):.2f}" for n in names)


def timings(args: argparse.Namespace, data: dict[str, Path], folder: Path, bare: Path) -> None:
    """The alternating legs and their ratios."""
    legs: dict[str, Callable[[], tuple[float, dict[str, float]]]] = {
        "pyarrow": lambda: (reference(data, folder), {}),
        "govkit": lambda: timed_run(bare),
    }
    if args.workers:
        legs[f"govkit-{args.workers}w"] = lambda: timed_run(bare, args.workers)
    if not args.no_suites:
        full = write_pipeline(data, folder, suites=True)
        legs["govkit+suites"] = lambda: timed_run(full)
    for leg in legs.values():  # warm-up: imports, recognizers, policies, page cache
        leg()
    runs = alternate(legs, args.rounds)
    ref = [t for t, _ in runs["pyarrow"]]
    plain = [t for t, _ in runs["govkit"]]
    print(summary("run without suites vs pyarrow read+write", plain, ref))
    print(f"  phases (s, median): {phases(runs['govkit'])}")
    if args.workers:
        many = [t for t, _ in runs[f"govkit-{args.workers}w"]]
        print(summary(f"run without suites, {args.workers} workers, vs auto", many, plain))
        print(summary(f"run without suites, {args.workers} workers, vs pyarrow", many, ref))
        print(f"  phases (s, median): {phases(runs[f'govkit-{args.workers}w'])}")
    if not args.no_suites:
        with_suites = [t for t, _ in runs["govkit+suites"]]
        print(summary("run with suites vs pyarrow read+write", with_suites, ref))
        print(summary("run with suites vs without", with_suites, plain))
        print(f"  phases (s, median): {phases(runs['govkit+suites'])}")


def main() -> None:
    """Measure and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--no-suites", action="store_true", help="skip the run with suites")
    parser.add_argument(
        "--workers", type=int, default=0, help="also time a run with N workers (e.g. 1)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (median)")
    parser.add_argument("--memory-only", action="store_true", help="only the peak RSS/PSS")
    args = parser.parse_args()

    from govkit.engines.local import machine_workers

    print(f"start: {load()}; {os.cpu_count()} cores (compare same-run ratios; a busy machine")
    print(f"  slows both sides): the governed run uses workers auto = {machine_workers()}")
    data = generated(args.customers, "csv")
    folder = OUT / str(args.customers)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    from govkit.pipeline.scaffold import create_local_keys

    create_local_keys(folder / ".govkit")
    rows = {n: sum(1 for _ in p.open("rb")) - 1 for n, p in data.items()}
    mib = sum(p.stat().st_size for p in data.values()) / 2**20
    print(
        f"tables: {', '.join(f'{n} {r:,}' for n, r in sorted(rows.items()))} rows; {mib:.0f} MiB CSV"
    )
    bare = write_pipeline(data, folder, suites=False)
    if not args.memory_only:
        timings(args, data, folder, bare)
    workers = [str(args.workers)] if args.memory_only and args.workers else []
    rss, out = child_peak_rss_mb(TREE_RSS, str(bare), *workers)
    if workers:
        print(f"memory of the run with --workers {args.workers}:")
    tree, tree_pss = (float(x) for x in out.split()[-2:])
    ref_rss, _ = child_peak_rss_mb(
        "import pyarrow.csv as c\nt = c.read_csv(sys.argv[1])", str(data["transactions"])
    )
    print(
        f"{'peak RSS: run (no suites) vs pyarrow read of largest':<48} {rss:8.0f} MiB vs "
        f"{ref_rss:8.0f} MiB  ratio {rss / ref_rss:6.2f}"
    )
    print(
        f"{'peak RSS of the run with its other processes':<48} {tree:8.0f} MiB "
        "(sum over the process tree: pool workers, span helper; sampled every 50 ms)"
    )
    print(
        f"{'peak PSS of the run with its other processes':<48} {tree_pss:8.0f} MiB "
        "(proportional set size: pages shared between the processes counted once)"
    )
    if not args.no_suites:  # the suites may run in a second process beside protection
        full = write_pipeline(data, folder, suites=True)
        _, out = child_peak_rss_mb(TREE_RSS, str(full), *workers)
        tree, tree_pss = (float(x) for x in out.split()[-2:])
        print(
            f"{'peak RSS / PSS of the run with suites, tree':<48} {tree:8.0f} MiB / "
            f"{tree_pss:.0f} MiB (validation beside protection included)"
        )
    print(f"end: {load()}")


if __name__ == "__main__":
    main()
