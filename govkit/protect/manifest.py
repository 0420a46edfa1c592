"""The manifest written beside protected output: per column the transform, key id and counts.

Auditors read it to see what was done; ``govkit reveal`` reads it to know which
columns are reversible and with which parameters. It holds no values and no key
material.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from govkit._files import write_text_atomic
from govkit.entities import Sensitivity
from govkit.errors import DatasetError
from govkit.policy.views import View

MANIFEST_SUFFIX = ".manifest.json"


class ColumnManifest(BaseModel):
    """What protect did to one column."""

    column: str
    transform: str
    params: dict[str, Any] = Field(default_factory=dict)
    key_id: str | None = None
    entity: str | None = None
    sensitivity: Sensitivity = "low"
    tags: list[str] = Field(default_factory=list)
    rule: str
    view: View | None = None
    reversible: bool = False
    deterministic: bool = True
    values: int = 0
    nulls: int = 0
    spans: int | None = None


class Manifest(BaseModel):
    """The whole run: input and output names (no credentials), rows, columns."""

    version: int = 1
    govkit_version: str
    source: str
    dataset: str
    output: str | None = None
    fingerprint: str | None = None
    role: str | None = None
    purpose: str | None = None
    policy_hash: str | None = None
    rows_in: int = 0
    rows_out: int = 0
    columns: list[ColumnManifest] = Field(default_factory=list)
    dropped: list[str] = Field(default_factory=list)

    def column(self, name: str) -> ColumnManifest | None:
        """The entry of one column, if it is in the output."""
        return next((c for c in self.columns if c.column == name), None)


def manifest_path(output: str) -> Path:
    """Where the manifest of a file output goes: ``<output>.manifest.json``."""
    return Path(output + MANIFEST_SUFFIX)


def manifest_text(manifest: Manifest) -> str:
    """The manifest file's text (JSON)."""
    return json.dumps(manifest.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def write_manifest(manifest: Manifest, path: Path) -> None:
    """Write atomically (temporary name, then rename)."""
    write_text_atomic(path, manifest_text(manifest))


def read_manifest(path: Path) -> Manifest:
    """Read a manifest.

    Raises:
        DatasetError: missing or invalid; names the file.
    """
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DatasetError(f"{path}: no protection manifest ({exc.strerror})") from exc
    except ValidationError as exc:
        raise DatasetError(f"{path}: not a govkit protection manifest") from exc
