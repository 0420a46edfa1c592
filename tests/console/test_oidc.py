"""OpenID Connect sign-in against a tiny identity provider served on 127.0.0.1 (real HTTP).

The provider below speaks the authorization-code flow: discovery, authorize
(auto-approves the user the test chose), token (checks the client secret, signs an
RS256 ID token with the nonce), JWKS. The console is a real ``govkit serve``.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
import yaml

from govkit.audit.query import AuditQuery, query_store
from govkit.audit.store import AuditStore
from tests.console._browser import free_port, serve
from tests.console.conftest import Project

CLIENT_ID, SECRET = "govkit-console", "s3cret-" + secrets.token_hex(8)


@dataclass
class Provider:
    base: str
    user: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    key: Any = None
    signer: Any = None
    """When set, ID tokens are signed with this key instead of the published one (forgery)."""


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    from joserfc import jwt

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                b = provider.base
                self._json(200, {
                    "issuer": b, "authorization_endpoint": b + "/authorize",
                    "token_endpoint": b + "/token", "jwks_uri": b + "/jwks",
                    "response_types_supported": ["code"], "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                })  # fmt: skip
            elif url.path == "/jwks":
                self._json(200, {"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                code = secrets.token_urlsafe(16)
                provider.codes[code] = {
                    "nonce": query.get("nonce"),
                    "redirect": query["redirect_uri"],
                }
                target = (
                    query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
                )
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()
            else:
                self._json(404, {})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            import base64

            basic = self.headers.get("Authorization", "")
            given = form.get("client_secret")
            if basic.startswith("Basic "):
                given = base64.b64decode(basic[6:]).decode().split(":", 1)[1]
            grant = provider.codes.pop(form.get("code", ""), None)
            if given != SECRET or grant is None:
                self._json(401, {"error": "invalid_client" if given != SECRET else "invalid_grant"})
                return
            now = int(time.time())
            claims = {"iss": provider.base, "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                      "nonce": grant["nonce"], **provider.user}  # fmt: skip
            token = jwt.encode(
                {"alg": "RS256", "kid": "test-key"}, claims, provider.signer or provider.key
            )
            self._json(200, {"access_token": secrets.token_hex(8), "token_type": "Bearer",
                             "expires_in": 300, "id_token": token})  # fmt: skip

    return Handler


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    from joserfc.jwk import RSAKey

    port = free_port()
    made = Provider(base=f"http://127.0.0.1:{port}")
    made.key = RSAKey.generate_key(2048, {"kid": "test-key", "use": "sig", "alg": "RS256"})
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(made))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield made
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def console(project: Project, provider: Provider, tmp_path_factory: pytest.TempPathFactory,
            monkeypatch_module: pytest.MonkeyPatch) -> Iterator[str]:  # fmt: skip
    settings = tmp_path_factory.mktemp("oidc") / "oidc.yaml"
    settings.write_text(yaml.safe_dump({
        "metadata_url": provider.base + "/.well-known/openid-configuration",
        "client_id": CLIENT_ID, "client_secret_env": "TEST_OIDC_SECRET",
        "role_map": {"gov-auditors": "auditor", "gov-stewards": "steward"},
    }), encoding="utf-8")  # fmt: skip
    monkeypatch_module.setenv("TEST_OIDC_SECRET", SECRET)
    yield from serve(project, "--oidc", str(settings))


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _sign_in(console: str) -> tuple[httpx.Client, httpx.Response]:
    client = httpx.Client(follow_redirects=True, timeout=30)
    response = client.get(console + "/oidc/login")
    return client, response


@pytest.mark.parametrize(
    ("user", "status", "page", "outcome"),
    [
        (
            {"sub": "1", "preferred_username": "olivia", "groups": ["gov-auditors"]},
            200,
            "/audit",
            "success",
        ),
        (
            {"sub": "2", "preferred_username": "sam", "groups": ["x", "gov-stewards"]},
            200,
            "/catalog",
            "success",
        ),
        (
            {"sub": "3", "preferred_username": "sam2", "groups": "gov-stewards"},
            200,
            "/catalog",
            "success",
        ),
        ({"sub": "4", "preferred_username": "mallory", "groups": ["staff"]}, 403, None, "denied"),
        (
            {"sub": "5", "preferred_username": "<b>x</b>", "groups": ["gov-auditors"]},
            403,
            None,
            "denied",
        ),
    ],
)
def test_oidc_sign_in_maps_claims_to_roles(
    project: Project, provider: Provider, console: str,
    user: dict[str, Any], status: int, page: str | None, outcome: str,
) -> None:  # fmt: skip
    provider.user = user
    client, response = _sign_in(console)
    try:
        assert response.status_code == status
        if page:
            assert "govkit_session" in client.cookies
            assert client.get(console + page).status_code == 200
            refused = "/catalog" if page == "/audit" else "/audit"
            assert refused == "/catalog" or client.get(console + refused).status_code == 403
        else:
            assert "govkit_session" not in client.cookies
            assert client.get(console + "/", follow_redirects=False).status_code == 303
    finally:
        client.close()
    store = AuditStore.open(project.settings, create=False)
    try:
        last = list(query_store(store, AuditQuery(action="console.login")))[-1].event
    finally:
        store.close()
    assert last["outcome"] == outcome and last["details"]["method"] == "oidc"
    name = str(user["preferred_username"])
    assert last["actor"] == (name if name.isalnum() else "unknown")


def test_a_forged_state_is_refused(project: Project, provider: Provider, console: str) -> None:
    provider.user = {"sub": "1", "preferred_username": "olivia", "groups": ["gov-auditors"]}
    with httpx.Client(follow_redirects=False, timeout=30) as client:
        to_idp = client.get(console + "/oidc/login")
        assert to_idp.status_code == 302 and to_idp.headers["location"].startswith(provider.base)
        back = client.get(to_idp.headers["location"]).headers["location"]
        forged = back.split("state=")[0] + "state=forged"
        response = client.get(forged)
        assert response.status_code == 401
        assert "govkit_session" not in client.cookies


def test_the_client_secret_is_not_in_any_file(project: Project) -> None:
    for path in Path(project.root).rglob("*"):
        if path.is_file() and path.stat().st_size < 5_000_000:
            assert SECRET.encode() not in path.read_bytes(), path


def test_an_id_token_not_signed_by_the_providers_key_is_refused(
    project: Project, provider: Provider, console: str
) -> None:
    from joserfc.jwk import RSAKey

    provider.user = {"sub": "1", "preferred_username": "olivia", "groups": ["gov-auditors"]}
    provider.signer = RSAKey.generate_key(2048, {"kid": "test-key", "use": "sig", "alg": "RS256"})
    try:
        client, response = _sign_in(console)
        client.close()
    finally:
        provider.signer = None
    assert response.status_code == 401
    assert "govkit_session" not in client.cookies
