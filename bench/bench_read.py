"""Datasets layer and CLI start-up.

Run: .venv/bin/python bench/bench_read.py [--customers 1000000]

Prints govkit's streamed read time against pyarrow reading the same file in one call
(CSV with all-string columns, Parquet), the cost of a uniform sample, peak RSS of
streaming vs reading whole, and `govkit --help` wall time against a bare interpreter.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import ROOT, child_peak_rss_mb, generated, median_time, ratio_line
from govkit.datasets import open_dataset


def _pyarrow_csv(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        names = next(csv.reader(fh))  # the header only (not a whole extra read)
    table = pacsv.read_csv(
        path, convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names})
    )
    return int(table.num_rows)


def _govkit_stream(path: Path) -> int:
    return sum(b.num_rows for b in open_dataset(str(path)).batches())


def _startup(cmd: list[str], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args()

    csv_path = generated(args.customers, "csv")["customers"]
    pq_path = generated(args.customers, "parquet")["customers"]
    print(
        f"customers table: {args.customers:,} rows; CSV {csv_path.stat().st_size / 2**20:.0f} MiB, "
        f"Parquet {pq_path.stat().st_size / 2**20:.0f} MiB"
    )

    ref_csv = median_time(lambda: _pyarrow_csv(csv_path))
    gk_csv = median_time(lambda: _govkit_stream(csv_path))
    print(ratio_line("CSV: govkit stream (encoding check + read)", gk_csv, ref_csv, "<= 1.5"))

    ref_pq = median_time(lambda: pq.read_table(pq_path))
    gk_pq = median_time(lambda: _govkit_stream(pq_path))
    print(ratio_line("Parquet: govkit stream vs pyarrow read_table", gk_pq, ref_pq, "<= 1.5"))

    sample = median_time(lambda: open_dataset(str(pq_path)).sample(1000), repeat=3)
    print(ratio_line("Parquet: uniform sample of 1,000 rows vs read", sample, ref_pq))
    sample_csv = median_time(lambda: open_dataset(str(csv_path)).sample(1000), repeat=3)
    print(ratio_line("CSV: uniform sample of 1,000 rows vs read", sample_csv, ref_csv))

    stream_rss, _ = child_peak_rss_mb(
        "from govkit.datasets import open_dataset\n"
        "print(sum(b.num_rows for b in open_dataset(sys.argv[1]).batches()))",
        str(csv_path),
    )
    whole_rss, _ = child_peak_rss_mb(
        "import pyarrow.csv as c\nprint(c.read_csv(sys.argv[1]).num_rows)", str(csv_path)
    )
    print(
        f"{'peak RSS: govkit stream vs pyarrow whole-file read':<48} {stream_rss:8.0f} MiB vs "
        f"{whole_rss:8.0f} MiB  ratio {stream_rss / whole_rss:6.2f}"
    )

    bin_dir = Path(sys.executable).parent
    bare = _startup([sys.executable, "-c", "pass"])
    help_time = _startup([str(bin_dir / "govkit"), "--help"])
    print(ratio_line("govkit --help vs bare python start-up", help_time, bare, "< 0.5 s absolute"))

    sys.path.insert(0, str(ROOT))
    from examples.generate import generate

    start = time.perf_counter()
    tables = generate(100_000, seed=1)
    built = time.perf_counter() - start
    rows = sum(t.num_rows for t in tables.values())
    print(
        f"{'generator: 100k customers (' + format(rows, ',') + ' rows, 4 tables)':<48} "
        f"{built:8.3f} s  ({built / rows * 1e5:.2f} s per 100k rows; target: a few seconds)"
    )


if __name__ == "__main__":
    main()
