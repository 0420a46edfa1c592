"""Audit test fixtures: one isolated store per test on each backend."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from pydantic import SecretStr

from govkit.audit.store import AuditStore
from govkit.settings import GovkitSettings

MASTER = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="  # 32 bytes, test only


def isolated_url(base: str, prefix: str) -> str:
    """Add the table prefix parameter to a test database URL."""
    return f"{base}{'&' if '?' in base else '?'}govkit_prefix={prefix}"


def drop_tables(base: str, prefix: str) -> None:
    """Drop a test store's tables from a server database."""
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        for name in ("events", "heads", "meta"):
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {prefix}{name}"))
    engine.dispose()


@pytest.fixture
def audit_url(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An isolated audit URL on each backend (cwd moved to tmp_path for the state dir)."""
    monkeypatch.chdir(tmp_path)
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'audit.db'}"
        return
    prefix = f"gka_{secrets.token_hex(4)}_"
    yield isolated_url(db_url, prefix)
    drop_tables(db_url, prefix)


@pytest.fixture
def settings(audit_url: str) -> GovkitSettings:
    """Settings with a fixed test master key and the isolated store."""
    return GovkitSettings(audit_url=audit_url, master_key=SecretStr(MASTER))


@pytest.fixture
def store(settings: GovkitSettings) -> Iterator[AuditStore]:
    """An opened isolated store."""
    opened = AuditStore.open(settings)
    yield opened
    opened.close()
