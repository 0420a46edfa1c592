"""The audit page's reads: keyset pages, filters (SQL and export agree), capped counts, summaries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from govkit.audit.store import AuditStore
from govkit.console import auditview
from govkit.console.auditview import Filters, actor_summary, matching, page
from govkit.governor import Governor
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings

ACTORS = ["ann", "ben", "cho"]
PURPOSES = ["analytics", "marketing", None]
DATASETS = ["/d/customers.csv", "/d/tickets.csv", "/d/a_b%c.csv", "/d/axbyc.csv"]
OUTCOMES = ["success", "success", "denied", "failure"]


@pytest.fixture(scope="module")
def events_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuditStore]:
    folder: Path = tmp_path_factory.mktemp("auditview")
    settings = GovkitSettings(audit_url=f"sqlite:///{folder / 'audit.db'}")
    store = AuditStore.open(settings)
    batch: dict[str, list[AuditEvent]] = {a: [] for a in ACTORS}
    for i in range(60):
        batch[ACTORS[i % 3]].append(
            AuditEvent(action="protect" if i % 2 else "scan", outcome=OUTCOMES[i % 4],  # type: ignore[arg-type]
                       purpose=PURPOSES[i % 3], dataset=DATASETS[i % 4], role="analyst")
        )  # fmt: skip
    for actor, events in batch.items():
        Governor(settings.model_copy(update={"actor": actor}), audit_store=store).record(*events)
    yield store
    store.close()


def _all(store: AuditStore) -> list[dict[str, object]]:
    return [r.event for r in matching(store, Filters.from_params({}))]


def test_keyset_pages_cover_every_event_once_newest_first(events_store: AuditStore) -> None:
    seen: list[int] = []
    before = None
    pages = 0
    while True:
        found = page(events_store, Filters.from_params({}), before=before, size=7)
        seen += [r.seq for r in found.records]
        assert found.total == (60 if before is None else -1)  # only the first page counts
        pages += 1
        if found.next_before is None:
            break
        before = found.next_before
    assert seen == sorted(seen, reverse=True)
    assert sorted(seen) == list(range(1, 61))
    assert pages == 9  # 60 events in pages of 7


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 60),
        ({"actor": "ann"}, 20),
        ({"actor": "nobody"}, 0),
        ({"purpose": "analytics"}, 20),
        ({"purpose": "analyt"}, 0),  # exact, not a substring
        ({"purpose": "marketing", "actor": "ben"}, 20),  # i % 3 == 1 for both
        ({"purpose": "marketing", "actor": "ann"}, 0),
        ({"dataset": "/d/customers.csv"}, 15),
        ({"dataset": "*customers.csv"}, 15),
        ({"dataset": "/d/*"}, 60),
        ({"dataset": "*a_b%c*"}, 15),  # _ and % are literal, not wildcards
        ({"dataset": "*ers.cs"}, 0),
        ({"outcome": "denied"}, 15),
        ({"action": "scan", "outcome": "success"}, 15),  # i % 4 == 0
        ({"since": "1h"}, 60),
        ({"until": "2000-01-01"}, 0),
    ],
)
def test_filters_in_sql_and_in_the_export_agree(
    events_store: AuditStore, params: dict[str, str], expected: int
) -> None:
    filters = Filters.from_params(params)
    found = page(events_store, filters, before=None, size=100)
    exported = [r.seq for r in matching(events_store, filters)]
    assert found.total == len(found.records) == expected
    assert sorted(r.seq for r in found.records) == exported
    assert filters.params() == {k: v for k, v in params.items() if v}


def test_the_count_is_capped(events_store: AuditStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auditview, "COUNT_CAP", 25)
    found = page(events_store, Filters.from_params({}), before=None, size=10)
    assert (found.total, found.capped, len(found.records)) == (25, True, 10)
    found = page(events_store, Filters.from_params({"actor": "ann"}), before=None, size=10)
    assert (found.total, found.capped) == (20, False)


def test_actor_summary_counts(events_store: AuditStore) -> None:
    rows = {r["actor"]: r for r in actor_summary(events_store, Filters.from_params({}))}
    everything = _all(events_store)
    assert set(rows) == set(ACTORS)
    for actor in ACTORS:
        mine = [e for e in everything if e["actor"] == actor]
        outcomes = Counter(str(e["outcome"]) for e in mine)
        assert rows[actor]["events"] == len(mine) == 20
        assert rows[actor]["denied"] == outcomes["denied"]
        assert rows[actor]["failed"] == outcomes["failure"]
        assert rows[actor]["first"] <= rows[actor]["last"]
    only = actor_summary(events_store, Filters.from_params({"outcome": "denied"}))
    assert sum(int(r["events"]) for r in only) == 15


def test_last_event(events_store: AuditStore) -> None:
    last = auditview.last_event(events_store, "protect")
    assert last is not None and last.event["action"] == "protect"
    assert auditview.last_event(events_store, "audit.verify") is None


def test_export_row_flattens_lists_and_mappings(events_store: AuditStore) -> None:
    record = next(iter(matching(events_store, Filters.from_params({"actor": "ann"}))))
    row = auditview.export_row(record)
    assert len(row) == len(auditview.EXPORT_COLUMNS)
    assert row[0] == str(record.seq) and row[2] == "ann" and row[-1] == record.hash
