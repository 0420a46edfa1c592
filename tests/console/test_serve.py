"""``govkit serve`` options (TLS, proxy, cookies) and verify now on a tampered chain."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from govkit.audit.query import AuditQuery, query_store
from govkit.audit.store import AuditStore
from govkit.cli import run
from govkit.console.accounts import UserStore
from govkit.console.config import ConsoleConfig
from govkit.governor import Governor
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings
from tests.console._client import client_for, csrf, login
from tests.console.conftest import PASSWORD


@pytest.fixture()
def small_store(tmp_path: Path) -> GovkitSettings:
    settings = GovkitSettings(audit_url=f"sqlite:///{tmp_path / 'audit.db'}")
    Governor(settings).record(
        *[AuditEvent(action="scan", dataset=f"/d/t{i}.csv") for i in range(5)]
    )
    return settings


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([], {"ssl_certfile": None, "proxy_headers": False, "forwarded_allow_ips": None, "secure": False}),
        (["--behind-tls-proxy", "--forwarded-allow-ips", "127.0.0.1"],
         {"proxy_headers": True, "forwarded_allow_ips": "127.0.0.1", "secure": True}),
        (["--tls-cert", "c.pem", "--tls-key", "k.pem"],
         {"ssl_certfile": "c.pem", "ssl_keyfile": "k.pem", "secure": True}),
    ],
)  # fmt: skip
def test_serve_passes_tls_and_proxy_settings_to_uvicorn(
    small_store: GovkitSettings, monkeypatch: pytest.MonkeyPatch,
    flags: list[str], expected: dict[str, Any],
) -> None:  # fmt: skip
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(app: Any, **kwargs: Any) -> None:
        seen.update(kwargs, secure=app.state.console.config.secure_cookies, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    code = run(["--quiet", "--audit-url", small_store.audit_url, "serve", "--port", "9999", *flags])
    assert code == 0
    assert seen["host"] == "127.0.0.1" and seen["port"] == 9999 and seen["access_log"] is False
    for key, value in expected.items():
        assert seen[key] == value, key


@pytest.mark.parametrize("flags", [["--tls-cert", "c.pem"], ["--tls-key", "k.pem"]])
def test_tls_cert_and_key_go_together(
    small_store: GovkitSettings, flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--audit-url", small_store.audit_url, "serve", *flags]) == 2
    assert "--tls-cert and --tls-key go together" in capsys.readouterr().err


@pytest.mark.parametrize("tamper", [False, True])
def test_verify_now_shows_findings_and_records_only_a_clean_result(
    small_store: GovkitSettings, tmp_path: Path, tamper: bool
) -> None:
    if tamper:
        with sqlite3.connect(tmp_path / "audit.db") as db:
            db.execute(
                "UPDATE govkit_audit_events SET body = replace(body, 't2.csv', 'tX.csv') WHERE seq = 3"
            )
    UserStore(tmp_path / "console-users.json").add("audrey", PASSWORD, ["auditor"])
    store = AuditStore.open(small_store, create=False)
    try:
        client = client_for(ConsoleConfig(settings=small_store, state_dir=tmp_path), store)
        assert login(client, "audrey", PASSWORD).status_code == 200
        page = client.post("/audit/verify", data={"csrf": csrf(client, "/audit")}).text
        verifies = [r.event for r in query_store(store, AuditQuery(action="audit.verify"))]
    finally:
        store.close()
    if tamper:
        assert "FAILED" in page and "MODIFIED" in page
        assert verifies == []
    else:
        assert "Intact:" in page
        assert [(e["actor"], e["outcome"]) for e in verifies] == [("audrey", "success")]
