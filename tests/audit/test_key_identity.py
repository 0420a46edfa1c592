"""A log keeps the audit key it was started with: setting a master key later locks nothing out."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from govkit.audit.keys import KEY_FILE_NAME
from tests.conftest import CliResult

MASTER = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in (
        "GOVKIT_MASTER_KEY",
        "GOVKIT_MASTER_KEY_FILE",
        "GOVKIT_AUDIT_URL",
        "GOVKIT_KEYRING",
    ):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "c.csv").write_text("id,city\n1,Beijing\n2,Shanghai\n", encoding="utf-8")
    return tmp_path


def _master_file(folder: Path) -> Path:
    path = folder / "master.key"
    path.write_text(MASTER + "\n", encoding="ascii")
    os.chmod(path, 0o600)
    return path


@pytest.mark.parametrize("how", ["env-key", "env-file"])
def test_master_key_set_after_log_started(
    project: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    assert cli("scan", "c.csv").code == 0  # no master key: the log starts under a generated key
    assert (project / ".govkit" / KEY_FILE_NAME).is_file()
    if how == "env-key":
        monkeypatch.setenv("GOVKIT_MASTER_KEY", MASTER)
    else:
        monkeypatch.setenv("GOVKIT_MASTER_KEY_FILE", str(_master_file(project)))
    init = cli("keys", "init")
    assert init.code == 0, init.err
    assert cli("scan", "c.csv").code == 0
    verify = cli("audit", "verify")
    assert verify.code == 0, verify.out + verify.err
    assert "BAD_SIGNATURE" not in verify.out


def test_log_started_with_master_key_stays_with_it(
    project: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVKIT_MASTER_KEY", MASTER)
    assert cli("scan", "c.csv").code == 0
    assert not (project / ".govkit" / KEY_FILE_NAME).exists()
    monkeypatch.delenv("GOVKIT_MASTER_KEY")
    # without the key the log was written under: refused, no stray key file, and told what to do
    lost = cli("scan", "c.csv")
    assert lost.code == 3
    assert "GOVKIT_MASTER_KEY" in lost.err and "docs/audit.md" in lost.err
    assert not (project / ".govkit" / KEY_FILE_NAME).exists()
    monkeypatch.setenv("GOVKIT_MASTER_KEY", MASTER)
    assert cli("audit", "verify").code == 0
