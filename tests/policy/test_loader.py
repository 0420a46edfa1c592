"""Loading policy directories: one broken file per error kind, each with its exact message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from govkit.errors import PolicyError
from govkit.policy.loader import load_policies, policy_files
from tests.policy.conftest import FIXTURES, POLICIES

BROKEN = sorted((FIXTURES / "broken").glob("*.yaml"))


def _header(path: Path) -> tuple[str, str]:
    """(target file name, expected message) from a broken fixture's first two lines."""
    first, second = path.read_text(encoding="utf-8").splitlines()[:2]
    assert first.startswith("# file: ") and second.startswith("# error: "), path
    return first.removeprefix("# file: "), second.removeprefix("# error: ")


def test_there_is_a_fixture_per_error_kind() -> None:
    assert len(BROKEN) >= 20


@pytest.mark.parametrize("fixture", BROKEN, ids=[p.stem for p in BROKEN])
def test_when_a_file_is_broken_then_the_error_names_file_line_and_field(
    fixture: Path, base_dir: Path
) -> None:
    target, expected = _header(fixture)
    shutil.copy(fixture, base_dir / target)
    with pytest.raises(PolicyError) as caught:
        load_policies(base_dir)
    assert str(caught.value) == expected.format(dir=base_dir)


def test_the_fixture_base_and_the_shipped_policies_load(base_dir: Path) -> None:
    assert set(load_policies(base_dir).roles) == {"viewer", "lead"}
    shipped = load_policies(POLICIES)
    assert set(shipped.roles) == {
        "data_steward",
        "analyst",
        "marketing",
        "customer_service",
        "auditor",
        "engineer",
    }
    assert {"analytics", "marketing", "customer_service", "audit", "security_incident"} <= set(
        shipped.purposes
    )


@pytest.mark.parametrize("name", ["classification.yaml", "protection.yaml"])
def test_the_loader_leaves_the_scanner_and_protect_files_alone(base_dir: Path, name: str) -> None:
    (base_dir / name).write_text("this: [is not, {an access file\n", encoding="utf-8")
    assert name not in [p.name for p in policy_files(base_dir)]
    load_policies(base_dir)


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("missing", "{dir}: not a policy directory"),
        ("empty", "{dir}: no access policy files (*.yaml) found"),
    ],
)
def test_when_the_directory_is_unusable_then_policy_error(
    tmp_path: Path, setup: str, expected: str
) -> None:
    folder = tmp_path / "p"
    if setup == "empty":
        folder.mkdir()
    with pytest.raises(PolicyError) as caught:
        load_policies(folder)
    assert str(caught.value) == expected.format(dir=folder)


def test_the_hash_ignores_rule_order_and_file_layout(base_dir: Path) -> None:
    before = load_policies(base_dir).bundle_hash
    rules = (base_dir / "rules.yaml").read_text(encoding="utf-8")
    (base_dir / "rules.yaml").write_text(
        rules + "  - id: another\n    roles: [lead]\n    view: masked\n", encoding="utf-8"
    )
    added = load_policies(base_dir).bundle_hash
    (base_dir / "rules.yaml").write_text(rules, encoding="utf-8")
    (base_dir / "a-more.yaml").write_text(
        "rules:\n  - id: another\n    roles: [lead]\n    view: masked\n", encoding="utf-8"
    )
    moved = load_policies(base_dir).bundle_hash
    assert before != added
    assert added == moved
    assert added.startswith("sha256:") and len(added) == 7 + 64


def test_the_hash_changes_with_any_content(base_dir: Path) -> None:
    before = load_policies(base_dir).bundle_hash
    path = base_dir / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("raw", "masked"), encoding="utf-8")
    assert load_policies(base_dir).bundle_hash != before
