"""JSON Schemas of every ``--format json`` output, generated from the pydantic models.

``docs/schemas/<name>.json`` is written by ``python -m govkit.schemas docs/schemas`` and a
test fails when a file and its model differ, so the documented shapes cannot drift.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

#: command output → "module:Model" (imported lazily; this module sits above every stage)
OUTPUT_MODELS: dict[str, str] = {
    "scan": "govkit.detect.report:ScanReport",
    "scan-dataset": "govkit.detect.report:DatasetScan",
    "protect": "govkit.protect.manifest:Manifest",
    "validate": "govkit.quality.models:QualityResult",
    "run": "govkit.report.model:RunReport",
    "audit-verify": "govkit.audit.findings:VerifyResult",
    "policy-explain": "govkit.policy.explain:Explanation",
    "policy-test": "govkit.policy.testing:PolicyTestReport",
    "policy-diff": "govkit.policy.diff:PolicyDiff",
    "inspect": "govkit.datasets.info:DatasetInfo",
}


def model_for(name: str) -> type[BaseModel]:
    """Return the pydantic model behind output ``name`` (a key of :data:`OUTPUT_MODELS`)."""
    module, _, attr = OUTPUT_MODELS[name].partition(":")
    model: type[BaseModel] = getattr(importlib.import_module(module), attr)
    return model


def schema_text(name: str) -> str:
    """The schema of output ``name`` as the exact text ``docs/schemas/<name>.json`` holds."""
    schema: dict[str, Any] = model_for(name).model_json_schema(mode="serialization")
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write one ``<name>.json`` per output into ``folder``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(OUTPUT_MODELS):
        path = folder / f"{name}.json"
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    for written_path in write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas")):
        print(written_path)
