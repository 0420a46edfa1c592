"""Fixtures for protect: a master key, a keyring, settings with a real audit store, a catalog."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from govkit.governor import Governor
from govkit.protect.keys import LocalKeyring
from govkit.settings import GovkitSettings

ROOT = Path(__file__).resolve().parents[2]
CUSTOMERS = ROOT / "examples" / "data" / "customers.csv"
POLICIES = ROOT / "policies"

CATALOG = """\
version: 1
datasets:
  customers:
    columns:
      customer_id: {sensitivity: low, tags: [customer_key]}
      name: {entity: PERSON, sensitivity: medium}
      gender: {sensitivity: low}
      id_number: {entity: CN_RESIDENT_ID, sensitivity: high}
      phone: {entity: PHONE_NUMBER, sensitivity: medium}
      email: {entity: EMAIL_ADDRESS, sensitivity: medium}
      birth_date: {entity: DATE_OF_BIRTH, sensitivity: medium}
      address: {entity: LOCATION, sensitivity: medium}
      region: {sensitivity: low}
      bank_card: {entity: CREDIT_CARD, sensitivity: high}
      ethnicity: {entity: ETHNICITY, sensitivity: high}
      consent_marketing: {sensitivity: low, tags: [consent]}
      consent_analytics: {sensitivity: low, tags: [consent]}
      created_at: {sensitivity: low}
"""


@pytest.fixture
def master_key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def ring(tmp_path: Path, master_key: bytes) -> LocalKeyring:
    return LocalKeyring.create(tmp_path / "keys" / "keyring.json", master_key)


@pytest.fixture
def env(tmp_path: Path, master_key: bytes, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """GOVKIT_* variables for an isolated run: master key, keyring, audit store, policies."""
    values = {
        "GOVKIT_MASTER_KEY": base64.b64encode(master_key).decode(),
        "GOVKIT_KEYRING": str(tmp_path / "keys" / "keyring.json"),
        "GOVKIT_AUDIT_URL": f"sqlite:///{tmp_path}/audit.db",
        "GOVKIT_POLICY_DIR": str(POLICIES),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GOVKIT_MASTER_KEY_FILE", raising=False)
    return values


@pytest.fixture
def governor(env: dict[str, str], ring: LocalKeyring) -> Governor:
    return Governor(GovkitSettings())


@pytest.fixture
def catalog_file(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(CATALOG, encoding="utf-8")
    return path
