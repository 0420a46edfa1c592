"""The shipped examples keep working: the demo pipeline plans, the orchestrator step maps errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from examples.orchestrator_step import StepFailed, governed_publish
from govkit.pipeline.model import load_pipeline
from govkit.pipeline.run import run_pipeline
from tests.pipeline._project import edit, make_project

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pipeline.yaml"


def test_demo_pipeline_plans() -> None:
    pipeline = load_pipeline(EXAMPLE)
    report = run_pipeline(pipeline, dry_run=True)  # no keys, no writes
    assert report.status == "dry_run"
    assert all(o.allowed for o in report.outputs)
    assert {o.role for o in report.outputs} == {"analyst", "marketing", "customer_service"}


def _deny(pipeline: Path) -> None:
    edit(pipeline, lambda d: d["outputs"][0].update(role="auditor"))


def _no_keyring(pipeline: Path) -> None:
    (pipeline.parent / ".govkit" / "keyring").unlink()


@pytest.mark.parametrize(
    ("breaks", "retry"),
    [(None, None), (_deny, False), (_no_keyring, True)],
    ids=["published", "compliance-no-retry", "operational-retry"],
)
def test_orchestrator_step(
    tmp_path: Path, breaks: Callable[[Path], None] | None, retry: bool | None
) -> None:
    pipeline = make_project(
        tmp_path / "p",
        sources={"tickets": {"uri": "data/tickets.csv"}},
        outputs=[
            {
                "name": "t",
                "source": "tickets",
                "role": "analyst",
                "purpose": "analytics",
                "uri": "out/t.csv",
            }
        ],
    )
    if breaks is None:
        result = governed_publish(pipeline)
        assert result["outputs"]["t"]["rows"] == 300
        assert result["audit_head"] and Path(result["report"]).is_file()
        return
    breaks(pipeline)
    with pytest.raises(StepFailed) as info:
        governed_publish(pipeline)
    assert info.value.retry is retry
    assert "nothing published" in str(info.value)
