"""A default ``govkit scan`` of a CSV loads neither the protection, SQL-reading nor NLP stacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Names a default CSV scan must not load: the protect package's pipeline (pandas-heavy),
# the transforms themselves, database reading, writing, GX, Presidio and spaCy.
NOT_LOADED = [
    "govkit.protect.api",
    "govkit.protect.tokenize",
    "govkit.datasets.sql",
    "govkit.datasets.write",
    "great_expectations",
    "presidio_analyzer",
    "spacy",
]
PROBE = """
import json, sys
from govkit.cli import run
code = run(sys.argv[1:])
print(json.dumps({"code": code, "loaded": [m for m in MODULES if m in sys.modules]}))
"""


def _scan(tmp_path: Path, classification: str | None) -> dict[str, object]:
    policies = tmp_path / "policies"
    policies.mkdir()
    if classification is not None:
        (policies / "classification.yaml").write_text(classification, encoding="utf-8")
    data = tmp_path / "people.csv"
    data.write_text("name,phone\n张伟,13812345678\nJohn Smith,13987654321\n", encoding="utf-8")
    code = PROBE.replace("MODULES", repr(NOT_LOADED))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GOVKIT_POLICY_DIR": str(policies)}
    out = subprocess.run(
        [sys.executable, "-c", code, "--quiet", "--audit-url", f"sqlite:///{tmp_path}/a.db",
         "scan", str(data), "--format", "json"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )  # fmt: skip
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("classification", "code", "loaded"),
    [
        (None, 0, []),
        ("version: 1\nactions:\n  PHONE_NUMBER: mask\n", 0, []),
        # An action no built-in has: the whole registry (every transform) loads to check it.
        ("version: 1\nactions:\n  PHONE_NUMBER: scramble\n", 3, ["govkit.protect.tokenize"]),
    ],
    ids=["no-classification-file", "built-in-action", "unknown-action"],
)
def test_a_default_scan_loads_only_what_it_needs(
    tmp_path: Path, classification: str | None, code: int, loaded: list[str]
) -> None:
    result = _scan(tmp_path, classification)
    assert result["code"] == code
    assert result["loaded"] == loaded
