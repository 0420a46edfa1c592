"""govkit scan: speed against the read floor and against Presidio, accuracy side by side, memory.

Run: .venv/bin/python bench/bench_scan.py [--customers 1000000] [--presidio-rows 20000]
     [--full-factor 3] [--skip-presidio] [--baseline /path/to/other/checkout [--rounds 3]
     [--formats csv,parquet] [--full-file tickets.csv]] [--phases [--rounds 5]]

With ``--baseline`` it only compares: the scan ÷ pyarrow-read ratio (default sample, CSV and
Parquet, or only the ``--formats`` given) of this checkout and of another one (e.g. ``main``),
in alternating child processes, and prints the median ratio of each with the load average. With ``--full-file``
it instead times ``govkit scan FILE --full`` (a fresh CLI process per tree and round,
alternating) and prints the entity counts each tree found in the file's free-text columns,
so that a faster scan cannot hide a recall drop.

Prints, on the generated customers table (CSV and Parquet):
- govkit scan (default sample) wall time vs pyarrow reading the same file (target <= 3);
- peak RSS and wall time of the `govkit scan` CLI in a fresh process;
- Presidio BatchAnalyzerEngine (offline no_op engine, its predefined pattern recognizers,
  same columns) on a slice, scaled per row to the whole table, vs govkit (target >= 500);
- column-level accuracy of both tools on the same data (ground truth: examples EXPECTED);
- govkit accuracy per sample size over all four generated tables;
- peak RSS of `govkit scan --full` on a CSV several times larger than that RSS.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import child_peak_rss_mb, generated, median_time, ratio_line
from examples.generate import EXPECTED
from govkit.datasets import open_dataset
from govkit.detect.scan import sample_rows, scan_dataset
from govkit.detect.text import TextDetector

CLI = (
    "from govkit.cli import run\n"
    "import time\nt = time.perf_counter()\n"
    "code = run(['--quiet', '--audit-url', sys.argv[2], 'scan', sys.argv[1], '--format', 'json', *sys.argv[3:]])\n"
    "print('__WALL__', time.perf_counter() - t, code)\n"
)


STREAM = (
    "from govkit.datasets import open_dataset\n"
    "print(sum(b.num_rows for b in open_dataset(sys.argv[1]).batches()))"
)


def _read(path: Path) -> int:
    if path.suffix == ".parquet":
        return int(pq.read_table(path).num_rows)
    names = pacsv.open_csv(path).schema.names  # the header block only, not a second full read
    table = pacsv.read_csv(
        path, convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names})
    )
    return int(table.num_rows)


def _accuracy(labels: dict[str, str | None], truth: dict[str, str | None]) -> str:
    right = sum(labels.get(c) == e for c, e in truth.items())
    wrong = [f"{c}={labels.get(c)}" for c, e in truth.items() if labels.get(c) != e]
    return f"{right}/{len(truth)}" + (f" (wrong: {', '.join(wrong)})" if wrong else "")


def _govkit_labels(uri: str, **kwargs: object) -> dict[str, str | None]:
    scan = scan_dataset(open_dataset(uri), **kwargs)  # type: ignore[arg-type]
    return {c.name: "FREE_TEXT" if c.kind == "free_text" else c.entity for c in scan.columns}


def _cli(path: Path, audit: str, *extra: str) -> tuple[float, float]:
    rss, out = child_peak_rss_mb(CLI, str(path), audit, *extra)
    wall = float(next(line for line in out.splitlines() if line.startswith("__WALL__")).split()[1])
    return rss, wall


def _presidio(table: pa.Table) -> tuple[float, dict[str, str | None]]:
    """Presidio's offline pattern-only batch engine over every column; (seconds, labels)."""
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    nlp = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "no_op",
            "models": [{"lang_code": "en", "model_name": "no_op"}],
        }
    ).create_engine()
    batch = BatchAnalyzerEngine(AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"]))
    data = {name: [v or "" for v in table.column(name).to_pylist()] for name in table.column_names}
    start = time.perf_counter()
    results = list(batch.analyze_dict(data, language="en", batch_size=64))
    seconds = time.perf_counter() - start
    labels: dict[str, str | None] = {}
    for result in results:
        top: Counter[str] = Counter()
        filled = 0
        for value, found in zip(result.value, result.recognizer_results, strict=True):
            filled += bool(value)
            hits = [r for r in found if r.score >= 0.5]
            if hits:
                top[max(hits, key=lambda r: r.score).entity_type] += 1
        best = top.most_common(1)
        labels[result.key] = best[0][0] if best and best[0][1] >= 0.5 * max(filled, 1) else None
    return seconds, labels


COMPARE = r"""
import statistics, sys, time
sys.path.insert(0, sys.argv[1])
import pyarrow as pa, pyarrow.csv as pacsv, pyarrow.parquet as pq
from govkit.datasets import open_dataset
from govkit.detect.scan import scan_dataset
from govkit.detect.text import TextDetector
detector = TextDetector.default()
detector.find("客户张伟来电")
def read(p):
    if p.endswith(".parquet"):
        return pq.read_table(p).num_rows
    names = pacsv.open_csv(p).schema.names
    opts = pacsv.ConvertOptions(column_types={n: pa.string() for n in names})
    return pacsv.read_csv(p, convert_options=opts).num_rows
def median(fn):
    fn()
    times = []
    for _ in range(3):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return statistics.median(times)
for p in sys.argv[2:]:
    ref = median(lambda: read(p))
    gk = median(lambda: scan_dataset(open_dataset(p), detector=detector))
    print(p.rsplit(".", 1)[1], gk, ref)
"""


def compare(
    customers: int, baseline: Path, rounds: int, formats: tuple[str, ...] = ("csv", "parquet")
) -> None:
    """Scan ÷ read ratios of this checkout and ``baseline``, alternating child processes."""
    import statistics
    import subprocess

    files = [str(generated(customers, fmt)["customers"]) for fmt in formats]
    here = Path(__file__).resolve().parent.parent
    ratios: dict[tuple[str, str], list[float]] = {}
    for round_ in range(rounds):
        for label, tree in (("baseline", baseline.resolve()), ("this", here)):
            env = {**os.environ, "PYTHONPATH": str(tree)}
            out = subprocess.run(
                [sys.executable, "-c", COMPARE, str(tree), *files],
                capture_output=True, text=True, check=True, env=env,
            ).stdout  # fmt: skip
            for line in out.splitlines():
                fmt, gk, ref = line.split()
                ratios.setdefault((label, fmt), []).append(float(gk) / float(ref))
            print(f"round {round_} {label:<8} {out.strip()!r} load {os.getloadavg()[0]:.1f}")
    for (label, fmt), values in sorted(ratios.items()):
        print(
            f"{label:<8} {fmt:<7} scan / read ratio, median of {rounds}: {statistics.median(values):.2f}"
        )


def compare_full(path: Path, baseline: Path, rounds: int) -> None:
    """``govkit scan PATH --full`` wall time and free-text findings of both trees, alternating."""
    import json
    import statistics
    import subprocess

    here = Path(__file__).resolve().parent.parent
    walls: dict[str, list[float]] = {}
    for round_ in range(rounds):
        for label, tree in (("baseline", baseline.resolve()), ("this", here)):
            with tempfile.TemporaryDirectory() as tmp:
                command = [
                    sys.executable, "-m", "govkit", "--quiet", "--audit-url",
                    f"sqlite:///{tmp}/audit.db", "scan", str(path), "--full", "--format", "json",
                ]  # fmt: skip
                env = {**os.environ, "PYTHONPATH": str(tree)}
                start = time.perf_counter()
                out = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tree)
                wall = time.perf_counter() - start
            walls.setdefault(label, []).append(wall)
            report = json.loads(out.stdout)
            found = {
                c["name"]: {e["type"]: e["count"] for e in c["entities"]}
                for c in report["columns"]
                if c["kind"] == "free_text"
            }
            print(
                f"round {round_} {label:<8} --full {wall:7.1f} s  free-text findings {found} "
                f"load {os.getloadavg()[0]:.1f}"
            )
    base, this = statistics.median(walls["baseline"]), statistics.median(walls["this"])
    print(
        f"--full {path.name}: baseline {base:.1f} s, this {this:.1f} s, "
        f"this / baseline {this / base:.2f} (median of {rounds})"
    )


def phases(customers: int, rounds: int) -> None:
    """Where a default scan of the customers CSV spends its time, in this process.

    Each round times, in turn: opening the file (the whole-file UTF-8 check), the sample pass
    (a whole parallel read when the file is small enough, else the stream), the scan's other
    work (profiling the sample; ``scan_dataset`` minus its sample pass) and ``read_csv`` of the
    same file as the reference. Medians over the rounds.
    """
    path = generated(customers, "csv")["customers"]
    detector = TextDetector.default()
    detector.find("客户张伟来电")  # name dictionary load, outside the timings
    got: dict[str, list[float]] = {"open": [], "sample": [], "profile": [], "read_csv": []}
    for _ in range(rounds):
        start = time.perf_counter()
        dataset = open_dataset(str(path))
        got["open"].append(time.perf_counter() - start)
        start = time.perf_counter()
        sample_rows(dataset, 2_000)
        got["sample"].append(time.perf_counter() - start)
        start = time.perf_counter()
        scan_dataset(dataset, detector=detector)
        got["profile"].append(time.perf_counter() - start - got["sample"][-1])
        start = time.perf_counter()
        _read(path)
        got["read_csv"].append(time.perf_counter() - start)
    for name, values in got.items():
        print(f"  {name:<9} median {statistics.median(values):.3f} s over {rounds} rounds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--presidio-rows", type=int, default=20_000)
    parser.add_argument("--full-factor", type=int, default=3)
    parser.add_argument("--skip-presidio", action="store_true")
    parser.add_argument("--baseline", type=Path, help="another checkout to compare against")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--full-file", type=Path, help="with --baseline: also time scan --full")
    parser.add_argument(
        "--formats", default="csv,parquet", help="with --baseline: the formats compared"
    )
    parser.add_argument("--phases", action="store_true", help="only where the CSV scan's time goes")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores, shared)")
    if args.phases:
        phases(args.customers, args.rounds)
        print(f"load average at end: {os.getloadavg()[0]:.1f}")
        return
    if args.baseline and args.full_file:
        compare_full(args.full_file, args.baseline, args.rounds)
        print(f"load average at end: {os.getloadavg()[0]:.1f}")
        return
    if args.baseline:
        formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
        compare(args.customers, args.baseline, args.rounds, formats)
        print(f"load average at end: {os.getloadavg()[0]:.1f}")
        return

    detector = TextDetector.default()
    detector.find("客户张伟来电")  # name dictionary load, once, outside the timings
    truth = EXPECTED["customers"]
    audit = f"sqlite:///{tempfile.mkdtemp()}/audit.db"
    times: dict[str, float] = {}
    for fmt in ("csv", "parquet"):
        path = generated(args.customers, fmt)["customers"]
        size = path.stat().st_size / 2**20
        ref = median_time(lambda p=path: _read(p), repeat=3)
        gk = median_time(
            lambda p=path: scan_dataset(open_dataset(str(p)), detector=detector), repeat=3
        )
        times[fmt] = gk
        print(ratio_line(f"{fmt} ({size:.0f} MiB): govkit scan vs pyarrow read", gk, ref, "<= 3"))
        rss, wall = _cli(path, audit)
        print(
            f"{'  govkit scan CLI (fresh process): wall / peak RSS':<48} {wall:8.3f} s, {rss:6.0f} MiB"
        )
        print(f"  govkit accuracy (sample): {_accuracy(_govkit_labels(str(path)), truth)}")

    pq_path = generated(args.customers, "parquet")["customers"]
    if not args.skip_presidio:
        rows = args.presidio_rows
        slice_ = pq.read_table(pq_path).slice(0, rows)
        seconds, labels = _presidio(slice_)
        scaled = seconds * args.customers / rows
        print(
            f"presidio BatchAnalyzerEngine: {rows:,} rows in {seconds:.1f} s "
            f"({rows / seconds:.0f} rows/s) → {scaled:,.0f} s for {args.customers:,} rows"
        )
        for fmt, gk in times.items():
            print(ratio_line(f"presidio (scaled) vs govkit scan, {fmt}", scaled, gk, ">= 500"))
        with tempfile.TemporaryDirectory() as tmp:
            sliced = Path(tmp) / "customers.parquet"
            pq.write_table(slice_, sliced)
            mine = _govkit_labels(str(sliced), detector=detector)
        print(f"accuracy on the {rows:,}-row slice: govkit {_accuracy(mine, truth)}")
        print(f"{'':<27}presidio {_accuracy(labels, truth)}")

    tables = generated(args.customers, "parquet")
    for size in (100, 500, 2000):
        right = total = 0
        for name, path in tables.items():
            got = _govkit_labels(str(path), sample_size=size, detector=detector)
            right += sum(got[c] == e for c, e in EXPECTED[name].items())
            total += len(EXPECTED[name])
        print(f"sample of {size:>5} rows: {right}/{total} columns right over the 4 tables")

    csv_path = generated(args.customers, "csv")["customers"]
    with tempfile.TemporaryDirectory(dir=csv_path.parent) as tmp:
        big = Path(tmp) / "customers_big.csv"
        with big.open("wb") as out, csv_path.open("rb") as src:
            header = src.readline()
            out.write(header)
            body_start = src.tell()
            for _ in range(args.full_factor):
                src.seek(body_start)
                while block := src.read(1 << 24):
                    out.write(block)
        size = big.stat().st_size / 2**20
        rss, wall = _cli(big, audit, "--full")
        print(
            f"--full on {args.full_factor * args.customers:,} rows ({size:.0f} MiB CSV): "
            f"{wall:.1f} s, peak RSS {rss:.0f} MiB (file / RSS = {size / rss:.1f})"
        )
        rss, _ = child_peak_rss_mb(STREAM, str(big))
        print(
            f"  for reference, streaming the same file through govkit.datasets: peak RSS {rss:.0f} MiB"
        )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
