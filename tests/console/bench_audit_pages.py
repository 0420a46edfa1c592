"""Benchmark: the console's audit reads over a generated 1M-event SQLite store (not a test).

    PYTHONPATH=. .venv/bin/python -m tests.console.bench_audit_pages [--events 1000000] [--dir D]

Builds (once, kept in ``--dir``) a real hash-chained store through ``AuditStore.append``:
50 actors (one with 40 % of the events), 8 actions, 200 datasets, 4 purposes, 90 days.
Then, in alternating rounds, times each console read against a reference timed in the
same round: the CLI's own ``query_store`` (``govkit audit query --limit 50``, oldest
first) on the same filter. Prints medians, ratios and the load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from govkit.audit.query import query_store
from govkit.audit.store import AuditStore
from govkit.console.auditview import Filters, actor_summary, page
from govkit.settings import GovkitSettings

ACTIONS = [
    "scan",
    "validate",
    "access.decide",
    "protect",
    "reveal",
    "run.start",
    "run.finish",
    "console.view",
]
PURPOSES = ["analytics", "marketing", "customer_service", "fraud"]


def build(path: Path, events: int, batch: int = 20_000) -> AuditStore:
    settings = GovkitSettings(audit_url=f"sqlite:///{path}")
    store = AuditStore.open(settings)
    have = store.head()[0]
    rng = random.Random(7)
    start = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    step = dt.timedelta(days=90) / events
    while have < events:
        rows = []
        for i in range(have, min(have + batch, events)):
            actor = "user00" if rng.random() < 0.4 else f"user{rng.randrange(1, 50):02d}"
            rows.append({
                "action": ACTIONS[rng.randrange(8)], "outcome": "denied" if rng.random() < 0.02 else "success",
                "dataset": f"/data/table{rng.randrange(200):03d}.csv", "columns": ["a", "b", "c"],
                "role": "analyst", "purpose": PURPOSES[rng.randrange(4)], "counts": {"rows": i},
                "details": {"run_id": f"r{i // 1000}"}, "actor": actor, "host": "bench",
                "govkit_version": "bench", "ts": (start + step * i).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            })  # fmt: skip
        store.append(rows)
        have += len(rows)
        print(f"  {have:,} events", flush=True)
    return store


def _ms(func: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    func()
    return (time.perf_counter() - t0) * 1000


def _http(store: AuditStore, folder: Path, rounds: int) -> None:
    """Whole requests through the console app (sign-in, template, the view event appended)."""
    import re
    import warnings

    from govkit.console.accounts import UserStore
    from govkit.console.app import create_app
    from govkit.console.config import ConsoleConfig

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    users = UserStore(folder / "console-users.json")
    if "bench" not in users.read().users:
        users.add("bench", "bench password 1", ["auditor"])
    config = ConsoleConfig(settings=GovkitSettings(audit_url=store.url), state_dir=folder)
    client = TestClient(create_app(config, store), base_url="http://127.0.0.1")
    pre = re.search(r'name="pre" value="([^"]+)"', client.get("/login").text)
    assert pre
    client.post("/login", data={"username": "bench", "password": "bench password 1", "pre": pre[1]})
    for path in ("/audit", "/audit?actor=user17", "/audit?dataset=*table042.csv",
                 "/audit/actors?since=2026-11-23"):  # fmt: skip
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            assert client.get(path).status_code == 200
            times.append((time.perf_counter() - t0) * 1000)
        print(f"HTTP GET {path:<34} {statistics.median(times):>7.1f} ms (median of {rounds})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/govkit-console-bench"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    store = build(args.dir / f"audit-{args.events}.db", args.events)
    print(f"store ready in {time.perf_counter() - t0:.0f} s: {store.head()[0]:,} events")
    mid = store.head()[0] // 2
    cases: dict[str, dict[str, str]] = {
        "no filter": {},
        "actor (40 % of events)": {"actor": "user00"},
        "actor (1 %)": {"actor": "user17"},
        "actor (no match)": {"actor": "nobody"},
        "action": {"action": "reveal"},
        "outcome denied": {"outcome": "denied"},
        "dataset exact": {"dataset": "/data/table042.csv"},
        "dataset *pattern": {"dataset": "*table042.csv"},
        "since 7d (2026-11-23)": {"since": "2026-11-23"},
        "purpose (body)": {"purpose": "fraud"},
        "actor + action + since": {"actor": "user17", "action": "protect", "since": "2026-11-01"},
    }
    timings: dict[str, tuple[list[float], list[float], list[float]]] = {
        k: ([], [], []) for k in cases
    }
    summary: list[float] = []
    for _ in range(args.rounds):
        for name, params in cases.items():
            filters = Filters.from_params(params)
            ref_q = filters.query.model_copy(update={"limit": 50})
            ref, first, deep = timings[name]
            ref.append(_ms(partial(lambda q: list(query_store(store, q)), ref_q)))
            first.append(_ms(partial(page, store, filters, before=None, size=50)))
            deep.append(_ms(partial(page, store, filters, before=mid, size=50)))
        summary.append(
            _ms(lambda: actor_summary(store, Filters.from_params({"since": "2026-11-23"})))
        )
    print(
        f"\n{'filter':<26} {'CLI query --limit 50':>21} {'console page 1':>15} {'page at seq/2':>14}  ratio p1/CLI"
    )
    for name, (ref, first, deep) in timings.items():
        r, f, d = (statistics.median(x) for x in (ref, first, deep))
        print(f"{name:<26} {r:>18.1f} ms {f:>12.1f} ms {d:>11.1f} ms  {f / r:>6.1f}x")
    print(
        f"per-actor summary, since 7d: {statistics.median(summary):.1f} ms (median of {args.rounds})"
    )
    _http(store, args.dir, args.rounds)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    store.close()


if __name__ == "__main__":
    main()
