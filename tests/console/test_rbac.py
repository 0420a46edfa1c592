"""Role × route: who may open what (deny by default), and no page shows a raw value or markup."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from govkit.audit.store import AuditStore
from govkit.console.app import PUBLIC, roles
from tests.console._client import TestClient, client_for, csrf, login
from tests.console.conftest import PASSWORD, XSS, XSS_IMG, Project, raw_values

RUN = "{run}"
# (method, path, anonymous, steward, auditor): 200 shown, 303 to sign-in, 403 refused
MATRIX = [
    ("GET", "/", 303, 200, 200),
    ("GET", "/catalog", 303, 200, 200),
    ("GET", "/catalog/customers", 303, 200, 200),
    ("GET", "/catalog/customers?tier=high", 303, 200, 200),
    ("GET", "/catalog/hostile", 303, 200, 200),
    ("GET", "/runs", 303, 200, 200),
    ("GET", f"/runs/{RUN}", 303, 200, 200),
    ("GET", f"/runs/{RUN}/report", 303, 200, 200),
    ("GET", "/access", 303, 200, 200),
    ("GET", "/access?role=analyst&purpose=analytics&dataset=customers", 303, 200, 200),
    ("GET", "/access?role=marketing&purpose=marketing&dataset=hostile", 303, 200, 200),
    ("GET", "/audit", 303, 403, 200),
    ("GET", "/audit?action=protect&dataset=*customers.csv&since=7d", 303, 403, 200),
    ("GET", "/audit?purpose=analytics", 303, 403, 200),
    ("GET", "/audit/actors", 303, 403, 200),
    ("GET", "/audit/export?format=csv", 303, 403, 200),
    ("GET", "/audit/export?format=jsonl&action=protect", 303, 403, 200),
    ("POST", "/audit/verify", 401, 403, 200),
    ("GET", "/login", 200, 303, 303),
    ("GET", "/static/console.css", 200, 200, 200),
    ("GET", "/favicon.ico", 204, 204, 204),
]
STATUS = {"anonymous": 2, "steward": 3, "auditor": 4}
USER = {"steward": "stella", "auditor": "audrey"}


@pytest.fixture(scope="module")
def run_id(project: Project) -> str:
    from govkit.console.project import list_runs

    runs = list_runs(project.reports_dir)
    assert runs, "the demo run wrote no report"
    return runs[0].run_id


@pytest.fixture(scope="module")
def clients(project: Project) -> Iterator[dict[str, TestClient]]:
    store = AuditStore.open(project.settings, create=False)
    made: dict[str, TestClient] = {}
    for who in STATUS:
        made[who] = client_for(project.config(), store)
        if who in USER:
            assert login(made[who], USER[who], PASSWORD).status_code == 200
    yield made
    store.close()


def _request(client: TestClient, method: str, path: str) -> tuple[int, str]:
    if method == "POST":
        token = csrf(client) if client.cookies.get("govkit_session") else ""
        response = client.post(path, data={"csrf": token})
    else:
        response = client.get(path)
    return response.status_code, response.text


@pytest.mark.parametrize("who", list(STATUS))
@pytest.mark.parametrize("row", MATRIX, ids=[f"{m} {p}" for m, p, *_ in MATRIX])
def test_role_route_matrix(
    clients: dict[str, TestClient], run_id: str, who: str, row: tuple[object, ...]
) -> None:
    method, path = str(row[0]), str(row[1]).replace(RUN, run_id)
    status, _ = _request(clients[who], method, path)
    assert status == row[STATUS[who]]


def test_matrix_covers_every_route(clients: dict[str, TestClient]) -> None:
    app: Any = clients["auditor"].app
    served = {
        (m, r.path) for r in app.routes for m in getattr(r, "methods", {"GET"}) if m != "HEAD"
    }
    listed = {(m, p.split("?")[0].replace(RUN, "{run_id}")) for m, p, *_ in MATRIX}
    listed = {(m, "/catalog/{dataset}" if p.startswith("/catalog/") else p) for m, p in listed}
    listed |= {("POST", "/login"), ("POST", "/logout"), ("GET", "/static")}
    assert served - listed == set(), "a route without a row in the RBAC matrix"


def test_every_route_names_its_roles(clients: dict[str, TestClient]) -> None:
    checked = 0
    app: Any = clients["auditor"].app
    for route in app.routes:
        endpoint = getattr(route, "endpoint", None)
        if endpoint is None or getattr(route, "path", "") == "/static":
            continue
        assert getattr(endpoint, "__govkit_roles__", None), route
        checked += 1
    assert checked >= 12


def test_a_route_that_names_no_role_is_refused(project: Project, store: AuditStore) -> None:
    client = client_for(project.config(), store)
    app: Any = client.app

    def unmarked() -> dict[str, str]:
        return {"secret": "shown"}

    def marked() -> dict[str, str]:
        return {"secret": "shown"}

    app.get("/unmarked")(unmarked)
    app.get("/marked")(roles("auditor")(marked))

    assert login(client, "bob", PASSWORD).status_code == 200
    assert client.get("/unmarked").status_code == 403
    assert client.get("/marked").status_code == 200
    assert PUBLIC == "public"


def _pages(clients: dict[str, TestClient], run_id: str) -> Iterator[tuple[str, str, str]]:
    for who in ("steward", "auditor"):
        for method, path, *_expected in MATRIX:
            path = path.replace(RUN, run_id)
            status, text = _request(clients[who], method, path)
            if status == 200:
                yield who, path, text


def test_no_page_shows_a_raw_value_or_live_markup(
    clients: dict[str, TestClient], run_id: str
) -> None:
    values = raw_values()
    assert len(values) > 100
    pages = list(_pages(clients, run_id))
    assert len(pages) >= 30
    escaped_seen = 0
    for who, path, text in pages:
        leaked = [v for v in values if v in text]
        assert not leaked, f"{who} {path} shows raw value(s)"
        if path.startswith("/audit/export"):
            continue  # a download, not a page: the payload is data there
        assert XSS not in text and XSS_IMG not in text, f"{who} {path} shows live markup"
        escaped_seen += "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert escaped_seen >= 3  # catalog column, audit actor/details: shown, escaped


def test_auditor_sees_no_masked_samples_steward_does(project: Project, store: AuditStore) -> None:
    import json

    from govkit.detect.report import ColumnScan, DatasetScan, ScanReport, ScanSummary

    report = ScanReport(
        source="x", summary=ScanSummary(datasets=1, columns=1, high=1, medium=0, low=0),
        datasets=[DatasetScan(source="x", name="customers", rows_total=1, rows_scanned=1,
                              sampled=False, columns=[ColumnScan(
                                  name="phone", entity="PHONE_NUMBER", confidence=0.97,
                                  sensitivity="high", masked_samples=["138****5678"])])],
    )  # fmt: skip
    path = project.root / "scan.json"
    path.write_text(json.dumps(report.model_dump(mode="json")), encoding="utf-8")
    config = project.config(scan_reports=[path])
    for user, shown in (("stella", True), ("audrey", False), ("bob", True)):
        client = client_for(config, store)
        assert login(client, user, PASSWORD).status_code == 200
        page = client.get("/catalog/customers").text
        assert "0.97" in page
        assert ("138****5678" in page) is shown, user
