"""Sessions: a random id in a signed cookie, the state on the server, idle and absolute timeouts.

The cookie holds only a signed session id (``HttpOnly``, ``SameSite=Strict``,
``Secure`` under TLS). Every sign-in makes a new id and forgets any old one, so an
id planted before sign-in is worthless (session fixation). Sessions live in this
process: restarting the console signs everyone out.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

COOKIE = "govkit_session"
PRE_COOKIE = "govkit_pre"
"""Signed anonymous token that the sign-in form must echo (CSRF on the sign-in form)."""


@dataclass
class Session:
    """A signed-in user."""

    sid: str
    user: str
    roles: list[str]
    method: str
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    created: float = field(default_factory=time.time)
    seen: float = field(default_factory=time.time)

    @property
    def role(self) -> str:
        """The roles as the audit log names them (``auditor,steward``)."""
        return ",".join(self.roles)


class SessionStore:
    """Live sessions by id, with the timeouts applied on every lookup."""

    def __init__(self, secret: bytes, *, idle: int, absolute: int) -> None:
        from itsdangerous import URLSafeSerializer

        self._signer = URLSafeSerializer(secret, salt="govkit-console-session")
        self._pre = URLSafeSerializer(secret, salt="govkit-console-pre")
        self.idle, self.absolute = idle, absolute
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, user: str, roles: list[str], method: str) -> tuple[Session, str]:
        """Start a session; return it and the cookie value."""
        session = Session(sid=secrets.token_urlsafe(32), user=user, roles=roles, method=method)
        with self._lock:
            self._sessions[session.sid] = session
        return session, self._signer.dumps(session.sid)

    def get(self, cookie: str | None) -> Session | None:
        """The live session a cookie names, touched; None when absent, forged or expired."""
        from itsdangerous import BadSignature

        if not cookie:
            return None
        try:
            sid = self._signer.loads(cookie)
        except BadSignature:
            return None
        now = time.time()
        with self._lock:
            session = self._sessions.get(str(sid))
            if session is None:
                return None
            if now - session.seen > self.idle or now - session.created > self.absolute:
                del self._sessions[session.sid]
                return None
            session.seen = now
            return session

    def end(self, session: Session) -> None:
        """Forget a session (sign-out)."""
        with self._lock:
            self._sessions.pop(session.sid, None)

    def end_user(self, user: str) -> None:
        """Forget every session of a user."""
        with self._lock:
            for sid in [s.sid for s in self._sessions.values() if s.user == user]:
                del self._sessions[sid]

    def pre_token(self) -> tuple[str, str]:
        """A new anonymous token and its signed cookie value."""
        token = secrets.token_urlsafe(24)
        return token, self._pre.dumps(token)

    def pre_matches(self, cookie: str | None, token: str) -> bool:
        """True when the sign-in form echoes the token its signed cookie carries."""
        from itsdangerous import BadSignature

        if not cookie or not token:
            return False
        try:
            expected = str(self._pre.loads(cookie))
        except BadSignature:
            return False
        return secrets.compare_digest(expected, token)


class Throttle:
    """At most ``attempts`` failed sign-ins per client address within ``window`` seconds."""

    def __init__(self, attempts: int, window: int) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, client: str) -> bool:
        """True when the client has used up its attempts."""
        now = time.time()
        with self._lock:
            recent = [t for t in self._failures.get(client, []) if now - t < self.window]
            self._failures[client] = recent
            return len(recent) >= self.attempts

    def failed(self, client: str) -> None:
        """Count a failed attempt."""
        with self._lock:
            self._failures.setdefault(client, []).append(time.time())
