"""Run every benchmark in bench/ in turn: ``python -m bench [--customers N]``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Run each bench_*.py with the given arguments; return the worst exit code."""
    worst = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name}", flush=True)
        worst = max(worst, subprocess.run([sys.executable, str(script), *sys.argv[1:]]).returncode)
    return worst


if __name__ == "__main__":
    sys.exit(main())
