"""The Python front door: results are models, failures raise the documented errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.entities import Sensitivity
from govkit.errors import PIIFoundError, ValidationFailedError
from govkit.governor import Governor
from govkit.pipeline import api
from govkit.settings import GovkitSettings
from tests.pipeline._project import make_project, output

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "data"


@pytest.fixture
def governor(tmp_path: Path) -> Governor:
    return Governor(GovkitSettings(audit_url=f"sqlite:///{tmp_path}/audit.db"))


@pytest.mark.parametrize(("fail_on", "raises"), [(None, False), ("high", True)])
def test_scan(governor: Governor, fail_on: Sensitivity | None, raises: bool) -> None:
    source = str(SAMPLE / "customers.csv")
    if raises:
        with pytest.raises(PIIFoundError, match="id_number, bank_card"):
            api.scan(source, governor=governor, fail_on=fail_on)
        return
    report = api.scan(source, governor=governor, fail_on=fail_on)
    assert report.datasets[0].name == "customers"


@pytest.mark.parametrize(("table", "passes"), [("tickets", True), ("customers", False)])
def test_validate(governor: Governor, table: str, passes: bool) -> None:
    source = str(SAMPLE / f"{table}.csv")
    suite = SAMPLE.parent.parent / "expectations" / f"{table}.json"
    if not passes:
        with pytest.raises(ValidationFailedError, match="CUST-006"):
            api.validate(source, governor=governor, suite=suite)
    result = api.validate(source, governor=governor, suite=suite, raise_on_failure=False)
    assert result.success is passes


def test_run(tmp_path: Path) -> None:
    pipeline = make_project(
        tmp_path / "p",
        sources={"tickets": {"uri": "data/tickets.csv", "suite": "tickets"}},
        outputs=[output("t", "tickets", "analyst", "analytics", "out/t.csv")],
    )
    plan = api.run(pipeline, dry_run=True)
    assert plan.status == "dry_run" and not (tmp_path / "p" / "out").exists()
    report = api.run(pipeline)
    assert report.status == "published"
    assert report.outputs[0].rows_out == 300
    assert report.dataset("tickets") is not None
