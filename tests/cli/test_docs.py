"""Every command has help text and is documented in docs/cli.md."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from govkit.cli import app

CLI_DOC = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, Any]]:
    """(name, command) for every command and sub-command (Typer vendors its own Click)."""
    root: Any = typer.main.get_command(app)
    found: list[tuple[str, Any]] = []
    for name, command in root.commands.items():
        found.append((name, command))
        for sub, child in getattr(command, "commands", {}).items():
            found.append((f"{name} {sub}", child))
    return found


COMMANDS = _commands()


def test_the_expected_groups_exist() -> None:
    names = {n for n, _ in COMMANDS}
    expected = {"scan", "protect", "reveal", "validate", "run", "init", "policy", "audit", "keys"}
    assert expected <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help(name: str, command: Any) -> None:
    assert (command.help or "").strip(), f"{name} has no help text"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_is_documented(name: str, command: Any) -> None:
    group, _, sub = name.partition(" ")
    if sub:
        rows = [line for line in CLI_DOC.splitlines() if f"govkit {group} " in line]
        assert any(re.search(rf"\b{sub}\b", row) for row in rows), f"{name} not in docs/cli.md"
    else:
        assert f"`govkit {group}" in CLI_DOC, f"{name} missing from docs/cli.md"
