"""Item 3: an unknown entity, tier, kind or transform in any config file is an error that names
the file, the line and the closest known name — never a column silently kept raw."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.protect.conftest import CATALOG, CUSTOMERS, POLICIES


def _policies(tmp: Path, file: str, old: str, new: str) -> Path:
    target = tmp / "policies"
    shutil.copytree(POLICIES, target)
    text = (target / file).read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    (target / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def _line(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


CATALOG_CASES = [
    # (id, replace, with, message)
    (
        "entity",
        "id_number: {entity: CN_RESIDENT_ID, sensitivity: high}",
        "id_number: {entity: CN_RESIDENT_IDD, reviewed: true}",
        "datasets.customers.columns.id_number.entity: unknown entity 'CN_RESIDENT_IDD' "
        "(did you mean 'CN_RESIDENT_ID'?)",
    ),
    (
        "tier",
        "phone: {entity: PHONE_NUMBER, sensitivity: medium}",
        "phone: {entity: PHONE_NUMBER, sensitivity: meduim}",
        "datasets.customers.columns.phone.sensitivity: unknown tier 'meduim' "
        "(did you mean 'medium'?)",
    ),
    (
        "kind",
        "address: {entity: LOCATION, sensitivity: medium}",
        "address: {entity: LOCATION, sensitivity: medium, kind: freetext}",
        "datasets.customers.columns.address.kind: unknown kind 'freetext' "
        "(did you mean 'free_text'?)",
    ),
    (
        "entities-list",
        "email: {entity: EMAIL_ADDRESS, sensitivity: medium}",
        "email: {entity: EMAIL_ADDRESS, entities: [EMAIL_ADRESS], sensitivity: medium}",
        "datasets.customers.columns.email.entities[0]: unknown entity 'EMAIL_ADRESS' "
        "(did you mean 'EMAIL_ADDRESS'?)",
    ),
]


@pytest.mark.parametrize("command", ["protect", "explain", "run-catalog"])
@pytest.mark.parametrize(
    ("old", "new", "message"), [c[1:] for c in CATALOG_CASES], ids=[c[0] for c in CATALOG_CASES]
)
def test_catalog_typos_are_refused(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    env: dict[str, str],
    ring: object,
    command: str,
    old: str,
    new: str,
    message: str,
) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(CATALOG.replace(old, new), encoding="utf-8")
    out = tmp_path / "out.csv"
    if command == "protect":
        args = ["protect", str(CUSTOMERS), "-o", str(out), "--catalog", str(catalog)]
    elif command == "explain":
        args = ["policy", "explain", "--role", "analyst", "--purpose", "analytics",
                "--dataset", "customers", "--catalog", str(catalog)]  # fmt: skip
    else:
        args = ["scan", str(CUSTOMERS), "--catalog", str(catalog)]
    result = cli(*args)
    assert result.code == 3, result.err
    line = _line(catalog, new.split(":")[0] + ":")
    assert result.err.strip() == f"Error: {catalog}:{line}: {message}"
    assert not out.exists()


POLICY_CASES = [
    (
        "protection-entity",
        "protection.yaml",
        "  CN_RESIDENT_ID: tokenize",
        "  CN_RESIDENT_IDD: tokenize",
        "entities.CN_RESIDENT_IDD: unknown entity 'CN_RESIDENT_IDD' (did you mean 'CN_RESIDENT_ID'?)",
    ),
    (
        "protection-transform",
        "protection.yaml",
        "  CREDIT_CARD: tokenize",
        "  CREDIT_CARD: tokenise",
        "entities.CREDIT_CARD: unknown transform 'tokenise' (did you mean 'tokenize'?)",
    ),
    (
        "protection-tier",
        "protection.yaml",
        "  high: tokenize",
        "  hihg: tokenize",
        "unknown tier 'hihg' (did you mean 'high'?)",
    ),
    (
        "classification-tier",
        "classification.yaml",
        "  CN_RESIDENT_ID: high",
        "  CN_RESIDENT_ID: hgh",
        "tiers.CN_RESIDENT_ID: unknown tier 'hgh' (did you mean 'high'?)",
    ),
    (
        "classification-entity",
        "classification.yaml",
        "  CREDIT_CARD: high",
        "  CREDIT_CRAD: high",
        "tiers.CREDIT_CRAD: unknown entity 'CREDIT_CRAD' (did you mean 'CREDIT_CARD'?)",
    ),
    (
        "classification-action",
        "classification.yaml",
        "  CREDIT_CARD: tokenize",
        "  CREDIT_CARD: tokenzie",
        "actions.CREDIT_CARD: unknown action 'tokenzie' (did you mean 'tokenize'?)",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [c[1:] for c in POLICY_CASES],
    ids=[c[0] for c in POLICY_CASES],
)
def test_policy_file_typos_are_refused(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    env: dict[str, str],
    ring: object,
    catalog_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    file: str,
    old: str,
    new: str,
    message: str,
) -> None:
    policies = _policies(tmp_path, file, old, new)
    monkeypatch.setenv("GOVKIT_POLICY_DIR", str(policies))
    out = tmp_path / "out.csv"
    result = cli("protect", str(CUSTOMERS), "-o", str(out), "--catalog", str(catalog_file))
    assert result.code == 3, result.err
    path = policies / file
    assert result.err.startswith(f"Error: {path}:{_line(path, new.strip())}: "), result.err
    assert message in result.err
    assert not out.exists()


def test_access_rule_with_unknown_kind_names_the_closest(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    policies = tmp_path / "policies"
    shutil.copytree(POLICIES, policies)
    (policies / "rules-typo.yaml").write_text(
        "rules:\n  - id: typo\n    roles: [analyst]\n    effect: allow\n"
        "    match: {kinds: [freetext]}\n    view: masked\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GOVKIT_POLICY_DIR", str(policies))
    result = cli("policy", "check")
    assert result.code == 3, result.err
    assert f"{policies / 'rules-typo.yaml'}:5:" in result.err
    assert "unknown kind 'freetext' (did you mean 'free_text'?)" in result.err
