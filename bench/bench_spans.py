"""Free-text span detection of this checkout against another, alternating fresh processes.

Run: .venv/bin/python bench/bench_spans.py --baseline /path/to/main FILE.csv [--column complaint]
     [--rounds 2]

Prints, per round and tree, with the load average:
- ``TextDetector.find_column`` over the distinct values of the free-text column (the work
  ``govkit run`` does once per distinct text), with the entity counts found, so that a
  faster detector cannot hide a recall drop;
- a fresh process scanning the file's default sample (imports and first-use dictionary
  loads included), and whether jieba was imported.
Then the median of each and the ratio this / baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

FIND = r"""
import collections, sys, time
import pyarrow as pa, pyarrow.csv as pacsv
from govkit.detect.text import TextDetector
opts = pacsv.ConvertOptions(column_types={sys.argv[2]: pa.string()})
uniques = pacsv.read_csv(sys.argv[1], convert_options=opts).column(sys.argv[2]).unique()
detector = TextDetector.default()
detector.find("客户张伟来电")
start = time.perf_counter()
counts = collections.Counter()
for _, spans in detector.find_column(uniques):
    counts.update(s.entity for s in spans)
print(time.perf_counter() - start, len(uniques), dict(sorted(counts.items())))
"""

SAMPLE = r"""
import sys, time
start = time.perf_counter()
from govkit.datasets import open_dataset
from govkit.detect.scan import scan_dataset
scan_dataset(open_dataset(sys.argv[1]))
print(time.perf_counter() - start, "jieba" in sys.modules)
"""


def _child(code: str, tree: Path, *args: str) -> list[str]:
    # ``python -c`` puts the working directory first on sys.path: run in the tree measured
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True, text=True, check=True, env=env, cwd=tree,
    )  # fmt: skip
    return out.stdout.split(maxsplit=2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--column", default="complaint")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent
    trees = (("baseline", args.baseline.resolve()), ("this", here))
    print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores, shared)")
    find: dict[str, list[float]] = {}
    sample: dict[str, list[float]] = {}
    for round_ in range(args.rounds):
        for label, tree in trees:
            seconds, distinct, counts = _child(FIND, tree, str(args.file), args.column)
            find.setdefault(label, []).append(float(seconds))
            print(
                f"round {round_} {label:<8} find_column {float(seconds):7.1f} s over {distinct} "
                f"distinct texts {counts.strip()} load {os.getloadavg()[0]:.1f}"
            )
            seconds, jieba = _child(SAMPLE, tree, str(args.file))
            sample.setdefault(label, []).append(float(seconds))
            print(
                f"round {round_} {label:<8} default-sample scan, fresh process {float(seconds):6.2f} s "
                f"(jieba imported: {jieba.strip()}) load {os.getloadavg()[0]:.1f}"
            )
    for name, times in (("find_column over distinct texts", find), ("default-sample scan", sample)):
        base, this = statistics.median(times["baseline"]), statistics.median(times["this"])
        print(
            f"{name}: baseline {base:.2f} s, this {this:.2f} s, this / baseline {this / base:.2f}"
        )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
