"""Progress on stderr: rows, rows/s and ETA on a terminal; nothing at all through a pipe."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PHONE = "13800138{:03d}"


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("progress")
    rows = "".join(f"{i},{PHONE.format(i % 1000)},city{i % 7}\n" for i in range(60_000))
    path = folder / "big.csv"
    path.write_text("id,phone,city\n" + rows, encoding="utf-8")
    rule = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}}
    (folder / "big.json").write_text(
        json.dumps({"name": "big", "expectations": [rule]}), encoding="utf-8"
    )
    return path


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVKIT_")}
    env.update(PYTHONPATH=str(ROOT), COLUMNS="100", TERM="xterm")
    env["GOVKIT_AUDIT_URL"] = f"sqlite:///{folder / 'audit.db'}"
    return env


def _on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str, bytes]:
    """Run govkit with stderr on a pseudo-terminal; return exit code, stdout, stderr bytes."""
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "govkit", *args],
        cwd=cwd,
        env=_env(cwd),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    out = proc.stdout.read().decode() if proc.stdout else ""
    os.close(master)
    return proc.wait(), out, seen


@pytest.mark.parametrize(
    "args",
    [
        ["scan", "big.csv", "--full"],
        ["protect", "big.csv", "-o", "safe.parquet", "--overwrite"],
        ["validate", "big.csv", "--suite", "big.json"],
        ["audit", "verify"],
        ["audit", "export", "-o", "log.jsonl", "--overwrite"],
    ],
    ids=["scan-full", "protect", "validate", "audit-verify", "audit-export"],
)
def test_progress_is_drawn_on_a_terminal(big_csv: Path, args: list[str]) -> None:
    folder = big_csv.parent
    code, _, err = _on_a_terminal(args, folder)
    assert code == 0, err.decode(errors="replace")[-500:]
    text = err.decode(errors="replace")
    assert "rows/s" in text and " rows" in text
    assert "13800138" not in text  # counts, never values
    if args[0] != "audit":
        assert "ETA" in text  # a file's size gives the total


def test_nothing_is_drawn_through_a_pipe(big_csv: Path) -> None:
    folder = big_csv.parent
    proc = subprocess.run(
        [sys.executable, "-m", "govkit", "scan", "big.csv", "--full", "--format", "json"],
        cwd=folder,
        env=_env(folder),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "rows/s" not in proc.stderr and "\x1b[" not in proc.stderr


def test_run_draws_progress_on_a_terminal(tmp_path: Path) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "govkit", "init", "p"],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr[-500:]
    project = tmp_path / "p"
    store = f"sqlite:///{project / '.govkit' / 'audit.db'}"  # the flag beats _env's variable
    code, _, err = _on_a_terminal(["--audit-url", store, "run", "pipeline.yaml"], project)
    assert code == 0, err.decode(errors="replace")[-500:]
    assert "rows/s" in err.decode(errors="replace")
