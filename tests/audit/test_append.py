from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from govkit.audit.store import AuditStore
from govkit.errors import AuditError
from govkit.governor import Governor
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings


def _event(**over: Any) -> dict[str, Any]:
    return {**AuditEvent(action="scan", columns=["phone"]).model_dump(), "actor": "ann", **over}


def test_append_chains_a_batch(store: AuditStore) -> None:
    cp = store.append([_event(), _event(action="protect"), _event(outcome="denied")])
    assert cp is not None and cp.size == 3
    assert store.head() == (3, cp.head_hash)
    cp2 = store.append([_event()])
    assert cp2 is not None and cp2.size == 4
    ev = store.tables.events
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(ev.c.seq, ev.c.prev_hash, ev.c.hash).order_by(ev.c.seq)).all()
    assert [r.seq for r in rows] == [1, 2, 3, 4]
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))


def test_governor_records_through_the_store(settings: GovkitSettings) -> None:
    gov = Governor(settings)
    gov.record(
        AuditEvent(
            action="scan",
            dataset="postgresql://u:secret@h/db",
            details={"output": "mysql+pymysql://u:hidden@h/db#t", "rows": 3},
        )
    )
    ev = gov.audit_store.tables.events
    with gov.audit_store.engine.connect() as conn:
        stored = conn.execute(sa.select(ev.c.body, ev.c.dataset, ev.c.ts)).one()
    assert "secret" not in stored.body and stored.dataset == "postgresql://u:***@h/db"
    assert "hidden" not in stored.body and "mysql+pymysql://u:***@h/db#t" in stored.body
    assert stored.ts.endswith("Z")


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (_event(raw_value="13812345678"), "unknown field(s) raw_value"),
        (_event(outcome="maybe"), "invalid field(s) outcome"),
        (_event(ts="yesterday"), "'ts' is not an RFC 3339 timestamp"),
        (_event(actor=5), "field 'actor' must be a string"),
        ({"outcome": "success"}, "invalid field(s) action"),
    ],
)
def test_append_rejects_bad_events(store: AuditStore, event: dict[str, Any], message: str) -> None:
    with pytest.raises(AuditError, match=message.replace("(", r"\(").replace(")", r"\)")):
        store.append([event])
    assert store.head()[0] == 0


def test_default_sqlite_store_creates_its_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store = AuditStore.open(GovkitSettings())
    store.append([_event()])
    assert (tmp_path / ".govkit" / "audit.db").exists()
    assert (tmp_path / ".govkit" / "audit.db.checkpoint").exists()
    key = tmp_path / ".govkit" / "audit-signing.key"
    assert key.stat().st_mode & 0o777 == 0o600


def test_unreachable_store_raises_audit_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = GovkitSettings(audit_url="postgresql+psycopg://nobody:pw@127.0.0.1:1/none")
    with pytest.raises(AuditError, match=r"postgresql\+psycopg://nobody:\*\*\*@127.0.0.1:1/none"):
        AuditStore.open(settings)


def test_in_memory_store_needs_no_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = AuditStore.open(GovkitSettings(audit_url="sqlite://"))
    cp = store.append([_event(), _event()])
    assert cp is not None and cp.size == 2 and store.checkpoint_path is None
    assert store.verify().ok
    assert list(tmp_path.iterdir()) == []


def test_a_reader_does_not_create_a_missing_store(settings: GovkitSettings) -> None:
    with pytest.raises(AuditError, match="no audit store here"):
        AuditStore.open(settings, create=False)
    AuditStore.open(settings).close()  # a writer creates it; then readers open it
    AuditStore.open(settings, create=False).close()
