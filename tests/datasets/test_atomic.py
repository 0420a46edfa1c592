"""A failed or killed write leaves no target behind."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pytest
import sqlalchemy as sa

from govkit.datasets import write_dataset

SLOW_WRITER = """
import sys, time
import pyarrow as pa
from govkit.datasets import write_dataset

schema = pa.schema([("x", pa.string())])
def batches():
    for i in range(10_000):
        yield pa.record_batch([pa.array([str(i)] * 100)], schema=schema)
        if i == 2:
            print("writing", flush=True)
        time.sleep(0.01)
write_dataset(batches(), schema, sys.argv[1], table=sys.argv[2] if len(sys.argv) > 2 else None)
"""

SCHEMA = pa.schema([("x", pa.string())])


def _kill_mid_write(*args: str) -> int:
    """Start a slow writer, SIGKILL it mid-write; return its pid (staging names carry it)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, *args], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return proc.pid


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".parquet", ".jsonl", ".xlsx"])
def test_killed_file_writer_leaves_no_target(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"out{suffix}"
    _kill_mid_write(str(target))
    assert not target.exists()


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        names = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    return names


def test_killed_table_writer_leaves_no_table(
    db_url: str, unique_table: Callable[[str], str]
) -> None:
    from govkit.datasets.staging import stage_table_name

    assert f"p{os.getpid()}t" in stage_table_name()  # the filter below can match
    name = unique_table("kill")
    pid = _kill_mid_write(db_url, name)
    after = _tables(db_url)
    assert name not in after
    # Only this writer's staging tables: their names carry its pid (other tests run beside).
    mine = {t for t in after if t.startswith("_govkit_stage_") and f"p{pid}t" in t}
    if not db_url.startswith("mysql"):
        # Transactional DDL: not even the staging table survives. (MariaDB commits DDL
        # implicitly, so a killed load may orphan a staging table there; `govkit doctor
        # --clean` and the next run remove it.)
        assert mine == set()


class Boom(Exception):
    pass


def _failing_batches() -> Iterator[pa.RecordBatch]:
    yield pa.record_batch([pa.array(["a", "b"])], schema=SCHEMA)
    raise Boom("stage failed mid-stream")


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".parquet", ".jsonl", ".xlsx"])
def test_failing_stream_leaves_no_file_and_no_temp(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"out{suffix}"
    with pytest.raises(Boom):
        write_dataset(_failing_batches(), SCHEMA, str(target))
    assert list(tmp_path.iterdir()) == []


def test_failing_stream_leaves_no_table(
    db_url: str, unique_table: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    name = unique_table("fail")
    token = name.rsplit("_", 1)[-1]  # unique per test: the staging table's name is known
    used: list[str] = []

    def known_token(nbytes: int | None = None) -> str:
        used.append(token)
        return token

    monkeypatch.setattr(secrets, "token_hex", known_token)  # as write_sql names staging
    with pytest.raises(Boom):
        write_dataset(_failing_batches(), SCHEMA, db_url, table=name)
    monkeypatch.undo()
    tables = _tables(db_url)
    assert used, "the staging table was not named through secrets.token_hex"
    assert name not in tables
    assert not [t for t in tables if t.startswith("_govkit_stage_") and t.endswith(token)]
