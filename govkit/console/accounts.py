"""Local console accounts: Argon2id hashes, roles, disabling and lockout, in one 0600 JSON file.

The file (``console-users.json``) lives beside the audit store. ``govkit users
add|disable|passwd`` and the console's sign-in both go through :class:`UserStore`;
every write is atomic and made under a lock file, so the two never interleave.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from govkit._files import write_text_atomic
from govkit.console import ROLES
from govkit.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from argon2 import PasswordHasher

NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
MIN_PASSWORD = 12

LoginOutcome = Literal["ok", "unknown", "bad_password", "disabled", "locked"]


class Account(BaseModel):
    """One local account (the password only as an Argon2id hash)."""

    model_config = ConfigDict(extra="forbid")

    password_hash: str
    roles: list[str]
    disabled: bool = False
    failures: int = 0
    locked_until: float | None = None


class AccountsFile(BaseModel):
    """The whole accounts file."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    users: dict[str, Account] = Field(default_factory=dict)


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher, Type

    return PasswordHasher(type=Type.ID)


def check_name(name: str) -> str:
    """Return a valid user name.

    Raises:
        UsageError: not 1-64 letters, digits or ``_ . @ -``.
    """
    if not NAME.match(name):
        raise UsageError("user name: use 1-64 letters, digits, '_', '.', '@' or '-'")
    return name


def check_roles(roles: list[str]) -> list[str]:
    """Return the roles, each a console role.

    Raises:
        UsageError: no role, or one that is not ``steward``/``auditor``.
    """
    if not roles:
        raise UsageError(f"--role: give at least one of {', '.join(ROLES)}")
    for role in roles:
        if role not in ROLES:
            raise UsageError(f"--role: {role!r} is not a console role (use {', '.join(ROLES)})")
    return sorted(set(roles))


class UserStore:
    """Reads and writes the accounts file at ``path``."""

    def __init__(self, path: Path, *, max_failures: int = 5, lockout_seconds: int = 900) -> None:
        self.path = path
        self.max_failures = max_failures
        self.lockout_seconds = lockout_seconds

    @contextlib.contextmanager
    def _locked(self) -> Iterator[AccountsFile]:
        """Hold the lock, yield the accounts, write them back if no error was raised."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = open(self.path.with_name(self.path.name + ".lock"), "a")
        except OSError as exc:
            raise ConfigError(
                f"{self.path}: cannot lock the accounts file ({exc.strerror})"
            ) from exc
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            accounts = self.read()
            before = accounts.model_dump_json()
            yield accounts
            if accounts.model_dump_json() != before:
                text = accounts.model_dump_json(indent=2) + "\n"
                try:
                    write_text_atomic(self.path, text, mode=0o600, fsync=True)
                except OSError as exc:
                    raise ConfigError(f"{self.path}: cannot write ({exc.strerror})") from exc

    def read(self) -> AccountsFile:
        """The accounts (none when the file does not exist yet).

        Raises:
            ConfigError: the file is unreadable or not an accounts file.
        """
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return AccountsFile()
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot read ({exc.strerror})") from exc
        try:
            return AccountsFile.model_validate(json.loads(text))
        except (ValueError, ValidationError) as exc:
            raise ConfigError(f"{self.path}: not a govkit accounts file") from exc

    def add(self, name: str, password: str, roles: list[str]) -> None:
        """Create an account.

        Raises:
            UsageError: bad name, roles or password, or the account exists.
        """
        check_name(name)
        roles = check_roles(roles)
        digest = _hash(password)
        with self._locked() as accounts:
            if name in accounts.users:
                raise UsageError(f"user {name!r} exists: use 'govkit users passwd' to change it")
            accounts.users[name] = Account(password_hash=digest, roles=roles)

    def set_password(self, name: str, password: str) -> None:
        """Replace a password (and clear a lockout).

        Raises:
            UsageError: no such user, or the password is too short.
        """
        digest = _hash(password)
        with self._locked() as accounts:
            account = _existing(accounts, name)
            account.password_hash = digest
            account.failures, account.locked_until = 0, None

    def set_disabled(self, name: str, disabled: bool = True) -> None:
        """Disable (or re-enable) an account; a disabled account cannot sign in.

        Raises:
            UsageError: no such user.
        """
        with self._locked() as accounts:
            _existing(accounts, name).disabled = disabled

    def authenticate(self, name: str, password: str) -> tuple[LoginOutcome, list[str]]:
        """Check a password; count failures and lock the account after too many.

        Returns:
            The outcome and, when ``ok``, the account's roles.
        """
        from argon2.exceptions import InvalidHashError, VerificationError

        if not NAME.match(name):
            _hash_dummy(password)
            return "unknown", []
        now = time.time()
        with self._locked() as accounts:
            account = accounts.users.get(name)
            if account is None:
                _hash_dummy(password)  # same cost as a real check: no user enumeration by timing
                return "unknown", []
            if account.locked_until is not None and account.locked_until > now:
                return "locked", []
            try:
                _hasher().verify(account.password_hash, password)
            except (VerificationError, InvalidHashError):
                account.failures += 1
                if account.failures >= self.max_failures:
                    account.locked_until = now + self.lockout_seconds
                    account.failures = 0
                    return "locked", []
                return "bad_password", []
            if account.disabled:
                return "disabled", []
            account.failures, account.locked_until = 0, None
            return "ok", list(account.roles)


def _existing(accounts: AccountsFile, name: str) -> Account:
    account = accounts.users.get(name)
    if account is None:
        raise UsageError(f"no user {name!r}: create it with 'govkit users add'")
    return account


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"password: use at least {MIN_PASSWORD} characters")
    digest: str = _hasher().hash(password)
    return digest


def _hash_dummy(password: str) -> None:
    _hasher().hash(password)
