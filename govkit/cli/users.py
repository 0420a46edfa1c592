"""CLI: ``govkit users add|disable|enable|passwd|list`` — local accounts of the web console."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from govkit.cli._output import print_table, say
from govkit.cli.serve import PipelineOption

if TYPE_CHECKING:
    from govkit.console.accounts import UserStore
    from govkit.settings import GovkitSettings

users_app = typer.Typer(
    name="users", help="Local accounts of the web console (govkit serve).", no_args_is_help=True
)
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
]


def _store(pipeline: Path | None) -> tuple[UserStore, GovkitSettings]:
    try:
        from govkit.cli.serve import console_config
        from govkit.console.accounts import UserStore
    except ImportError as exc:  # argon2 missing
        from govkit.errors import UsageError

        raise UsageError(
            "govkit users needs the console extra: pip install 'govkit[console]'"
        ) from exc
    config = console_config(pipeline)
    return UserStore(config.users_file), config.settings


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


def _record(settings: GovkitSettings, op: str, name: str) -> None:
    from govkit.governor import Governor
    from govkit.models import AuditEvent

    Governor(settings).record(AuditEvent(action="console.user", details={"op": op, "user": name}))


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, _ . @ -).")],
    role: Annotated[list[str], typer.Option("--role", help="steward or auditor (repeatable).")],
    pipeline: PipelineOption = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a console account (the password is stored as an Argon2id hash).

    Example: govkit users add alice --role auditor --pipeline examples/pipeline.yaml
    """
    store, settings = _store(pipeline)
    store.add(name, _password(password_stdin), role)
    _record(settings, "add", name)
    say(f"user {name} added ({', '.join(sorted(set(role)))}) in {store.path}")


@users_app.command("passwd")
def passwd(
    name: Annotated[str, typer.Argument(help="User name.")],
    pipeline: PipelineOption = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a new password (also lifts a lockout).

    Example: govkit users passwd alice
    """
    store, settings = _store(pipeline)
    store.set_password(name, _password(password_stdin))
    _record(settings, "passwd", name)
    say(f"password of {name} changed")


@users_app.command("disable")
def disable(
    name: Annotated[str, typer.Argument(help="User name.")], pipeline: PipelineOption = None
) -> None:
    """Disable an account: it can no longer sign in (a running console refuses it at once).

    Example: govkit users disable alice
    """
    store, settings = _store(pipeline)
    store.set_disabled(name, True)
    _record(settings, "disable", name)
    say(f"user {name} disabled")


@users_app.command("enable")
def enable(
    name: Annotated[str, typer.Argument(help="User name.")], pipeline: PipelineOption = None
) -> None:
    """Enable a disabled account again.

    Example: govkit users enable alice
    """
    store, settings = _store(pipeline)
    store.set_disabled(name, False)
    _record(settings, "enable", name)
    say(f"user {name} enabled")


@users_app.command("list")
def list_users(pipeline: PipelineOption = None) -> None:
    """List accounts with their roles and state (never a hash).

    Example: govkit users list
    """
    store, _ = _store(pipeline)
    rows = [
        [name, ",".join(a.roles), "disabled" if a.disabled else "active",
         "locked" if a.locked_until else ""]
        for name, a in sorted(store.read().users.items())
    ]  # fmt: skip
    print_table(f"{len(rows)} users", ["user", "roles", "state", "lock"], rows)


def register(app: typer.Typer) -> None:
    """Add the ``users`` group to the app."""
    app.add_typer(users_app)
