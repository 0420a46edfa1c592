"""Which Governor a run works through, and which settings the pipeline file overrides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govkit.governor import Governor
from govkit.pipeline.context import load_governance, pipeline_governor, pipeline_settings
from govkit.pipeline.model import parse_pipeline
from govkit.settings import GovkitSettings

BASE: dict[str, Any] = {
    "sources": {"c": {"uri": "c.csv"}},
    "outputs": [{"name": "o", "source": "c", "role": "r", "purpose": "p", "uri": "o.csv"}],
}


def _pipeline(tmp_path: Path, **more: Any) -> Any:
    return parse_pipeline({**BASE, **more}, base_dir=tmp_path)


@pytest.mark.parametrize(
    ("more", "field", "expected"),
    [
        ({"policies": "pol"}, "policy_dir", "{dir}/pol"),
        ({"expectations": "/abs/exp"}, "expectations_dir", "/abs/exp"),
        ({"audit": {"url": "sqlite:///a.db"}}, "audit_url", "sqlite:///{dir}/a.db"),
        ({"audit": {"url": "postgresql://h/db"}}, "audit_url", "postgresql://h/db"),
        ({"keys": {"keyring": "k/ring"}}, "keyring", "{dir}/k/ring"),
        ({"keys": {"master_key_file": "m.key"}}, "master_key_file", "{dir}/m.key"),
        ({}, "audit_url", "sqlite:///base.db"),
    ],
)
def test_pipeline_file_wins(
    tmp_path: Path, more: dict[str, Any], field: str, expected: str
) -> None:
    base = GovkitSettings(audit_url="sqlite:///base.db")
    settings = pipeline_settings(_pipeline(tmp_path, **more), base)
    assert str(getattr(settings, field)) == expected.format(dir=tmp_path.resolve())


def test_governor_reuse(tmp_path: Path) -> None:
    caller = Governor(GovkitSettings(audit_url=f"sqlite:///{tmp_path}/caller.db"))
    plain = _pipeline(tmp_path)
    assert pipeline_governor(plain, caller) is caller
    own_store = _pipeline(tmp_path, audit={"url": "sqlite:///own.db"})
    first = pipeline_governor(own_store, caller)
    assert first is not caller and first.settings.audit_url.endswith("/own.db")
    assert pipeline_governor(own_store, caller) is first  # kept: its store stays open
    policies = _pipeline(tmp_path, policies="pol")
    other = pipeline_governor(policies, caller)
    assert other is not first and other.audit_store is caller.audit_store
    assert pipeline_governor(plain, None) is not pipeline_governor(plain, None)


def test_a_governor_loads_the_policies_once_for_its_runs(tmp_path: Path) -> None:
    policies = Path(__file__).resolve().parents[2] / "policies"
    governor = Governor(GovkitSettings(audit_url=f"sqlite:///{tmp_path}/a.db", policy_dir=policies))
    first = load_governance(_pipeline(tmp_path), governor)
    again = load_governance(_pipeline(tmp_path), governor)
    assert again.policies is first.policies is governor.policies()
    other = Governor(GovkitSettings(audit_url=f"sqlite:///{tmp_path}/a.db", policy_dir=policies))
    assert load_governance(_pipeline(tmp_path), other).policies is not first.policies
