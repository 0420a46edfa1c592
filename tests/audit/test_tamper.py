from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from govkit.audit.findings import VerifyResult
from govkit.audit.rows import Row
from govkit.audit.store import AuditStore
from govkit.errors import AuditError
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings
from tests.audit import tamper
from tests.audit.conftest import MASTER

N = 10
OTHER_KEY = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="


def _fill(store: AuditStore, n: int = N) -> None:
    for i in range(n):
        ev = AuditEvent(action="scan", columns=[f"c{i}"], counts={"rows": i}).model_dump()
        store.append([{**ev, "actor": "ann"}])


def _kinds(result: VerifyResult) -> set[tuple[str, int]]:
    return {(f.kind, f.seq) for f in result.findings if f.severity == "error"}


def test_clean_chain_verifies(store: AuditStore) -> None:
    _fill(store)
    result = store.verify()
    assert result.ok and result.events == N and result.anchored == N
    assert result.findings == []


CASES: list[tuple[str, Callable[[AuditStore], None], set[tuple[str, int]]]] = [
    ("edit a field", lambda s: tamper.edit_field(s, 4), {("MODIFIED", 4)}),
    ("edit a column", lambda s: tamper.edit_column(s, 6), {("MODIFIED", 6)}),
    ("delete a middle row", lambda s: tamper.delete(s, 5), {("MISSING", 5)}),
    (
        "delete the last rows",
        lambda s: tamper.delete_tail(s, 7, fix_head=True),
        {("TRUNCATED", 8)},
    ),
    (
        "delete the last rows, head row left",
        lambda s: tamper.delete_tail(s, 7, fix_head=False),
        {("TRUNCATED", 8)},
    ),
    (
        "delete a middle row and renumber",
        lambda s: tamper.delete_and_renumber(s, 5),
        {("MISSING", 5), ("TRUNCATED", 10)},
    ),
    ("reorder", lambda s: tamper.swap(s, 3, 4), {("REORDERED", 3), ("REORDERED", 4)}),
    ("insert a forged row", lambda s: tamper.forge_append(s, fix_head=True), {("FORGED", 11)}),
    (
        "insert a forged row, head left",
        lambda s: tamper.forge_append(s, fix_head=False),
        {("FORGED", 11)},
    ),
    (
        "insert a forged row under a made-up key id",
        lambda s: tamper.forge_append(s, fix_head=True, key_id="deadbeef"),
        {("FORGED", 11)},
    ),
    ("rewrite and rehash", lambda s: tamper.rewrite_and_rehash(s, 2), {("FORGED", 2)}),
    (
        "rehash a tail and delete beyond it",
        lambda s: tamper.rehash_tail(s, 5, 7),
        {("FORGED", 5), ("TRUNCATED", 8)},
    ),
]


@pytest.mark.parametrize(("name", "attack", "expected"), CASES, ids=[c[0] for c in CASES])
def test_tampering_is_detected(
    store: AuditStore,
    name: str,
    attack: Callable[[AuditStore], None],
    expected: set[tuple[str, int]],
) -> None:
    _fill(store)
    attack(store)
    result = store.verify()
    assert not result.ok
    assert expected <= _kinds(result), result.findings
    kinds = {k for k, _ in _kinds(result)}
    assert kinds <= {k for k, _ in expected}, result.findings


def _older_copy_in_place(tmp_path: Path) -> GovkitSettings:
    """A store of 7 events whose database was replaced by its copy taken at 4 events."""
    db = tmp_path / "audit.db"
    settings = GovkitSettings(audit_url=f"sqlite:///{db}", master_key=SecretStr(MASTER))
    store = AuditStore.open(settings)
    _fill(store, 4)
    backup = sqlite3.connect(tmp_path / "old.db")
    with sqlite3.connect(db) as src:
        src.backup(backup)
    backup.close()
    _fill(store, 3)
    store.close()
    (tmp_path / "old.db").replace(db)
    for extra in ("-wal", "-shm"):
        Path(str(db) + extra).unlink(missing_ok=True)
    return settings


@pytest.mark.parametrize("later", [1, 3], ids=["head-at-stream-end", "head-past-stream"])
def test_events_appended_while_verifying_are_no_finding(
    store: AuditStore, monkeypatch: pytest.MonkeyPatch, later: int
) -> None:
    from govkit.audit import verify as verify_module

    _fill(store, 3)
    real = verify_module.stream_rows  # type: ignore[attr-defined]

    def racing(opened: AuditStore) -> Iterator[Row]:
        _fill(store, 1)  # a writer commits after verify read the head row
        rows = list(real(opened))
        _fill(store, later - 1)  # and others after the rows were read
        yield from rows

    monkeypatch.setattr(verify_module, "stream_rows", racing)
    result = store.verify()
    assert result.ok and result.events == 4, result.findings


def test_older_copy_of_the_database_is_truncated(tmp_path: Path) -> None:
    result = AuditStore.open(_older_copy_in_place(tmp_path)).verify()
    assert _kinds(result) == {("TRUNCATED", 5)}


def test_appends_to_an_older_copy_cannot_overwrite_the_checkpoint(tmp_path: Path) -> None:
    forked = AuditStore.open(_older_copy_in_place(tmp_path))
    _fill(forked, 3)  # the fork reaches seq 7, the signed size, with another history
    with pytest.raises(AuditError, match="no longer passes through the signed head at seq 7"):
        _fill(forked, 1)
    assert _kinds(forked.verify()) == {("FORGED", 7)}


def test_fresh_database_in_place_of_the_old_is_forged(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    settings = GovkitSettings(audit_url=f"sqlite:///{db}", master_key=SecretStr(MASTER))
    store = AuditStore.open(settings)
    _fill(store, 4)
    store.close()
    for extra in ("", "-wal", "-shm"):
        Path(str(db) + extra).unlink(missing_ok=True)
    result = AuditStore.open(settings).verify()
    assert ("FORGED", 1) in _kinds(result)


def test_wrong_key_is_bad_signature(settings: GovkitSettings, store: AuditStore) -> None:
    _fill(store)
    wrong = AuditStore.open(
        GovkitSettings(audit_url=settings.audit_url, master_key=SecretStr(OTHER_KEY))
    )
    result = wrong.verify()
    assert {k for k, _ in _kinds(result)} == {"BAD_SIGNATURE"}


def test_appending_under_another_key_is_refused(
    settings: GovkitSettings, store: AuditStore
) -> None:
    _fill(store, 2)
    wrong = AuditStore.open(
        GovkitSettings(audit_url=settings.audit_url, master_key=SecretStr(OTHER_KEY))
    )
    with pytest.raises(AuditError, match="written under audit key id"):
        wrong.append([{**AuditEvent(action="scan").model_dump(), "actor": "eve"}])
    assert store.head()[0] == 2


def test_external_checkpoint_anchors_and_unanchored_is_a_warning(
    store: AuditStore, tmp_path: Path
) -> None:
    _fill(store, 3)
    saved = tmp_path / "witness.checkpoint"
    assert store.checkpoint_path is not None
    saved.write_bytes(store.checkpoint_path.read_bytes())
    _fill(store, 2)
    result = store.verify(checkpoint_files=[saved])
    assert result.ok and result.anchored == 3
    assert [(f.kind, f.seq, f.seq_end) for f in result.findings] == [("UNANCHORED", 4, 5)]


def test_run_report_checkpoint_catches_a_deleted_tail(store: AuditStore, tmp_path: Path) -> None:
    _fill(store, 6)
    report = {
        "run_id": "r1",
        "audit": {"store": store.url, "checkpoint": store.checkpoint().model_dump()},
    }
    path = tmp_path / "r1.json"
    path.write_text(json.dumps(report))
    tamper.delete_tail(store, 4, fix_head=True)
    assert store.checkpoint_path is not None
    store.checkpoint_path.unlink()
    result = store.verify(checkpoint_files=[path])
    assert _kinds(result) == {("TRUNCATED", 5)}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"size": 3}', "not a govkit audit checkpoint"),
        ('{"run_id": "r1", "audit": {"checkpoint": null}}', "run report holds no audit checkpoint"),
    ],
)
def test_a_file_that_is_not_a_checkpoint_is_refused(
    store: AuditStore, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "x.json"
    path.write_text(content)
    with pytest.raises(AuditError, match=message):
        store.verify(checkpoint_files=[path])
