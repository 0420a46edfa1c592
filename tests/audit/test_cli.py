from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import SecretStr

from govkit.audit.store import AuditStore
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings
from tests.audit import tamper
from tests.audit.conftest import MASTER
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


@pytest.fixture
def sqlite_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AuditStore:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVKIT_MASTER_KEY", MASTER)
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    monkeypatch.setenv("GOVKIT_AUDIT_URL", url)
    store = AuditStore.open(GovkitSettings(audit_url=url, master_key=SecretStr(MASTER)))
    events = [
        AuditEvent(action="scan", dataset="data/customers.csv", counts={"high": 2}),
        AuditEvent(action="protect", dataset="data/customers.csv", role="analyst"),
        AuditEvent(action="reveal", outcome="denied", reason="view is not raw", role="analyst"),
        AuditEvent(action="validate", outcome="failure", dataset="data/feedback.csv"),
    ]
    for i, ev in enumerate(events):
        store.append([{**ev.model_dump(), "actor": "ann" if i % 2 else "bob"}])
    return store


def test_verify_clean_exits_0_and_records(cli: Cli, sqlite_store: AuditStore) -> None:
    res = cli("audit", "verify")
    assert res.code == 0, res.err
    assert res.out.splitlines()[-1] == "4 events verified"
    assert sqlite_store.head()[0] == 5  # audit.verify recorded after the clean verify
    again = cli("audit", "verify", "--no-record", "--format", "json")
    data = json.loads(again.out)
    assert again.code == 0 and data["ok"] is True and data["events"] == 5
    assert data["errors"] == 0 and data["anchored"] == 5
    assert sqlite_store.head()[0] == 5


def test_verify_tampered_exits_1_and_records_nothing(cli: Cli, sqlite_store: AuditStore) -> None:
    tamper.edit_field(sqlite_store, 2)
    res = cli("audit", "verify")
    assert res.code == 1
    assert res.out.splitlines() == [
        "MODIFIED      seq 2: event content does not match its hash",
        "4 events verified",
    ]
    assert res.err.strip() == (
        f"Error: {sqlite_store.url}: audit log failed verification: "
        "1 integrity finding(s) (MODIFIED)"
    )
    assert sqlite_store.head()[0] == 4


def test_verify_with_a_missing_checkpoint_file_exits_3(
    cli: Cli, sqlite_store: AuditStore, tmp_path: Path
) -> None:
    res = cli("audit", "verify", "--checkpoint", str(tmp_path / "nope.json"))
    assert res.code == 3
    assert res.err.strip() == (
        f"Error: {tmp_path / 'nope.json'}: cannot read the checkpoint: No such file or directory"
    )


@pytest.mark.parametrize(
    ("args", "seqs"),
    [
        ((), [1, 2, 3, 4]),
        (("--actor", "ann"), [2, 4]),
        (("--action", "reveal"), [3]),
        (("--outcome", "denied"), [3]),
        (("--role", "analyst"), [2, 3]),
        (("--dataset", "data/customers.csv"), [1, 2]),
        (("--dataset", "data/*"), [1, 2, 4]),
        (("--since", "1d"), [1, 2, 3, 4]),
        (("--until", "2000-01-01"), []),
        (("--action", "nothing"), []),
        (("--limit", "2"), [1, 2]),
    ],
)
def test_query_filters(
    cli: Cli, sqlite_store: AuditStore, args: tuple[str, ...], seqs: list[int]
) -> None:
    res = cli("audit", "query", *args, "--format", "json")
    assert res.code == 0, res.err
    assert [e["seq"] for e in json.loads(res.out)] == seqs


def test_query_csv_and_table(cli: Cli, sqlite_store: AuditStore) -> None:
    res = cli("audit", "query", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.out)))
    assert [r["action"] for r in rows] == ["scan", "protect", "reveal", "validate"]
    assert rows[2]["reason"] == "view is not raw"
    table = cli("audit", "query")
    assert table.code == 0 and "4 events" in table.out


def test_query_bad_time_exits_2(cli: Cli, sqlite_store: AuditStore) -> None:
    res = cli("audit", "query", "--since", "last tuesday")
    assert res.code == 2
    assert res.err.strip() == (
        "Error: 'last tuesday' is not a time: use an ISO date/datetime (UTC) or 30m, 12h, 7d, 2w"
    )


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_writes_log_and_checkpoint(
    cli: Cli, sqlite_store: AuditStore, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"audit.{fmt}"
    res = cli("audit", "export", "--output", str(out), "--format", fmt)
    assert res.code == 0, res.err
    cp = json.loads((tmp_path / f"audit.{fmt}.checkpoint.json").read_text())
    assert cp["size"] == 4 and cp["public_key"]
    lines = out.read_text().splitlines()
    assert len(lines) == (4 if fmt == "jsonl" else 5)
    assert sqlite_store.query()[-1].event["action"] == "audit.export"
    again = cli("audit", "export", "--output", str(out), "--format", fmt)
    assert again.code == 3
    assert again.err.strip() == f"Error: {out}: exists; pass --overwrite to replace it"


def test_report_writes_self_contained_html(
    cli: Cli, sqlite_store: AuditStore, tmp_path: Path
) -> None:
    out = tmp_path / "period.html"
    res = cli("audit", "report", "--since", "1d", "--output", str(out))
    assert res.code == 0, res.err
    page = out.read_text()
    for needle in ('id="verdict"', "Chain verified", "view is not raw", "data/customers.csv"):
        assert needle in page
    for external in ("<script", "http://", "https://", "<link"):
        assert external not in page
    assert cli("audit", "report", "--output", str(out)).code == 3


def test_checkpoint_command_prints_a_verifiable_witness(
    cli: Cli, sqlite_store: AuditStore, tmp_path: Path
) -> None:
    res = cli("audit", "checkpoint", "--format", "json")
    assert res.code == 0
    witness = tmp_path / "witness.json"
    witness.write_text(res.out)
    assert json.loads(res.out)["size"] == 4
    tamper.delete_tail(sqlite_store, 2, fix_head=True)
    (tmp_path / "audit.db.checkpoint").unlink()  # the attacker also removed the local file
    verdict = cli("audit", "verify", "--checkpoint", str(witness))
    assert verdict.code == 1 and "TRUNCATED     seq 3-4" in verdict.out


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_verifies_offline_and_catches_an_edit(
    cli: Cli, sqlite_store: AuditStore, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"q.{fmt}"
    assert cli("audit", "export", "--output", str(out), "--format", fmt).code == 0
    key = json.loads((tmp_path / f"q.{fmt}.checkpoint.json").read_text())["public_key"]
    ok = cli("audit", "verify", "--export", str(out), "--public-key", key)
    assert ok.code == 0, ok.err
    assert ok.out.splitlines()[-1] == "4 events verified"
    out.write_text(out.read_text().replace("analyst", "auditor", 1))
    bad = cli("audit", "verify", "--export", str(out), "--public-key", key)
    assert bad.code == 1
    assert bad.out.splitlines()[0] == "MODIFIED      seq 2: event content does not match its hash"


def test_export_with_another_public_key_is_bad_signature(
    cli: Cli, sqlite_store: AuditStore, tmp_path: Path
) -> None:
    out = tmp_path / "q.jsonl"
    assert cli("audit", "export", "--output", str(out)).code == 0
    other = "A" * 43 + "="
    res = cli("audit", "verify", "--export", str(out), "--public-key", other)
    assert res.code == 1 and "BAD_SIGNATURE seq 4: " in res.out


def test_public_key_without_export_is_a_usage_error(cli: Cli, sqlite_store: AuditStore) -> None:
    res = cli("audit", "verify", "--public-key", "x")
    assert res.code == 2
    assert res.err.strip() == "Error: --public-key only applies with --export"


def test_read_only_store_verifies_with_no_record(
    cli: Cli, sqlite_store: AuditStore, tmp_path: Path
) -> None:
    sqlite_store.close()
    import sqlite3

    with sqlite3.connect(tmp_path / "audit.db") as conn:  # leave no WAL behind
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    ro = f"sqlite:///file:{tmp_path / 'audit.db'}?mode=ro&uri=true"
    res = cli(
        "--audit-url",
        ro,
        "audit",
        "verify",
        "--no-record",
    )
    assert res.code == 0, res.err
    assert res.out.splitlines()[-1] == "4 events verified"
    assert cli("--audit-url", ro, "audit", "verify").code == 3  # recording needs write access


@pytest.mark.parametrize(
    "args",
    [["verify"], ["verify", "--no-record"], ["query"], ["report", "--output", "r.html"]],
)
def test_reading_a_store_that_is_not_there_is_an_error_not_an_empty_log(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'typo' / 'audit.db'}"
    res = cli("--audit-url", url, "audit", *args)
    assert (res.code, res.err.strip()) == (
        3,
        f"Error: {url}: no audit store here; check --audit-url / GOVKIT_AUDIT_URL / "
        "audit_url in govkit.yaml (govkit config shows which is used)",
    )
    assert list(tmp_path.iterdir()) == []
