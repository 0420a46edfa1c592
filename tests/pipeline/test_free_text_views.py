"""Free-text columns reach the policy as free text, so a name rule never releases them raw."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pipeline.yaml"


def test_dry_run_never_gives_a_free_text_column_raw(cli: Callable[..., CliResult]) -> None:
    result = cli("run", str(EXAMPLE), "--dry-run", "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    free_text = {
        (d["name"], c["name"])
        for d in report["datasets"]
        for c in d["columns"]
        if c["kind"] == "free_text"
    }
    assert {("tickets", "complaint"), ("feedback", "comment")} <= free_text
    views = [
        (o["source"], c["column"], o["role"], c["view"])
        for o in report["outputs"]
        for c in o["columns"]
    ]
    leaked = [v for v in views if (v[0], v[1]) in free_text and v[3] == "raw"]
    assert leaked == []
    assert any((s, c) in free_text for s, c, _, _ in views)
    # customer service does see a structured name raw: the rule exists, it must not match text
    assert ("customers", "name", "customer_service", "raw") in views
