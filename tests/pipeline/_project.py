"""Scaffolded test projects: `govkit init` output, trimmed and edited per test."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from govkit.pipeline.scaffold import scaffold


def make_project(root: Path, **changes: Any) -> Path:
    """Scaffold a project under ``root`` and apply ``changes`` to its pipeline file.

    Returns the pipeline file. ``changes`` replace top-level keys; ``sources`` and
    ``outputs`` may name a subset of the scaffolded ones by name.
    """
    scaffold(root)
    file = root / "pipeline.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data.update(changes)
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return file


def edit(file: Path, fn: Any) -> None:
    """Edit a YAML file in place: ``fn(data)`` changes the parsed data."""
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    fn(data)
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def output(
    name: str, source: str, role: str, purpose: str, uri: str, **more: Any
) -> dict[str, Any]:
    """One output entry."""
    return {"name": name, "source": source, "role": role, "purpose": purpose, "uri": uri, **more}


def published(root: Path) -> dict[str, str]:
    """Every file under ``out/`` (hidden staging files included) with its SHA-256."""
    out = root / "out"
    if not out.exists():
        return {}
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }
