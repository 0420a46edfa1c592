"""The Governor decides once per call and records every decision before anyone acts on it."""

from __future__ import annotations

from pathlib import Path

import pytest

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
