"""The Governor decides once per call and records every decision before anyone acts on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from govkit.audit.api import query_log
from govkit.audit.query import AuditQuery
from govkit.governor import Governor
from govkit.policy.views import ColumnLabel
from govkit.settings import GovkitSettings

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = [
    ColumnLabel(name="id_number", entity="CN_RESIDENT_ID", sensitivity="high"),
    ColumnLabel(name="region", sensitivity="low"),
    ColumnLabel(name="consent_analytics", sensitivity="low"),
]


@pytest.mark.parametrize(
    ("role", "purpose", "allowed", "outcome"),
    [
        ("analyst", "analytics", True, "success"),
        ("auditor", "analytics", False, "denied"),
        ("nobody", "analytics", False, "denied"),
    ],
)
def test_decide_records_an_access_event(
    tmp_path: Path, role: str, purpose: str, allowed: bool, outcome: str
) -> None:
    settings = GovkitSettings(
        audit_url=f"sqlite:///{tmp_path}/audit.db", policy_dir=ROOT / "policies", actor="tester"
    )
    governor = Governor(settings)
    decision = governor.decide(role=role, purpose=purpose, dataset="customers", columns=COLUMNS)
    assert decision.allowed is allowed
    if allowed:
        assert decision.view_of("id_number") != "raw"
    events = [r.event for r in query_log(settings, AuditQuery(action="access.decide"))]
    assert [(e["role"], e["outcome"], e["actor"]) for e in events] == [(role, outcome, "tester")]
    assert events[0]["policy_hash"] == governor.policies().bundle_hash


# Every stage method of the Governor, run for real: a door onto the one stage function,
# with the Governor as the stage context (its events land in its audit store).

DATA = ROOT / "examples" / "data"


@pytest.fixture
def working_governor(tmp_path: Path) -> Governor:
    import base64
    import os

    from govkit.protect.keys import LocalKeyring

    master = os.urandom(32)
    LocalKeyring.create(tmp_path / "keyring.json", master)

    return Governor(
        GovkitSettings(
            audit_url=f"sqlite:///{tmp_path}/audit.db",
            policy_dir=ROOT / "policies",
            expectations_dir=ROOT / "expectations",
            keyring=tmp_path / "keyring.json",
            master_key=SecretStr(base64.b64encode(master).decode()),
            master_key_file=None,
            actor="tester",
        )
    )


def _actions(governor: Governor) -> list[tuple[str, str]]:
    events = [r.event for r in query_log(governor.settings, AuditQuery())]
    return [(e["action"], e["outcome"]) for e in events]


def test_governor_scan_gate_and_event(working_governor: Governor) -> None:
    from govkit.errors import PIIFoundError

    tickets = working_governor.scan(str(DATA / "transactions.csv"), fail_on="high")
    assert tickets.summary.high == 0 and tickets.gate_columns == []
    with pytest.raises(PIIFoundError, match="id_number"):
        working_governor.scan(str(DATA / "customers.csv"), fail_on="high")
    assert _actions(working_governor) == [("scan", "success"), ("scan", "failure")]


def test_governor_validate(working_governor: Governor) -> None:
    from govkit.errors import ValidationFailedError

    ok = working_governor.validate(str(DATA / "tickets.csv"))
    assert ok.passed and ok.statistics.evaluated_expectations > 0
    with pytest.raises(ValidationFailedError, match="CUST-006"):
        working_governor.validate(str(DATA / "customers.csv"))
    warned = working_governor.validate(
        str(DATA / "customers.csv"),
        warn=["CUST-006", "CUST-007", "CUST-008", "CUST-010", "CUST-018"],
    )
    assert warned.passed and not warned.success and len(warned.warnings) == 5
    assert _actions(working_governor) == [
        ("validate", "success"),
        ("validate", "failure"),
        ("validate", "success"),
    ]


def test_governor_protect_and_reveal(working_governor: Governor, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "safe.csv"
    result = working_governor.protect(str(DATA / "customers.csv"), str(out), workers=1)
    assert result.output == str(out) and result.manifest.rows_out == 500
    ids = {c.column: c for c in result.manifest.columns}
    assert ids["id_number"].transform == "tokenize" and ids["id_number"].key_id
    revealed = working_governor.reveal(
        str(out),
        str(tmp_path / "raw.csv"),
        columns=["id_number"],
        role="data_steward",
        purpose="security_incident",
    )
    assert revealed.rows == 500
    with (DATA / "customers.csv").open(encoding="utf-8") as fh:
        first = next(csv.DictReader(fh))["id_number"].replace(" ", "").upper()
    with (tmp_path / "raw.csv").open(encoding="utf-8") as fh:
        assert next(csv.DictReader(fh))["id_number"].upper() == first
    assert _actions(working_governor) == [
        ("protect", "success"),
        ("access.decide", "success"),
        ("reveal", "success"),
    ]


def test_governor_run(working_governor: Governor, tmp_path: Path) -> None:
    from tests.pipeline._project import make_project, output

    pipeline = make_project(
        tmp_path / "p",
        sources={"tickets": {"uri": "data/tickets.csv", "suite": "tickets"}},
        outputs=[output("t", "tickets", "analyst", "analytics", "out/t.csv")],
    )
    report = working_governor.run(pipeline)
    assert report.status == "published" and report.outputs[0].rows_out == 300
    assert report.datasets[0].scan is not None and report.datasets[0].quality is not None
    assert report.datasets[0].quality.passed
