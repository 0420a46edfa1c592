"""A Spark job that fails is one ``Error:`` line naming the stage and output, never a value."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.pipeline._project import make_project
from tests.spark._cli import govkit, plant
from tests.spark._compare import ENCRYPTING_VIEWS

pytestmark = [pytest.mark.xdist_group("spark"), pytest.mark.slow]

MARKER = "Wq9Leak寇"


def _failing_project(root: Path) -> Path:
    pipeline = make_project(root / "p")
    rules = pipeline.parent / "policies" / "protection.yaml"
    data = yaml.safe_load(rules.read_text(encoding="utf-8"))
    data["views"] = {**ENCRYPTING_VIEWS, "tokenized": "tokenize", "masked": "fpe"}
    rules.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    # FF1 needs 6 digits: the marketing output (consenting rows, phone masked) fails
    plant(pipeline.parent / "data" / "customers.csv", "phone", MARKER, consent_marketing="true")
    return pipeline


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_a_failed_partition_is_one_line_without_values(tmp_path: Path, debug: bool) -> None:
    pipeline = _failing_project(tmp_path)
    flags = ["--debug"] if debug else []
    done = govkit(*flags, "run", str(pipeline), "--engine", "spark", cwd=pipeline.parent)
    assert done.returncode == 3, done.stderr[-2000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1
    assert (
        "Spark job failed" in errors[0] and "FF1" in errors[0] and "output customers_" in errors[0]
    )
    assert MARKER not in done.stdout + done.stderr
    java = "org.apache.spark" in done.stderr
    assert java is debug  # the Java stack only under --debug
    out = pipeline.parent / "out"
    visible = (
        [
            p
            for p in out.rglob("*")
            if p.is_file() and not any(x.startswith(".") for x in p.relative_to(out).parts)
        ]
        if out.exists()
        else []
    )
    assert visible == []
