"""CLI: ``govkit keys init|list|rotate|retire|destroy`` (key material is never shown)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from govkit.cli._output import FormatOption, OutputFormat, print_json, print_table, say
from govkit.cli._state import STATE

if TYPE_CHECKING:
    from govkit.protect.keys import KeyInfo

keys_app = typer.Typer(
    name="keys",
    help="Manage data keys: init, list, rotate, retire, destroy (crypto-shredding).",
    no_args_is_help=True,
)


def _show(infos: Sequence[KeyInfo], format: OutputFormat, title: str) -> None:
    if format is OutputFormat.json:
        print_json([i.model_dump(mode="json") for i in infos])
        return
    print_table(
        title,
        ["id", "purpose", "status", "created", "changed"],
        [(i.id, i.purpose, i.status, i.created, i.changed) for i in infos],
    )


@keys_app.command("init")
def init(format: FormatOption = OutputFormat.table) -> None:
    """Create the keyring: one key per purpose, wrapped by the master key.

    Example: GOVKIT_MASTER_KEY_FILE=~/.govkit/master.key govkit keys init
    """
    from govkit.protect.keyops import keys_init

    governor = STATE.governor()
    _show(keys_init(governor), format, f"keyring {governor.settings.keyring}")


@keys_app.command("list")
def list_keys(format: FormatOption = OutputFormat.table) -> None:
    """List keys: id, purpose, status, dates.

    Example: govkit keys list --format json
    """
    from govkit.protect.keyops import keys_list

    governor = STATE.governor()
    _show(keys_list(governor), format, f"keyring {governor.settings.keyring}")


@keys_app.command("rotate")
def rotate(
    purpose: Annotated[str, typer.Argument(help="tokenize, encrypt, hash, fpe or audit.")],
    format: FormatOption = OutputFormat.table,
) -> None:
    """Make a new active key; data under the old one stays revealable.

    Example: govkit keys rotate tokenize
    """
    from govkit.protect.keyops import keys_rotate

    _show([keys_rotate(STATE.governor(), purpose)], format, "new key")


@keys_app.command("retire")
def retire(
    key_id: Annotated[str, typer.Argument(help="Key id, e.g. tk-1a2b3c4d.")],
    format: FormatOption = OutputFormat.table,
) -> None:
    """Stop using a key for new data (it still reveals).

    Example: govkit keys retire tk-1a2b3c4d
    """
    from govkit.protect.keyops import keys_retire

    _show([keys_retire(STATE.governor(), key_id)], format, "retired")


@keys_app.command("destroy")
def destroy(
    key_id: Annotated[str, typer.Argument(help="Key id, e.g. tk-1a2b3c4d.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Crypto-shred a key: what it protected can never be revealed again.

    Example: govkit keys destroy tk-1a2b3c4d --yes
    """
    from govkit.errors import UsageError
    from govkit.protect.keyops import keys_destroy

    if not yes:
        raise UsageError(f"destroying {key_id} cannot be undone; pass --yes to confirm")
    info = keys_destroy(STATE.governor(), key_id)
    _show([info], format, "destroyed")
    say(f"key {key_id} destroyed: data protected with it can no longer be revealed")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.add_typer(keys_app)
