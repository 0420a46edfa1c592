"""Seeded personal values from the sample data never reach the audit tables."""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa
from pydantic import SecretStr

from govkit.audit.store import AuditStore
from govkit.governor import Governor
from govkit.settings import GovkitSettings
from tests.audit.conftest import MASTER

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"
PERSONAL = ("name", "id_number", "phone", "email", "address", "bank_card", "birth_date")


def _seeded_values() -> set[str]:
    with open(DATA / "customers.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {r[c] for r in rows for c in PERSONAL if r.get(c) and len(r[c]) >= 4}


def _dump(store: AuditStore) -> str:
    parts: list[str] = []
    with store.engine.connect() as conn:
        for table in (store.tables.events, store.tables.heads, store.tables.meta):
            for row in conn.execute(sa.select(table)):
                parts.extend(str(v) for v in row)
    return "\n".join(parts)


def test_scan_and_protect_leave_no_personal_values(tmp_path: Path) -> None:
    from govkit.detect.api import scan
    from govkit.engines.local import LocalEngine
    from govkit.protect.api import protect
    from govkit.protect.keyops import keys_init

    settings = GovkitSettings(
        audit_url=f"sqlite:///{tmp_path / 'audit.db'}",
        master_key=SecretStr(MASTER),
        keyring=tmp_path / "keyring",
    )
    gov = Governor(settings)
    catalog = tmp_path / "catalog.yaml"
    for table in ("customers", "tickets", "transactions", "feedback"):
        scan(str(DATA / f"{table}.csv"), context=gov, catalog=catalog)
    keys_init(gov)
    protect(
        str(DATA / "customers.csv"), str(tmp_path / "out.csv"), context=gov,
        catalog=catalog, role="analyst", purpose="analytics", engine=LocalEngine(1),
    )  # fmt: skip
    store = gov.audit_store
    actions = [r.event["action"] for r in store.query()]
    assert actions.count("scan") == 4 and "protect" in actions
    dump = _dump(store)
    leaked = sorted(v for v in _seeded_values() if v in dump)
    assert leaked == [], f"{len(leaked)} personal values in the audit tables"
    assert store.verify().ok
