"""Sign-in (local accounts, OpenID Connect) and sign-out; every attempt is an audit event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import Request, Response

from govkit.console.accounts import NAME
from govkit.console.app import PUBLIC, console_of, roles, session_of
from govkit.console.config import ConsoleConfig
from govkit.console.sessions import COOKIE, PRE_COOKIE
from govkit.models import AuditEvent

if TYPE_CHECKING:
    from fastapi import FastAPI

REASONS = {
    "unknown": "unknown user",
    "bad_password": "wrong password",
    "disabled": "account disabled",
    "locked": "account locked after repeated failures",
    "throttled": "too many failed sign-ins from this address",
}


def _login_page(request: Request, status: int = 200, error: str = "") -> Response:
    console = console_of(request)
    token, cookie = console.sessions.pre_token()
    oidc = console.config.oidc
    response = console.render(
        request, "login.html", status, pre=token, error=error,
        oidc_label=oidc.label if oidc else None,
    )  # fmt: skip
    console.set_cookie(response, PRE_COOKIE, cookie, 600)
    return response


def _failed(request: Request, actor: str, reason: str, method: str) -> None:
    console = console_of(request)
    console.throttle.failed(_client(request))
    console.record(
        actor,
        AuditEvent(action="console.login", outcome="failure" if reason in ("unknown", "bad_password") else "denied",
                   reason=REASONS.get(reason, reason),
                   details={"method": method, "client": _client(request)}),
    )  # fmt: skip


def _client(request: Request) -> str:
    from govkit.console.app import client_of

    return client_of(request)


def _signed_in(request: Request, user: str, user_roles: list[str], method: str) -> Response:
    from fastapi.responses import HTMLResponse

    console = console_of(request)
    cookie = console.start_session(request, user, user_roles, method)
    # A page that moves on by itself (no script): the Strict cookie is sent on the
    # next, same-site navigation even when sign-in came back from an identity provider.
    response = HTMLResponse(
        '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=/">'
        '<title>Signed in</title><a href="/">Continue</a>'
    )
    console.set_cookie(response, COOKIE, cookie, console.config.absolute_timeout)
    response.delete_cookie(PRE_COOKIE, path="/")
    return response


def register(app: FastAPI, config: ConsoleConfig) -> None:
    """Add the sign-in and sign-out routes (and OIDC when configured)."""
    from fastapi.responses import RedirectResponse

    @app.get("/login")
    @roles(PUBLIC)
    async def login_form(request: Request) -> Response:
        if request.state.session is not None:
            return RedirectResponse("/", status_code=303)
        return _login_page(request)

    @app.post("/login")
    @roles(PUBLIC)
    def login(request: Request, username: str = _form(), password: str = _form(),
              pre: str = _form()) -> Response:  # fmt: skip
        console = console_of(request)
        if not console.sessions.pre_matches(request.cookies.get(PRE_COOKIE), pre):
            return _login_page(request, 403, "The form expired; please sign in again.")
        if console.throttle.blocked(_client(request)):
            _failed(request, _known(console, username), "throttled", "local")
            return _login_page(request, 429, "Too many failed sign-ins; try again later.")
        outcome, user_roles = console.users.authenticate(username, password)
        if outcome != "ok":
            _failed(request, username if outcome != "unknown" else "unknown", outcome, "local")
            message = "Account locked; try again later." if outcome == "locked" else ""
            return _login_page(request, 401, message or "Wrong user name or password.")
        return _signed_in(request, username, user_roles, "local")

    @app.get("/favicon.ico")
    @roles(PUBLIC)
    async def favicon() -> Response:
        return Response(status_code=204)  # no icon; answered so browsers log no error

    @app.post("/logout")
    @roles("steward", "auditor")
    def logout(request: Request) -> Response:
        console = console_of(request)
        session = session_of(request)
        console.sessions.end(session)
        console.record(session.user, AuditEvent(action="console.logout", role=session.role))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    if config.oidc is not None:
        _register_oidc(app, config)


def _form() -> Any:
    from fastapi import Form

    return Form("")


def _known(console: Any, username: str) -> str:
    return username if username in console.users.read().users else "unknown"


def _register_oidc(app: FastAPI, config: ConsoleConfig) -> None:
    from authlib.integrations.starlette_client import OAuth
    from starlette.middleware.sessions import SessionMiddleware

    oidc = config.oidc
    if oidc is None:
        raise AssertionError("internal invariant broken: oidc is not None")
    app.add_middleware(
        SessionMiddleware, secret_key=config.secret.decode(), session_cookie="govkit_oidc",
        max_age=600, same_site="lax", https_only=config.secure_cookies,
    )  # fmt: skip
    oauth = OAuth()
    oauth.register(
        "idp", client_id=oidc.client_id, client_secret=oidc.client_secret(),
        server_metadata_url=oidc.metadata_url, client_kwargs={"scope": oidc.scope},
    )  # fmt: skip
    client: Any = oauth.create_client("idp")

    @app.get("/oidc/login")
    @roles(PUBLIC)
    async def oidc_login(request: Request) -> Response:
        response: Response = await client.authorize_redirect(
            request, str(request.url_for("oidc_callback"))
        )
        return response

    @app.get("/oidc/callback", name="oidc_callback")
    @roles(PUBLIC)
    async def oidc_callback(request: Request) -> Response:
        try:
            token = await client.authorize_access_token(request)
        except Exception as exc:  # noqa: BLE001 - state, token, signature, network: all refuse
            # (OAuthError, joserfc's JoseError, httpx errors …); the type name is recorded.
            _failed(request, "unknown", f"identity provider: {type(exc).__name__}", "oidc")
            return _login_page(request, 401, "Sign-in with the identity provider failed.")
        finally:
            request.session.clear()
        claims: dict[str, Any] = dict(token.get("userinfo") or {})
        user = str(claims.get(oidc.username_claim, ""))
        values = claims.get(oidc.roles_claim, [])
        values = [values] if isinstance(values, str) else list(values or [])
        mapped = sorted({oidc.role_map[v] for v in values if v in oidc.role_map})
        if not NAME.match(user) or not mapped:
            why = "no console role mapped" if NAME.match(user) else "unusable user name claim"
            _failed(request, user if NAME.match(user) else "unknown", why, "oidc")
            return _login_page(request, 403, "Your identity provider account has no console role.")
        return _signed_in(request, user, mapped, "oidc")
