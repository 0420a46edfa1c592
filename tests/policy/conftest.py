"""Policy test helpers: the shipped policies, the fixture base, building sets in code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from govkit.policy.loader import load_policies
from govkit.policy.models import PolicySet

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"
FIXTURES = ROOT / "tests" / "fixtures" / "policies"


@pytest.fixture(scope="session")
def shipped() -> PolicySet:
    """The default policies in ``policies/``."""
    return load_policies(POLICIES)


@pytest.fixture
def base_dir(tmp_path: Path) -> Path:
    """A writable copy of the minimal valid policy directory."""
    target = tmp_path / "policies"
    shutil.copytree(FIXTURES / "base", target)
    return target


@pytest.fixture
def shipped_dir(tmp_path: Path) -> Path:
    """A writable copy of the default policies (with their tests and catalog)."""
    target = tmp_path / "policies"
    shutil.copytree(POLICIES, target)
    return target
