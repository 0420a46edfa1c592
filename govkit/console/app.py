"""The console application: middleware, the role check every route passes, sign-in and sign-out.

Deny by default: a route is served only when its endpoint names its roles with
:func:`roles` (or is one of the public sign-in routes); every other route answers
403. State-changing requests must carry the session's CSRF token.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import Request, Response

from govkit.console.accounts import UserStore
from govkit.console.config import ConsoleConfig
from govkit.console.sessions import COOKIE, Session, SessionStore, Throttle
from govkit.errors import GovkitError
from govkit.models import AuditEvent

if TYPE_CHECKING:
    from fastapi import FastAPI
    from fastapi.templating import Jinja2Templates

    from govkit.audit.store import AuditStore

HERE = Path(__file__).parent
F = TypeVar("F", bound=Callable[..., Any])
PUBLIC = "public"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def roles(*allowed: str) -> Callable[[F], F]:
    """Name the roles that may use a route (``PUBLIC`` for the sign-in routes)."""

    def mark(func: F) -> F:
        func.__govkit_roles__ = frozenset(allowed)  # type: ignore[attr-defined]
        return func

    return mark


class NotSignedIn(Exception):
    """No live session: HTML pages redirect to the sign-in page."""


class Forbidden(Exception):
    """Signed in, but the role may not use this route (or the CSRF token is wrong)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Console:
    """What the routes share: config, accounts, sessions, throttle, templates, audit store."""

    def __init__(self, config: ConsoleConfig, store: AuditStore, templates: Jinja2Templates):
        self.config = config
        self.store = store
        self.templates = templates
        self.users = UserStore(
            config.users_file,
            max_failures=config.max_failures,
            lockout_seconds=config.lockout_seconds,
        )
        self.sessions = SessionStore(
            config.secret, idle=config.idle_timeout, absolute=config.absolute_timeout
        )
        self.throttle = Throttle(config.throttle_attempts, config.throttle_window)

    def record(self, actor: str, event: AuditEvent) -> None:
        """Append one event in the name of ``actor`` (fails closed: raises AuditError)."""
        from govkit.governor import Governor

        settings = self.config.settings.model_copy(update={"actor": actor})
        Governor(settings, audit_store=self.store).record(event)

    def render(
        self, request: Request, name: str, status_code: int = 200, **context: Any
    ) -> Response:
        """Render a template with the session, navigation and CSRF token in its context."""
        from govkit.console.nav import nav_for

        session: Session | None = getattr(request.state, "session", None)
        context.update(
            session=session,
            nav=nav_for(session.roles if session else [], request.url.path),
            title=self.config.title,
            csrf=session.csrf if session else "",
        )
        return self.templates.TemplateResponse(request, name, context, status_code=status_code)

    def set_cookie(self, response: Response, name: str, value: str, max_age: int) -> None:
        """Set a signed, HttpOnly, SameSite=Strict cookie (Secure under TLS)."""
        response.set_cookie(
            name, value, max_age=max_age, httponly=True, samesite="strict",
            secure=self.config.secure_cookies, path="/",
        )  # fmt: skip

    def start_session(self, request: Request, user: str, user_roles: list[str], method: str) -> str:
        """End any session the request carries, start a new one, record the sign-in."""
        old = self.sessions.get(request.cookies.get(COOKIE))
        if old is not None:
            self.sessions.end(old)
        session, cookie = self.sessions.create(user, user_roles, method)
        self.record(
            user,
            AuditEvent(action="console.login", role=session.role,
                       details={"method": method, "client": client_of(request)}),
        )  # fmt: skip
        return cookie


def client_of(request: Request) -> str:
    """The client address (as the reverse proxy reports it, with ``--proxy-headers``)."""
    return request.client.host if request.client else "unknown"


def console_of(request: Request) -> Console:
    """The Console behind a request."""
    console: Console = request.app.state.console
    return console


def session_of(request: Request) -> Session:
    """The request's session (routes other than the public ones always have one)."""
    session: Session = request.state.session
    return session


async def authorise(request: Request) -> None:
    """Check every request: a live session, a role the route names, a CSRF token on writes."""
    console = console_of(request)
    endpoint = request.scope.get("endpoint")
    allowed: frozenset[str] = getattr(endpoint, "__govkit_roles__", frozenset())
    request.state.session = console.sessions.get(request.cookies.get(COOKIE))
    if PUBLIC in allowed:
        return
    session: Session | None = request.state.session
    if session is None:
        raise NotSignedIn()
    if session.method == "local":  # a disabled or removed account loses its sessions at once
        account = console.users.read().users.get(session.user)
        if account is None or account.disabled:
            console.sessions.end(session)
            raise NotSignedIn()
    if not allowed & set(session.roles):
        raise Forbidden("your role may not open this page")
    if request.method not in ("GET", "HEAD"):
        origin = request.headers.get("origin")
        if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
            raise Forbidden("cross-origin request refused")
        form = await request.form()
        token = str(form.get("csrf", ""))
        if not token or not secrets.compare_digest(token, session.csrf):
            raise Forbidden("the form's CSRF token is missing or wrong; reload the page")


def create_app(config: ConsoleConfig, store: AuditStore) -> FastAPI:
    """Build the console over an opened audit store."""
    from fastapi import Depends, FastAPI
    from fastapi.responses import RedirectResponse
    from fastapi.staticfiles import StaticFiles
    from fastapi.templating import Jinja2Templates
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from govkit.console import auth, pages, pages_audit

    if not config.secret:
        config.secret = config.load_secret()
    app = FastAPI(
        title="govkit console", docs_url=None, redoc_url=None, openapi_url=None,
        dependencies=[Depends(authorise)],
    )  # fmt: skip
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.console = console = Console(config, store, templates)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    auth.register(app, config)
    pages.register(app)
    pages_audit.register(app)

    @app.middleware("http")
    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in (
            ("Content-Security-Policy", CSP),
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),  # "no-referrer" makes Chrome send Origin: null
            ("Cache-Control", "no-store"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ):
            response.headers.setdefault(name, value)
        if config.secure_cookies:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    @app.exception_handler(NotSignedIn)
    async def _signed_out(request: Request, exc: NotSignedIn) -> Response:
        if request.method in ("GET", "HEAD"):
            return RedirectResponse("/login", status_code=303)
        return console.render(request, "error.html", 401, message="Sign in first.")

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return console.render(request, "error.html", 403, message=exc.reason)

    @app.exception_handler(GovkitError)
    async def _govkit(request: Request, exc: GovkitError) -> Response:
        # govkit's messages name files and fields, never values; the page is not shown.
        return console.render(request, "error.html", 503, message=str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = "Not found." if exc.status_code == 404 else "The request was refused."
        return console.render(request, "error.html", exc.status_code, message=message)

    return app
