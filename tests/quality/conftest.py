"""Fixtures for the quality tests: small CSVs, suite files, a Governor over a temp audit store."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from govkit.governor import Governor
from govkit.settings import GovkitSettings

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "data"
DEFAULT_SUITES = ROOT / "expectations"


def rule(rule_id: str, type_: str, **kwargs: Any) -> dict[str, Any]:
    """One suite entry."""
    return {"type": type_, "kwargs": kwargs, "meta": {"rule_id": rule_id}}


@pytest.fixture
def write_csv(
    tmp_path: Path,
) -> Callable[[str, Sequence[str], Sequence[Sequence[str | None]]], Path]:
    def make(name: str, header: Sequence[str], rows: Sequence[Sequence[str | None]]) -> Path:
        path = tmp_path / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows([["" if v is None else v for v in row] for row in rows])
        return path

    return make


@pytest.fixture
def write_suite(tmp_path: Path) -> Callable[..., Path]:
    def make(name: str, rules: list[dict[str, Any]], **meta: Any) -> Path:
        directory = tmp_path / "expectations"
        directory.mkdir(exist_ok=True)
        path = directory / f"{name}.json"
        path.write_text(
            json.dumps({"name": name, "meta": meta, "expectations": rules}, ensure_ascii=False),
            encoding="utf-8",
        )
        return path

    return make


@pytest.fixture
def governor(tmp_path: Path) -> Governor:
    return Governor(
        GovkitSettings(
            audit_url=f"sqlite:///{tmp_path}/audit.db",
            expectations_dir=tmp_path / "expectations",
            keyring=tmp_path / "keyring",
        )
    )
