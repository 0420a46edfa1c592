"""An in-process client of the console (real app, real store, httpx transport) and sign-in."""

from __future__ import annotations

import re
import warnings
from typing import Any

from govkit.audit.store import AuditStore
from govkit.console.app import create_app
from govkit.console.config import ConsoleConfig

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient as TestClient

BASE = "http://127.0.0.1"


def client_for(config: ConsoleConfig, store: AuditStore, base: str = BASE) -> TestClient:
    """A client of a fresh console app (its own sessions and throttle)."""
    return TestClient(create_app(config, store), base_url=base, follow_redirects=False)


def field(html: str, name: str) -> str:
    """The value of a hidden form field."""
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no field {name}"
    return match[1]


def login(client: TestClient, user: str, password: str, **extra: Any) -> Any:
    """Post the sign-in form (with its anti-forgery token) and return the response."""
    page = client.get("/login")
    data = {"username": user, "password": password, "pre": field(page.text, "pre"), **extra}
    return client.post("/login", data=data)


def csrf(client: TestClient, path: str = "/") -> str:
    """The session's CSRF token, read from a page's sign-out form."""
    return field(client.get(path).text, "csrf")
