"""The killed-run harness both engines' crash tests share.

A project over generated customers (large enough that staging takes a while) and a
``govkit run`` killed with SIGKILL as soon as a staging name appears among its outputs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from govkit.pipeline.publish import STAGE_MARK
from tests.pipeline._project import make_project, output

ROOT = Path(__file__).resolve().parents[2]


def big_project(root: Path, outputs: list[str], customers: int = 20_000) -> Path:
    """A project in ``root/p`` over ``customers`` generated customers; one analyst output per path.

    ``outputs`` are paths relative to the project (``out/c0.csv``); each output is named
    after its file's stem. Returns the pipeline file.
    """
    data = root / "big"
    subprocess.run(
        [sys.executable, str(ROOT / "examples" / "generate.py"), "--out", str(data),
         "--customers", str(customers)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return make_project(
        root / "p",
        sources={"customers": {"uri": str(data / "customers.csv")}},
        outputs=[output(Path(p).stem, "customers", "analyst", "analytics", p) for p in outputs],
    )


def visible(out: Path) -> list[str]:
    """What a consumer sees in ``out/`` (staging names are hidden)."""
    if not out.exists():
        return []
    return sorted(p.name for p in out.iterdir() if not p.name.startswith("."))


def kill_once_staged(
    pipeline: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> None:
    """Run ``govkit --quiet run PIPELINE ARGS``; SIGKILL it once it stages into ``out/``.

    Raises AssertionError (after killing it) when the run ended, or did not stage
    within ``timeout`` seconds.
    """
    out = pipeline.parent / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "govkit", "--quiet", "run", str(pipeline), *args],
        cwd=pipeline.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    staged = False
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and any(STAGE_MARK in p.name for p in out.iterdir()):
            staged = True
            break
        time.sleep(0.02)
    alive = proc.poll() is None
    if alive:
        os.kill(proc.pid, signal.SIGKILL)  # the driver: Python dies (a Spark JVM follows)
    proc.wait()
    assert staged and alive, "the run ended before it staged anything"
