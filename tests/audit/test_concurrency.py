from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from pydantic import SecretStr

from govkit.audit.store import AuditStore
from govkit.settings import GovkitSettings
from tests.audit.conftest import MASTER

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 4
EACH = 500

pytestmark = pytest.mark.slow


def _spawn(url: str, name: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.audit._writer", url, name, str(EACH)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _check(store: AuditStore) -> None:
    ev = store.tables.events
    with store.engine.connect() as conn:
        seqs = [r[0] for r in conn.execute(sa.select(ev.c.seq).order_by(ev.c.seq))]
        per_actor: dict[str, int] = dict(
            conn.execute(sa.select(ev.c.actor, sa.func.count()).group_by(ev.c.actor)).all()
        )
    assert seqs == list(range(1, WRITERS * EACH + 1))
    assert per_actor == {f"w{i}": EACH for i in range(WRITERS)}
    result = store.verify()
    assert result.ok and result.findings == [], result.findings
    assert result.events == WRITERS * EACH and result.anchored == WRITERS * EACH


@pytest.mark.parametrize("kill", [False, True], ids=["clean", "sigkill"])
def test_four_writers_make_one_contiguous_chain(audit_url: str, tmp_path: Path, kill: bool) -> None:
    settings = GovkitSettings(audit_url=audit_url, master_key=SecretStr(MASTER))
    if kill:  # the clean run also races four processes creating the schema
        AuditStore.open(settings).close()
    procs = [_spawn(audit_url, f"w{i}", tmp_path) for i in range(WRITERS)]
    if kill:
        victim = procs[0]
        assert victim.stdout is not None
        for _ in range(40):  # let it write some events, then kill it mid-run
            victim.stdout.readline()
        time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        assert victim.returncode == -signal.SIGKILL
    for proc in procs[1:] if kill else procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    if kill:
        again = _spawn(audit_url, "w0", tmp_path)
        _, err = again.communicate(timeout=600)
        assert again.returncode == 0, err
    store = AuditStore.open(settings)
    try:
        _check(store)
    finally:
        store.close()


HOLDER = r"""
import sys, time
sys.path.insert(0, sys.argv[2])
import sqlalchemy as sa
from govkit.audit.store import AuditStore
from govkit.settings import GovkitSettings
from tests.audit.conftest import MASTER
store = AuditStore.open(GovkitSettings(audit_url=sys.argv[1], master_key=MASTER))
heads, events = store.tables.heads, store.tables.events
with store._begin(write=True) as conn:
    head = conn.execute(
        sa.select(heads.c.seq, heads.c.hash).where(heads.c.chain_id == store.chain_id).with_for_update()
    ).one()
    conn.execute(sa.update(heads).values(seq=head.seq + 1, hash="0" * 64))
    print("locked", flush=True)
    time.sleep(600)
"""


def test_writer_killed_inside_its_transaction_leaves_nothing(
    audit_url: str, tmp_path: Path
) -> None:
    settings = GovkitSettings(audit_url=audit_url, master_key=SecretStr(MASTER))
    store = AuditStore.open(settings)
    store.append([{"action": "scan", "actor": "before"}])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, audit_url, str(ROOT)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        store.append([{"action": "scan", "actor": "after"}])
    finally:
        holder.kill()
    result = store.verify()
    assert result.ok and result.findings == [] and result.events == 2
    store.close()
