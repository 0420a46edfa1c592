"""Audit log throughput: appends/s with concurrent writers per backend, verify speed on SQLite.

    .venv/bin/python bench/bench_audit.py [--events 1000000] [--writers 4] [--per-writer 250]
                                          [--backends sqlite,postgres,mysql]

References measured in the same run:
* appends: the same writers doing a plain INSERT of the same canonical event, one
  transaction each, with no chain, lock, MAC or checkpoint;
* verify: bare hashlib (one SHA-256 per event over the same bytes, from memory), and
  a plain sqlite3 fetch of the same rows.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import ROOT, ratio_line

MASTER = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
SERVERS = {
    "postgres": os.environ.get(
        "GOVKIT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ),
    "mysql": os.environ.get("GOVKIT_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test"),
}

WRITER = r"""
import sys, time
sys.path.insert(0, sys.argv[5])
from govkit.audit.store import AuditStore
from govkit.audit.canonical import canonical_json
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings
url, mode, count, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ev = {**AuditEvent(action="protect", dataset="examples/data/customers.csv",
      columns=["name", "phone", "id_number"], role="analyst", purpose="analytics",
      rule_ids=["analyst-masked"], policy_hash="ab" * 32,
      counts={"rows_in": 500, "rows_out": 500}).model_dump(),
      "actor": "bench", "host": "h", "govkit_version": "0.1.0"}
store = AuditStore.open(GovkitSettings(audit_url=url, master_key=sys.argv[6]))
print("ready", flush=True)
sys.stdin.readline()
start = time.time()
if mode == "plain":
    import sqlalchemy as sa
    t = sa.table("bench_plain_" + store.location.prefix, sa.column("body"))
    body = canonical_json(ev)
    for _ in range(count):
        with store.engine.begin() as conn:
            conn.execute(sa.insert(t).values(body=body))
else:
    for _ in range(0, count, batch):
        store.append([ev] * batch)
print(start, time.time(), flush=True)
"""


def _url(backend: str, base: Path, prefix: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{base / (prefix + '.db')}"
    return f"{SERVERS[backend]}?govkit_prefix={prefix}"


def _writers(url: str, mode: str, writers: int, count: int, batch: int, cwd: Path) -> float:
    """Start the writers, release them together once all are ready; return the busy wall time."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, mode, str(count), str(batch), str(ROOT), MASTER],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(writers)
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    spans = []
    for p in procs:
        out, _ = p.communicate()
        if p.returncode:
            raise SystemExit(f"a writer failed ({mode}, {url})")
        spans.append(tuple(float(x) for x in out.split()[-2:]))
    return max(end for _, end in spans) - min(start for start, _ in spans)


def _plain_table(store: object, backend: str) -> None:
    import sqlalchemy as sa

    engine = store.engine  # type: ignore[attr-defined]
    name = "bench_plain_" + store.location.prefix  # type: ignore[attr-defined]
    with engine.begin() as conn:
        body = "MEDIUMTEXT" if backend == "mysql" else "TEXT"
        conn.execute(sa.text(f"CREATE TABLE {name} (body {body})"))


def _drop(store: object) -> None:
    import sqlalchemy as sa

    prefix = store.location.prefix  # type: ignore[attr-defined]
    with store.engine.begin() as conn:  # type: ignore[attr-defined]
        for table in (
            f"bench_plain_{prefix}",
            f"{prefix}events",
            f"{prefix}heads",
            f"{prefix}meta",
        ):
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))


def bench_appends(backend: str, writers: int, per_writer: int, base: Path) -> None:
    from govkit.audit.store import AuditStore
    from govkit.settings import GovkitSettings

    prefix = f"gkb_{secrets.token_hex(3)}_"
    url = _url(backend, base, prefix)
    try:
        store = AuditStore.open(GovkitSettings(audit_url=url, master_key=MASTER))
    except Exception as exc:  # noqa: BLE001 - a missing server skips that backend
        print(f"{backend}: skipped ({type(exc).__name__})")
        return
    _plain_table(store, backend)
    total = writers * per_writer
    try:
        plain = _writers(url, "plain", writers, per_writer, 1, base)
        single = _writers(url, "chain", writers, per_writer, 1, base)
        batched = _writers(url, "chain", writers, per_writer, 25, base)
        result = store.verify()
        assert result.ok and result.events == 2 * total, result.findings
    finally:
        _drop(store) if backend != "sqlite" else None
        store.close()
    print(f"{backend}: {writers} writers x {per_writer} events")
    print(f"  plain INSERT (reference)          {total / plain:9.0f} appends/s")
    print(f"  chained, 1 event/transaction      {total / single:9.0f} appends/s")
    print(f"  chained, 25 events/transaction    {total / batched:9.0f} appends/s")
    print(ratio_line(f"  {backend} chained vs plain (1/tx)", single, plain))


def bench_verify(events: int, base: Path) -> None:
    from govkit.audit.store import AuditStore
    from govkit.settings import GovkitSettings

    url = f"sqlite:///{base / 'verify.db'}"
    store = AuditStore.open(GovkitSettings(audit_url=url, master_key=MASTER))
    import json

    from govkit.models import AuditEvent

    ev = {
        **AuditEvent(action="scan", dataset="examples/data/customers.csv",
                     columns=["name", "phone"], counts={"high": 2, "rows": 500}).model_dump(),
        "actor": "bench", "host": "h", "govkit_version": "0.1.0",
    }  # fmt: skip
    start = time.perf_counter()
    for done in range(0, events, 10_000):
        store.append([ev] * min(10_000, events - done))
    fill = time.perf_counter() - start
    print(f"sqlite: bulk append of {events} events in batches of 10,000: {events / fill:,.0f}/s")

    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = store.verify()
        times.append(time.perf_counter() - start)
        assert result.ok and result.events == events
    verify_s = sorted(times)[1]
    full_start = time.perf_counter()
    assert store.verify(all_macs=True).ok
    full_s = time.perf_counter() - full_start

    conn = sqlite3.connect(base / "verify.db")
    conn.text_factory = bytes
    start = time.perf_counter()
    rows = []
    cursor = conn.execute(
        f"SELECT seq, body, prev_hash, hash FROM {store.tables.events.name} ORDER BY chain_id, seq"
    )
    while batch := cursor.fetchmany(20_000):
        rows.extend(batch)
    fetch_s = time.perf_counter() - start
    sha = hashlib.sha256
    start = time.perf_counter()
    for _seq, body, prev, _h in rows:
        sha(b"\x01" + prev + body).hexdigest()
    hash_s = time.perf_counter() - start
    json.dumps(None)
    print(
        f"sqlite: verify {events:,} events: {events / verify_s:,.0f} events/s "
        f"(target >= 200,000); every MAC checked: {events / full_s:,.0f} events/s"
    )
    print(f"  bare hashlib over the same bytes   {events / hash_s:12,.0f} events/s")
    print(f"  plain sqlite3 fetch of the rows    {events / fetch_s:12,.0f} rows/s")
    print(ratio_line("  verify vs bare hashlib", verify_s, hash_s))
    print(ratio_line("  verify vs plain fetch", verify_s, fetch_s))
    print(ratio_line("  verify vs hashlib + fetch", verify_s, hash_s + fetch_s))
    store.close()


def bench_server_verify(backend: str, events: int) -> None:
    from govkit.audit.store import AuditStore
    from govkit.settings import GovkitSettings

    prefix = f"gkv_{secrets.token_hex(3)}_"
    try:
        store = AuditStore.open(
            GovkitSettings(audit_url=_url(backend, Path("."), prefix), master_key=MASTER)
        )
    except Exception as exc:  # noqa: BLE001 - a missing server skips that backend
        print(f"{backend}: verify skipped ({type(exc).__name__})")
        return
    try:
        ev = {"action": "scan", "dataset": "examples/data/customers.csv", "actor": "bench"}
        for done in range(0, events, 5_000):
            store.append([ev] * min(5_000, events - done))
        start = time.perf_counter()
        result = store.verify()
        took = time.perf_counter() - start
        assert result.ok and result.events == events
        print(f"{backend}: verify {events:,} events: {events / took:,.0f} events/s")
    finally:
        _drop(store)
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--per-writer", type=int, default=250)
    parser.add_argument("--backends", default="sqlite,postgres,mysql")
    parser.add_argument("--server-events", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=None, help="ignored (python -m bench)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govkit-bench-audit-") as tmp:
        base = Path(tmp)
        os.chdir(base)
        for backend in args.backends.split(","):
            bench_appends(backend.strip(), args.writers, args.per_writer, base)
        if args.events:
            bench_verify(args.events, base)
        for backend in args.backends.split(","):
            if backend.strip() != "sqlite" and args.server_events:
                bench_server_verify(backend.strip(), args.server_events)
    return 0


if __name__ == "__main__":
    sys.exit(main())
