"""Project settings: ``govkit.yaml`` found upward; environment over it, flags over both."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from govkit.errors import ConfigError
from govkit.settings import GovkitSettings, find_project_file
from tests.conftest import CliResult

PROJECT = "policy_dir: pol\naudit_url: sqlite:///state/audit.db\nkeyring: state/ring\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("GOVKIT_POLICY_DIR", "GOVKIT_AUDIT_URL", "GOVKIT_KEYRING", "GOVKIT_MASTER_KEY"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "govkit.yaml").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    return tmp_path


def test_found_from_a_subfolder_relative_to_the_file(project: Path) -> None:
    assert find_project_file() == project / "govkit.yaml"
    settings = GovkitSettings()
    assert settings.policy_dir == project / "pol"
    assert settings.keyring == project / "state" / "ring"
    assert settings.audit_url == f"sqlite:///{project / 'state' / 'audit.db'}"


def test_none_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert find_project_file() is None
    assert GovkitSettings().keyring == Path(".govkit/keyring")


@pytest.mark.parametrize(
    ("env", "flag", "value", "source"),
    [
        (None, None, "project", "govkit.yaml"),
        ("/env/ring", None, "/env/ring", "environment (GOVKIT_KEYRING)"),
        ("/env/ring", "/flag/ring", "/flag/ring", "flag"),
        (None, "/flag/ring", "/flag/ring", "flag"),
    ],
)
def test_precedence_shown_by_govkit_config(
    project: Path,
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    env: str | None,
    flag: str | None,
    value: str,
    source: str,
) -> None:
    if env:
        monkeypatch.setenv("GOVKIT_KEYRING", env)
    args = ["--keyring", flag] if flag else []
    result = cli(*args, "config", "--format", "json")
    assert result.code == 0, result.err
    shown = {r["setting"]: r for r in json.loads(result.out)["settings"]}
    expected = str(project / "state" / "ring") if value == "project" else value
    assert shown["keyring"]["value"] == expected
    assert shown["keyring"]["source"].endswith(source)
    assert shown["actor"]["source"] == "default"


def test_config_never_shows_the_master_key(
    project: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
    monkeypatch.setenv("GOVKIT_MASTER_KEY", secret)
    monkeypatch.setenv("GOVKIT_AUDIT_URL", "postgresql://u:hunter2@db/x")
    for fmt in ("table", "json"):
        result = cli("config", "--format", fmt)
        assert result.code == 0
        assert secret not in result.out and "hunter2" not in result.out
        assert "not shown" in result.out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("master_key: abc\n", "is a secret"),
        ("polcy_dir: x\n", "unknown setting 'polcy_dir'"),
        ("- a\n", "must be a mapping"),
        ("a: [\n", "cannot read the project file"),
    ],
)
def test_bad_project_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., CliResult],
    text: str,
    message: str,
) -> None:
    (tmp_path / "govkit.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=message):
        GovkitSettings()
    result = cli("config")
    assert result.code == 3 and result.err.startswith("Error: ") and "govkit.yaml" in result.err


def test_store_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., CliResult]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOVKIT_AUDIT_URL", raising=False)
    (tmp_path / "c.csv").write_text("id\n1\n", encoding="utf-8")
    assert cli("scan", "c.csv").code == 0
    assert (tmp_path / ".govkit").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / ".govkit" / "audit.db").stat().st_mode & 0o777 == 0o600
