"""Item 13 (keys and modes): a keyring others can read is refused; conflicting master keys are
refused; raw personal values written by protect are owner-only, as a reveal's are."""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliResult
from tests.protect.conftest import CUSTOMERS


@pytest.mark.parametrize(("mode", "ok"), [(0o600, True), (0o644, False), (0o660, False)])
def test_keyring_mode(
    tmp_path: Path, cli: Callable[..., CliResult], env: dict[str, str], ring: Any,
    catalog_file: Path, mode: int, ok: bool,
) -> None:  # fmt: skip
    keyring = Path(env["GOVKIT_KEYRING"])
    os.chmod(keyring, mode)
    result = cli(
        "protect", str(CUSTOMERS), "-o", str(tmp_path / "o.csv"), "--catalog", str(catalog_file)
    )
    if ok:
        assert result.code == 0, result.err
        return
    assert result.code == 3
    assert f"{keyring}: keyring is accessible by group or others" in result.err
    assert f"chmod 600 {keyring}" in result.err
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("same", [True, False])
def test_master_key_env_and_file_must_agree(
    tmp_path: Path, cli: Callable[..., CliResult], env: dict[str, str], ring: Any,
    catalog_file: Path, monkeypatch: pytest.MonkeyPatch, same: bool,
) -> None:  # fmt: skip
    key_file = tmp_path / "master.key"
    key = env["GOVKIT_MASTER_KEY"] if same else base64.b64encode(os.urandom(32)).decode()
    key_file.write_text(key, encoding="ascii")
    os.chmod(key_file, 0o600)
    monkeypatch.setenv("GOVKIT_MASTER_KEY_FILE", str(key_file))
    result = cli(
        "protect", str(CUSTOMERS), "-o", str(tmp_path / "o.csv"), "--catalog", str(catalog_file)
    )
    if same:
        assert result.code == 0, result.err
        return
    assert result.code == 3
    assert "GOVKIT_MASTER_KEY and GOVKIT_MASTER_KEY_FILE" in result.err
    assert "hold different keys" in result.err


@pytest.mark.parametrize(
    ("role", "purpose", "mode"),
    [("data_steward", "security_incident", 0o600), ("analyst", "analytics", None)],
)
def test_raw_view_outputs_are_owner_only(
    tmp_path: Path, cli: Callable[..., CliResult], env: dict[str, str], ring: Any,
    catalog_file: Path, role: str, purpose: str, mode: int | None,
) -> None:  # fmt: skip
    out = tmp_path / "o.csv"
    result = cli("protect", str(CUSTOMERS), "-o", str(out), "--catalog", str(catalog_file),
                 "--role", role, "--purpose", purpose, "--format", "json")  # fmt: skip
    assert result.code == 0, result.err
    kept = '"transform": "keep"' in result.out and '"entity": "CN_RESIDENT_ID"' in result.out
    actual = stat.S_IMODE(out.stat().st_mode)
    if mode is not None:
        assert actual == mode
    else:
        assert actual & 0o044, "a protected-only output keeps the usual mode"
    assert kept or mode is None
