"""The auditor's question is answered however a dataset was named (canonical identity)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import SecretStr

from govkit.audit.identity import canonical_dataset, same_dataset
from govkit.audit.store import AuditStore
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings
from tests.audit.conftest import MASTER
from tests.conftest import CliResult


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("./f.xlsx", "{cwd}/f.xlsx"),
        ("f.xlsx", "{cwd}/f.xlsx"),
        ("data/../f.xlsx", "{cwd}/f.xlsx"),
        ("/abs/f.xlsx", "/abs/f.xlsx"),
        ("postgresql://u:pw@h/db#crm", "postgresql://u:***@h/db#crm"),
        ("<dataframe>", "<dataframe>"),
        ("customers", "customers"),  # a bare dataset name is not a path
    ],
)
def test_canonical_dataset(
    given: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert canonical_dataset(given) == expected.format(cwd=tmp_path)


@pytest.mark.parametrize(
    ("event", "wanted", "same"),
    [
        ("pg://h/db#crm", {"pg://h/db"}, True),  # a table of a scanned database
        ("pg://h/db#crm", {"pg://h/db#crm"}, True),
        ("pg://h/db#crm", {"pg://h/db#other"}, False),
        ("/a/f.csv", {"/a/f.csv.bak"}, False),
        (None, {"/a/f.csv"}, False),
    ],
)
def test_same_dataset(event: str | None, wanted: set[str], same: bool) -> None:
    assert same_dataset(event, wanted) is same


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AuditStore:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    monkeypatch.setenv("GOVKIT_MASTER_KEY", MASTER)
    monkeypatch.setenv("GOVKIT_AUDIT_URL", url)
    store = AuditStore.open(GovkitSettings(audit_url=url, master_key=SecretStr(MASTER)))
    events = [
        AuditEvent(action="scan", dataset="./f.xlsx", counts={"high": 1}, fingerprint="sha256:aa"),
        AuditEvent(action="scan", dataset="postgresql://u:pw@db/crm", counts={"high": 2}),
        AuditEvent(action="protect", dataset=str(tmp_path / "f.xlsx"), role="analyst",
                   purpose="analytics"),
        AuditEvent(action="protect", dataset="postgresql://u:pw@db/crm#kunden",
                   role="marketing", purpose="marketing"),
        AuditEvent(action="protect", dataset="/elsewhere/copy.xlsx", fingerprint="sha256:aa",
                   role="engineer", purpose="data_quality"),
        AuditEvent(action="protect", dataset="/other/low.csv", role="analyst",
                   purpose="analytics"),
    ]  # fmt: skip
    for i, ev in enumerate(events):
        store.append([{**ev.model_dump(), "actor": ["ann", "bob", "cy"][i % 3]}])
    return store


def test_who_accessed_high_tier_data_in_the_last_hour(
    cli: Callable[..., CliResult], log: AuditStore, tmp_path: Path
) -> None:
    out = tmp_path / "r.json"
    res = cli("audit", "report", "--since", "1h", "--format", "json", "--output", str(out))
    assert res.code == 0, res.err
    report = json.loads(out.read_text(encoding="utf-8"))  # JSON, not HTML
    touched = {(a["actor"], a["dataset"]) for a in report["high_tier_access"]}
    assert touched == {
        ("cy", str(tmp_path / "f.xlsx")),  # scanned as ./f.xlsx, protected as the absolute path
        ("ann", "postgresql://u:***@db/crm#kunden"),  # scanned as the URL, protected as URL#table
        ("bob", "/elsewhere/copy.xlsx"),  # same fingerprint as the scanned file
    }
    assert "/other/low.csv" not in {a["dataset"] for a in report["high_tier_access"]}
    by_purpose = {p["purpose"]: p for p in report["purposes"]}
    assert by_purpose["analytics"]["events"] == 2 and by_purpose["analytics"]["roles"] == [
        "analyst"
    ]
    assert {a["actor"] for a in report["actors"]} == {"ann", "bob", "cy"}
    assert "high-tier access(es) by ann, bob, cy" in res.err


def test_html_report_lists_purposes(
    cli: Callable[..., CliResult], log: AuditStore, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    assert cli("audit", "report", "--output", str(out)).code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="purposes"' in page


@pytest.mark.parametrize(
    ("spelling", "count"),
    [("./f.xlsx", 2), ("f.xlsx", 2), ("postgresql://u:pw@db/crm", 2), ("nothing.csv", 0)],
)
def test_query_by_dataset_matches_every_spelling(
    cli: Callable[..., CliResult], log: AuditStore, spelling: str, count: int
) -> None:
    res = cli("audit", "query", "--dataset", spelling, "--format", "json")
    assert res.code == 0, res.err
    assert len(json.loads(res.out)) == count


def test_query_table_shows_the_purpose(cli: Callable[..., CliResult], log: AuditStore) -> None:
    res = cli("audit", "query")
    assert res.code == 0
    assert "purpose" in res.out and "data_quality" in res.out


@pytest.mark.parametrize(
    ("event", "high"),
    [
        ({"action": "scan", "counts": {"high": 2}}, True),
        ({"action": "scan", "counts": {"tier_high": 1}}, True),  # wave-1 `govkit run` event
        ({"action": "scan", "counts": {"high": 0, "medium": 3}}, False),
        ({"action": "scan", "counts": {"tier_medium": 4}}, False),
        ({"action": "protect", "counts": {"high": 1}}, False),
        ({"action": "scan"}, False),
    ],
)
def test_high_tier_scans_include_wave_one_run_events(event: dict[str, object], high: bool) -> None:
    from govkit.audit.period import _is_high_scan

    assert _is_high_scan(event) is high
