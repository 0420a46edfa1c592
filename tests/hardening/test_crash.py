"""Crash suite: SIGKILL at several points of protect and run, on files, SQLite, PostgreSQL and
MariaDB. After a kill no target is partial; after the next run (or ``govkit doctor --clean``)
nothing is left behind; the audit chain verifies."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from govkit.datasets.staging import _HOST
from tests.conftest import CliResult
from tests.pipeline._project import make_project, output

ROOT = Path(__file__).resolve().parents[2]
HELD_COMMIT = """
import sys, time
from govkit.cli import main
from govkit.pipeline import publish

commit = publish.Publisher.commit

def held(self):
    time.sleep(120)
    return commit(self)

publish.Publisher.commit = held
sys.argv = ["govkit", *sys.argv[1:]]
main()
"""
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("crash")]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("big")
    subprocess.run(
        [sys.executable, str(ROOT / "examples" / "generate.py"), "--out", str(data),
         "--customers", "20000"],
        check=True, capture_output=True,
    )  # fmt: skip
    return data / "customers.csv"


def _kill_when(proc: subprocess.Popen[bytes], seen: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        if seen():
            break
        time.sleep(0.01)
    assert proc.poll() is None, f"the process ended before {what}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def _hidden(folder: Path) -> list[str]:
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob(".*")
        if any(
            m in p.name for m in (".govkit-stage", ".govkit-tmp", "manifest-stage", "govkit-old")
        )
    )


def _verify(project: Path) -> None:
    env = {
        **os.environ,
        "GOVKIT_AUDIT_URL": f"sqlite:///{project / '.govkit' / 'audit.db'}",
        "GOVKIT_MASTER_KEY_FILE": str(project / ".govkit" / "master.key"),
    }
    env.pop("GOVKIT_MASTER_KEY", None)
    proc = subprocess.run(
        [sys.executable, "-m", "govkit", "audit", "verify"],
        env=env, capture_output=True, text=True, check=False, cwd=project,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("point", ["first-stage-file", "report-staged"])
def test_killed_run_leaves_nothing_after_the_next_run(
    tmp_path: Path, cli: Callable[..., CliResult], big: Path, point: str
) -> None:
    outputs = [
        output(f"c{i}", "customers", "analyst", "analytics", f"out/c{i}.csv") for i in range(4)
    ]
    pipeline = make_project(
        tmp_path / "p", sources={"customers": {"uri": str(big)}}, outputs=outputs
    )
    project = pipeline.parent
    out, reports = project / "out", project / "reports"
    # "report-staged" lasts only milliseconds in a real run: the child holds its commit
    # there, so the kill lands after every output and the report are staged, never by luck.
    command = ["-m", "govkit"] if point == "first-stage-file" else ["-c", HELD_COMMIT]
    proc = subprocess.Popen(
        [sys.executable, *command, "--quiet", "run", str(pipeline)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=project,
    )  # fmt: skip
    mark = f"gk{_HOST}p{proc.pid}t"

    def staged() -> bool:
        folder = out if point == "first-stage-file" else reports
        return folder.exists() and any(mark in p.name for p in folder.iterdir())

    _kill_when(proc, staged, point)
    visible = [p.name for p in out.rglob("*") if not p.name.startswith(".")] if out.exists() else []
    assert visible == []  # no target, whole or partial
    assert _hidden(project), "the kill left no staging file: the test did not hit its point"
    result = cli("run", str(pipeline))
    assert result.code == 0, result.err
    assert _hidden(project) == []
    assert sorted(p.name for p in out.iterdir()) == [f"c{i}.csv" for i in range(4)]
    _verify(project)
    result = cli("doctor", str(project), "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["files"] == []


@pytest.mark.parametrize("backend", ["sqlite", "postgres", "mysql"])
def test_killed_protect_into_a_database_is_cleaned_by_doctor(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    env: dict[str, str],
    ring: object,
    catalog_file: Path,
    big: Path,
    request: pytest.FixtureRequest,
    unique_table: Callable[[str], str],
    backend: str,
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'out.db'}"
        if backend == "sqlite"
        else str(request.getfixturevalue(f"{backend}_url"))
    )
    table = unique_table("crash")
    source = tmp_path / "customers.csv"
    source.write_bytes(big.read_bytes())
    proc = subprocess.Popen(
        [sys.executable, "-m", "govkit", "protect", str(source), "-o", url,
         "--output-table", table, "--catalog", str(catalog_file)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path,
    )  # fmt: skip
    mark = f"govkit-protect-gk{_HOST}p{proc.pid}t"
    temp = Path(tempfile.gettempdir())
    _kill_when(proc, lambda: any(temp.glob(f"{mark}*/stage.parquet")), "staging")
    assert list(temp.glob(f"{mark}*")), "the kill left no temp stage: the test missed its point"
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table(table)  # no partial target
    result = cli("doctor", "--clean", str(tmp_path), "--db", url)
    assert result.code == 0, result.err
    assert list(temp.glob(f"{mark}*")) == []
    with engine.connect() as conn:
        mine = [t for t in sa.inspect(conn).get_table_names() if f"p{proc.pid}t" in t]
    engine.dispose()
    assert mine == []
    result = cli("audit", "query", "--action", "cleanup", "--format", "json")
    assert result.code == 0 and '"cleanup"' in result.out, result.err
    result = cli("audit", "verify")
    assert result.code == 0, result.err + result.out


def test_killed_protect_into_a_file_leaves_no_target_and_doctor_cleans(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    env: dict[str, str],
    ring: object,
    catalog_file: Path,
    big: Path,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "safe.parquet"
    proc = subprocess.Popen(
        [sys.executable, "-m", "govkit", "protect", str(big), "-o", str(target),
         "--catalog", str(catalog_file)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path,
    )  # fmt: skip
    mark = f"gk{_HOST}p{proc.pid}t"
    _kill_when(proc, lambda: any(mark in p.name for p in out.iterdir()), "staging")
    assert not target.exists()
    assert _hidden(out), "the kill left no staging file: the test missed its point"
    result = cli("doctor", "--clean", str(out), "--format", "json")
    assert result.code == 0, result.err
    assert _hidden(out) == [] and list(out.iterdir()) == []
    assert cli("audit", "verify").code == 0
