"""Headers, CSRF, cookies, session fixation and timeouts, lockout and throttling, audit events."""

from __future__ import annotations

import time

import pytest

from govkit.audit.query import AuditQuery, query_store
from govkit.audit.store import AuditStore
from govkit.console.accounts import UserStore
from govkit.console.sessions import COOKIE, PRE_COOKIE, SessionStore
from tests.console._client import BASE, TestClient, client_for, csrf, field, login
from tests.console.conftest import PASSWORD, Project


def _events(store: AuditStore, **filters: str) -> list[dict[str, object]]:
    return [r.event for r in query_store(store, AuditQuery.model_validate(filters))]


@pytest.mark.parametrize("path", ["/login", "/", "/audit", "/catalog/customers"])
def test_every_page_carries_the_strict_headers(
    project: Project, store: AuditStore, path: str
) -> None:
    client = client_for(project.config(), store)
    login(client, "bob", PASSWORD)
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src" not in csp  # no script source at all: default-src 'none' forbids scripts
    assert "unsafe-inline" not in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"


def test_no_template_or_page_holds_a_script(project: Project, store: AuditStore) -> None:
    from govkit.console.app import HERE

    templates = list((HERE / "templates").glob("*.html"))
    assert len(templates) >= 10
    for template in templates:
        text = template.read_text(encoding="utf-8").lower()
        assert "<script" not in text and "javascript:" not in text and " on" + "click" not in text
        assert "http://" not in text and "https://" not in text, template.name  # nothing remote


def test_the_report_frame_is_same_origin_only_and_scriptless(
    project: Project, store: AuditStore
) -> None:
    from govkit.console.project import list_runs

    client = client_for(project.config(), store)
    login(client, "stella", PASSWORD)
    run = list_runs(project.reports_dir)[0].run_id
    page = client.get(f"/runs/{run}").text
    assert f'src="/runs/{run}/report" sandbox=""' in page
    report = client.get(f"/runs/{run}/report")
    assert report.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in report.headers["content-security-policy"]
    assert "script" not in report.headers["content-security-policy"]
    assert "<script" not in report.text.lower()


@pytest.mark.parametrize(
    ("token", "origin", "status"),
    [
        ("good", None, 200),
        ("good", "http://127.0.0.1", 200),
        ("", None, 403),
        ("wrong", None, 403),
        ("good", "http://evil.example", 403),
    ],
)
def test_state_changing_requests_need_the_csrf_token(
    project: Project, store: AuditStore, token: str, origin: str | None, status: int
) -> None:
    client = client_for(project.config(), store)
    login(client, "audrey", PASSWORD)
    value = csrf(client) if token == "good" else token
    headers = {"origin": origin} if origin else {}
    assert client.post("/audit/verify", data={"csrf": value}, headers=headers).status_code == status
    response = client.post("/logout", data={"csrf": value}, headers=headers)
    assert response.status_code == (303 if status == 200 else 403)


@pytest.mark.parametrize(("echo", "ok"), [(True, True), (False, False)])
def test_the_sign_in_form_needs_its_own_token(
    project: Project, store: AuditStore, echo: bool, ok: bool
) -> None:
    client = client_for(project.config(), store)
    page = client.get("/login")
    pre = field(page.text, "pre") if echo else "forged"
    response = client.post("/login", data={"username": "audrey", "password": PASSWORD, "pre": pre})
    assert (response.status_code == 200 and COOKIE in response.cookies) is ok


@pytest.mark.parametrize("secure", [False, True])
def test_session_cookie_flags(project: Project, store: AuditStore, secure: bool) -> None:
    base = "https://127.0.0.1" if secure else BASE  # a Secure cookie comes back over TLS only
    client = client_for(project.config(secure_cookies=secure), store, base)
    response = login(client, "audrey", PASSWORD)
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith(COOKIE)
    )
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert ("Secure" in cookie) is secure
    if secure:
        assert "max-age" in client.get("/login").headers.get("strict-transport-security", "")


def test_session_fixation_a_planted_or_old_id_is_worthless(
    project: Project, store: AuditStore
) -> None:
    client = client_for(project.config(), store)
    login(client, "audrey", PASSWORD)
    first = client.cookies[COOKIE]
    # Sign in again over the same browser (an id planted there before sign-in): a new id,
    # and the old one no longer works.
    attacker = TestClient(client.app, base_url=BASE, follow_redirects=False)
    pre = field(attacker.get("/login").text, "pre")
    client.cookies.set(PRE_COOKIE, attacker.cookies[PRE_COOKIE])
    data = {"username": "audrey", "password": PASSWORD, "pre": pre}
    assert client.post("/login", data=data).status_code == 200
    second = client.cookies[COOKIE]
    assert second != first
    attacker.cookies.set(COOKIE, first)
    assert attacker.get("/audit").status_code == 303
    attacker.cookies.set(COOKIE, second[:-2] + ("A" if second[-2] != "A" else "B") + second[-1])
    assert attacker.get("/audit").status_code == 303  # a forged signature
    attacker.cookies.set(COOKIE, second)
    assert attacker.get("/audit").status_code == 200  # (the cookie is what signs in)
    client.post("/logout", data={"csrf": csrf(client)})
    assert attacker.get("/audit").status_code == 303  # sign-out ends it everywhere


@pytest.mark.parametrize(
    ("idle_ago", "age", "alive"),
    [(0, 0, True), (899, 899, True), (901, 901, False), (10, 8 * 3600 + 1, False)],
)
def test_idle_and_absolute_timeouts(idle_ago: int, age: int, alive: bool) -> None:
    sessions = SessionStore(b"x" * 64, idle=900, absolute=8 * 3600)
    session, cookie = sessions.create("audrey", ["auditor"], "local")
    session.seen = time.time() - idle_ago
    session.created = time.time() - age
    assert (sessions.get(cookie) is not None) is alive


def test_lockout_after_repeated_failures_refuses_the_right_password(
    project: Project, store: AuditStore
) -> None:
    users = UserStore(project.config().users_file)
    users.add("locky", PASSWORD, ["auditor"])
    client = client_for(project.config(max_failures=3), store)
    codes = [login(client, "locky", "wrong password!").status_code for _ in range(3)]
    assert codes == [401, 401, 401]
    refused = login(client, "locky", PASSWORD)
    assert refused.status_code == 401 and "locked" in refused.text
    assert COOKIE not in refused.cookies
    events = _events(store, action="console.login", actor="locky")
    assert [e["outcome"] for e in events] == ["failure", "failure", "denied", "denied"]
    assert "locked" in str(events[-1]["reason"])
    users.set_password("locky", PASSWORD + "!")  # an administrator lifts the lock
    assert login(client, "locky", PASSWORD + "!").status_code == 200


def test_throttle_per_client_address(project: Project, store: AuditStore) -> None:
    client = client_for(project.config(throttle_attempts=2), store)
    assert [login(client, "nobody", "x" * 12).status_code for _ in range(3)] == [401, 401, 429]
    assert login(client, "audrey", PASSWORD).status_code == 429  # even the right password
    other = client_for(project.config(throttle_attempts=2), store)
    assert login(other, "nobody", "x" * 12).status_code == 401  # a fresh console: its own count


def test_disabled_account_cannot_sign_in_and_loses_its_session(
    project: Project, store: AuditStore
) -> None:
    users = UserStore(project.config().users_file)
    users.add("leaver", PASSWORD, ["steward"])
    client = client_for(project.config(), store)
    assert login(client, "leaver", PASSWORD).status_code == 200
    assert client.get("/catalog").status_code == 200
    users.set_disabled("leaver")
    assert client.get("/catalog").status_code == 303
    assert login(client, "leaver", PASSWORD).status_code == 401


def test_sign_in_sign_out_failures_and_views_are_audit_events(
    project: Project, store: AuditStore
) -> None:
    client = client_for(project.config(), store)
    head = store.head()[0]
    login(client, "ghost-user", "not a password")
    login(client, "stella", "not the password")
    login(client, "stella", PASSWORD)
    client.get("/catalog/customers?tier=high")
    client.get("/access?role=analyst&purpose=analytics&dataset=customers")
    client.post("/logout", data={"csrf": csrf(client)})
    new = [r.event for r in query_store(store, AuditQuery()) if r.seq > head]
    seen = [
        (e["action"], e["actor"], e["outcome"], e.get("dataset"), e["details"].get("page"))
        for e in new
    ]
    assert seen == [
        ("console.login", "unknown", "failure", None, None),  # no name of a non-account
        ("console.login", "stella", "failure", None, None),
        ("console.login", "stella", "success", None, None),
        ("console.view", "stella", "success", "customers", "catalog"),
        ("console.view", "stella", "success", "customers", "access"),
        ("console.view", "stella", "success", None, "dashboard"),  # read for the CSRF token
        ("console.logout", "stella", "success", None, None),
    ]
    assert all(e["role"] == "steward" for e in new[2:])
    assert new[3]["details"]["tier"] == "high"
    assert "ghost-user" not in str(new)
