"""Leak suite: seeded personal values are searched in every byte each command writes — stdout,
stderr (with --debug), every file it leaves, every audit row — outside the authorised outputs."""

from __future__ import annotations

import csv
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govkit.datasets.staging import _HOST, FOREIGN_AGE, is_dead
from tests.conftest import CliResult
from tests.protect.conftest import CUSTOMERS

SEEDED = ("id_number", "phone", "email", "bank_card")


def _seeds() -> list[str]:
    with CUSTOMERS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:50]
    values = {r[c].strip() for r in rows for c in SEEDED if len(r[c].strip()) >= 8}
    assert len(values) > 100
    return sorted(values)


def _bytes_left(root: Path, skip: set[Path]) -> str:
    parts: list[str] = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path in skip:
            continue
        parts.append(path.read_bytes().decode("utf-8", "replace"))
        if path.suffix == ".db":
            with sqlite3.connect(path) as conn:
                tables = conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                for (name,) in tables.fetchall():
                    parts.extend(str(r) for r in conn.execute(f'SELECT * FROM "{name}"'))
    return "\n".join(parts)


def test_no_seeded_value_outside_authorised_outputs(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    env: dict[str, str],
    ring: Any,
    catalog_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "customers.csv"
    source.write_bytes(CUSTOMERS.read_bytes())
    shown: list[CliResult] = []
    for args in (
        ["--debug", "scan", str(source), "--catalog", str(tmp_path / "scanned.yaml")],
        ["--debug", "scan", str(source), "--format", "json"],
        ["--debug", "inspect", str(source)],
        ["--debug", "protect", str(source), "-o", str(tmp_path / "safe.csv"), "--catalog",
         str(catalog_file), "--role", "analyst", "--purpose", "analytics"],
        ["--debug", "protect", str(source), "-o", str(tmp_path / "safe.csv"), "--catalog",
         str(catalog_file)],  # exists: an error
        ["--debug", "validate", str(source), "--format", "json"],
        ["--debug", "audit", "query", "--format", "csv"],
        ["--debug", "audit", "export", "-o", str(tmp_path / "log.jsonl")],
        ["--debug", "audit", "report", "--output", str(tmp_path / "report.html")],
        ["--debug", "inspect", f"sqlite:///{tmp_path}/none.db", "--table", "x"],
    ):  # fmt: skip
        shown.append(cli(*args))
    assert [r.code for r in shown][:4] == [0, 0, 0, 0], [r.err for r in shown]
    assert shown[4].code == 3
    written = _bytes_left(tmp_path, {source})
    streams = "\n".join(r.out + r.err for r in shown)
    leaked = [v for v in _seeds() if v in written or v in streams]
    assert leaked == []


START = 0x60000000


@pytest.mark.parametrize(
    ("kind", "now", "dead"),
    [
        ("this-process", START, False),
        ("gone-process", START, True),
        ("other-host", START + 60, False),  # another host's run may still be going
        ("other-host", START + FOREIGN_AGE + 60, True),
        ("untagged", START, False),  # older govkit: left for a person to judge
    ],
)
def test_dead_leftovers_are_told_from_live_ones(kind: str, now: int, dead: bool) -> None:
    name = {
        "this-process": f"_govkit_stage_gk{_HOST}p{os.getpid()}t{START:x}rabc123",
        "gone-process": f"_govkit_stage_gk{_HOST}p{2**22 + 12345}t{START:x}rabc123",
        "other-host": f".x.csv.gk000000p1t{START:x}rab.govkit-stage.csv",
        "untagged": "_govkit_stage_0123456789ab",
    }[kind]
    assert is_dead(name, now=now) is dead
