from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from govkit.audit import chain as ch
from govkit.audit.canonical import canonical_json
from govkit.audit.chain import project
from govkit.audit.checkpoints import read_checkpoint, signature_ok
from govkit.audit.export import export_log
from govkit.audit.keys import KEY_FILE_NAME, AuditKeys, load_audit_keys, load_public_key
from govkit.audit.location import parse_location
from govkit.audit.store import AuditStore
from govkit.errors import AuditError, KeyMaterialError
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings
from tests.audit.conftest import MASTER


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"b": 1, "a": [True, None, "x"]}, '{"a":[true,null,"x"],"b":1}'),
        ({"列": "值"}, '{"列":"值"}'),
        ({"\ufb01": 1, "\U0001f600": 2}, '{"\U0001f600":2,"\ufb01":1}'),  # UTF-16 order
        (1.0, "1"),
        (0.5, "0.5"),
        (1e21, "1e+21"),
        (-0.0, "0"),
        ('a"b\n', '"a\\"b\\n"'),
    ],
)
def test_canonical_json(value: Any, text: str) -> None:
    assert canonical_json(value) == text


@pytest.mark.parametrize("value", [float("nan"), b"raw", {1: "x"}, object()])
def test_canonical_json_rejects(value: Any) -> None:
    with pytest.raises(AuditError):
        canonical_json(value)


def test_projection_strips_separators_and_caps() -> None:
    proj = project(
        {"actor": "a\x1fb", "role": "", "action": "x" * 100, "ts": "t", "outcome": "success"}
    )
    assert proj["actor"] == "a\ufffdb" and proj["role"] is None and len(proj["action"] or "") == 64


def test_keys_from_master_are_stable_and_distinct(tmp_path: Path) -> None:
    a = load_audit_keys(GovkitSettings(master_key=SecretStr(MASTER)), tmp_path)
    b = AuditKeys.from_secret(base64.b64decode(MASTER), "x")
    assert (a.mac_key, a.key_id) == (b.mac_key, b.key_id)
    assert a.mac_key != base64.b64decode(MASTER)
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_generated_key_file_is_private_and_reused(tmp_path: Path) -> None:
    first = load_audit_keys(GovkitSettings(), tmp_path)
    path = tmp_path / KEY_FILE_NAME
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_audit_keys(GovkitSettings(), tmp_path).key_id == first.key_id
    os.chmod(path, 0o644)
    with pytest.raises(KeyMaterialError, match="accessible by group or others"):
        load_audit_keys(GovkitSettings(), tmp_path)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("oracle://u:pw@h/db", "oracle://u:***@h/db: audit store must be SQLite"),
        ("sqlite:///x.db?govkit_prefix=bad;drop", "table prefix must be"),
        ("not a url", "not a valid audit store URL"),
    ],
)
def test_bad_audit_urls(url: str, message: str) -> None:
    with pytest.raises(AuditError, match=message.replace("*", r"\*")):
        parse_location(url)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    settings = GovkitSettings(
        audit_url=f"sqlite:///{tmp_path / 'a.db'}", master_key=SecretStr(MASTER)
    )
    store = AuditStore.open(settings)
    meta = store.tables.meta
    with store.engine.begin() as conn:
        conn.execute(sa.update(meta).where(meta.c.key == "schema_version").values(value="99"))
    store.close()
    with pytest.raises(AuditError, match="schema version 99 is newer"):
        AuditStore.open(settings)


def test_export_can_be_checked_without_the_audit_key(tmp_path: Path) -> None:
    """What an external auditor does with the export and the public key only."""
    settings = GovkitSettings(
        audit_url=f"sqlite:///{tmp_path / 'a.db'}", master_key=SecretStr(MASTER)
    )
    store = AuditStore.open(settings)
    for i in range(5):
        store.append([{**AuditEvent(action="scan", counts={"n": i}).model_dump(), "actor": "ann"}])
    result = export_log(store, tmp_path / "out.jsonl")
    cp_file = Path(result.checkpoint_file)
    cp = read_checkpoint(cp_file)
    public = load_public_key(json.loads(cp_file.read_text())["public_key"])
    assert signature_ok(cp, public)
    prev = ch.genesis(cp.chain_id or "")
    for line in (tmp_path / "out.jsonl").read_text().splitlines():
        row = json.loads(line)
        values = [row[name] for name in ch.PROJECTION]
        assert row["prev_hash"] == prev
        assert ch.row_hash(prev, row["body"], values) == row["hash"]
        prev = row["hash"]
    assert prev == cp.head_hash


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


@given(_json)
def test_canonical_json_round_trips_and_is_stable(value: Any) -> None:
    text = canonical_json(value)
    back = json.loads(text)
    assert back == value
    assert canonical_json(back) == text
