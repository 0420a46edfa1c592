"""Access decisions over the whole catalog universe.

Run: .venv/bin/python bench/bench_policy.py [--passes 20]

Decides every role × purpose × dataset of the reference catalog (policies/tests/catalog.yaml)
with the shipped policies, and compares the time with a hand-written reference: a dict
lookup of precomputed views per (role, purpose, dataset, column), i.e. the floor any
evaluator could reach. Also prints load, `policy test` and `policy diff` wall times.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import ROOT, median_time, ratio_line
from govkit.policy import column_labels, decide, diff_policies, load_policies, read_catalog
from govkit.policy.testing import run_tests

POLICIES = ROOT / "policies"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passes", type=int, default=20, help="Universe passes per timing.")
    args = parser.parse_args()

    catalog = read_catalog(POLICIES / "tests" / "catalog.yaml")
    load = median_time(lambda: load_policies(POLICIES), repeat=5)
    policies = load_policies(POLICIES)
    labels = {name: column_labels(ds) for name, ds in catalog.datasets.items()}
    requests = [(r, p, d) for r in policies.roles for p in policies.purposes for d in labels]
    columns = sum(len(labels[d]) for _, _, d in requests)

    def evaluator() -> None:
        for _ in range(args.passes):
            for role, purpose, dataset in requests:
                decide(
                    policies, role=role, purpose=purpose, dataset=dataset, columns=labels[dataset]
                )

    table = {
        (r, p, d, c.column): c.view
        for r, p, d in requests
        for c in decide(policies, role=r, purpose=p, dataset=d, columns=labels[d]).columns
    }

    def reference() -> None:
        for _ in range(args.passes):
            for role, purpose, dataset in requests:
                {c.name: table[(role, purpose, dataset, c.name)] for c in labels[dataset]}

    def cold() -> None:
        fresh = load_policies(POLICIES)
        for role, purpose, dataset in requests:
            decide(fresh, role=role, purpose=purpose, dataset=dataset, columns=labels[dataset])

    ours = median_time(evaluator)
    ref = median_time(reference)
    n = len(requests) * args.passes
    print(
        f"universe: {len(policies.roles)} roles x {len(policies.purposes)} purposes x "
        f"{len(labels)} datasets = {len(requests)} decisions, {columns} column decisions; "
        f"{len(policies.rules)} rules"
    )
    print(ratio_line(f"decide x{args.passes} passes vs dict-lookup reference", ours, ref))
    print(
        f"{'throughput':<48} {n / ours:10,.0f} decisions/s, {columns * args.passes / ours:10,.0f} "
        f"column decisions/s ({ours / n * 1e6:.1f} us per decision)"
    )
    print(ratio_line("cold pass (load + decide all) vs load only", median_time(cold), load))
    start = time.perf_counter()
    report = run_tests(policies, POLICIES)
    tests = time.perf_counter() - start
    print(f"{'policy test (' + str(report.passed + report.failed) + ' cases)':<48} {tests:8.3f} s")
    start = time.perf_counter()
    diff_policies(policies, load_policies(POLICIES), catalog)
    print(f"{'policy diff over the universe':<48} {time.perf_counter() - start:8.3f} s")


if __name__ == "__main__":
    main()
