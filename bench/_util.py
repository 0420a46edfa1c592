"""Shared benchmark helpers: timing, peak RSS in a child process, generated data."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"


def median_time(fn: Callable[[], object], repeat: int = 3, warmup: int = 1) -> float:
    """Median wall time of ``fn`` in seconds, after warm-up runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def child_peak_rss_mb(code: str, *args: str) -> tuple[float, str]:
    """Run ``code`` in a fresh interpreter; return (its peak RSS in MiB, its stdout)."""
    # VmHWM, not ru_maxrss: on Linux ru_maxrss survives fork+exec, so a child of a
    # 700 MB parent reports at least 700 MB whatever it does itself.
    body = (
        f"{code}\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
        "print('__RSS__', hwm[0].split()[1] if hwm else 0)\n"
    )
    # Under a main guard: spawned worker processes re-import the main module.
    runner = (
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "if __name__ == '__main__':\n" + textwrap.indent(body, "    ")
    )
    # From a file, not ``-c``: with pyspark installed, GX imports pyspark.sql.connect, which
    # under ``python -c`` prints "Skipping doctests" and exits 0 before the code runs.
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False, encoding="utf-8") as fh:
        fh.write(runner)
    try:
        out = subprocess.run(
            [sys.executable, fh.name, *args], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout
    finally:
        Path(fh.name).unlink()
    lines = out.strip().splitlines()
    rss_kb = int(lines[-1].split()[1])
    return rss_kb / 1024, "\n".join(lines[:-1])


def generated(customers: int, fmt: str = "csv", seed: int = 42) -> dict[str, Path]:
    """Generate (once, cached under bench/data/) the sample tables; return name → path."""
    out = DATA / f"{fmt}-{customers}-{seed}"
    marker = out / "done.json"
    if not marker.exists():
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "examples" / "generate.py"),
                "--out",
                str(out),
                "--customers",
                str(customers),
                "--seed",
                str(seed),
                "--format",
                fmt,
            ],
            check=True,
        )
        marker.write_text(json.dumps({"customers": customers}), encoding="utf-8")
    suffix = "." + fmt
    return {p.stem: p for p in out.iterdir() if p.suffix == suffix}


def ratio_line(label: str, value: float, reference: float, target: str = "") -> str:
    """Format one result line: value, reference and their ratio."""
    ratio = value / reference if reference else float("inf")
    tail = f"  (target {target})" if target else ""
    return f"{label:<48} {value:8.3f} s vs {reference:8.3f} s  ratio {ratio:6.2f}{tail}"
