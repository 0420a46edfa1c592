"""``govkit.spark.register``: SQL functions that give the pipeline's values, audited."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest

from govkit.audit.api import query_log
from govkit.audit.query import AuditQuery
from govkit.datasets import open_dataset
from govkit.errors import UsageError
from govkit.governor import Governor
from govkit.protect.keys import LocalKeyring
from govkit.protect.registry import build
from govkit.settings import GovkitSettings
from govkit.spark import register
from govkit.spark.frames import read_source
from tests.protect.conftest import CUSTOMERS

pytestmark = pytest.mark.xdist_group("spark")

CALLS = [  # (function, column, entity, transform)
    ("govkit_tokenize", "phone", "PHONE_NUMBER", "tokenize"),
    ("govkit_tokenize", "id_number", "CN_RESIDENT_ID", "tokenize"),
    ("govkit_hash", "email", "EMAIL_ADDRESS", "hash"),
    ("govkit_mask", "phone", "PHONE_NUMBER", "mask"),
    ("govkit_mask", "name", "PERSON", "mask"),
    ("govkit_generalize", "birth_date", "DATE_OF_BIRTH", "generalize"),
]


@pytest.fixture
def governor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Governor:
    master = os.urandom(32)
    LocalKeyring.create(tmp_path / "keyring.json", master)
    monkeypatch.setenv("GOVKIT_MASTER_KEY", base64.b64encode(master).decode())
    monkeypatch.setenv("GOVKIT_KEYRING", str(tmp_path / "keyring.json"))
    monkeypatch.setenv("GOVKIT_AUDIT_URL", f"sqlite:///{tmp_path}/audit.db")
    monkeypatch.delenv("GOVKIT_MASTER_KEY_FILE", raising=False)
    return Governor(GovkitSettings())


def test_sql_functions_give_the_pipelines_values(spark: Any, governor: Governor) -> None:
    from govkit.protect.keys import open_keyring

    names = register(spark, governor=governor)
    assert sorted(names) == ["govkit_generalize", "govkit_hash", "govkit_mask", "govkit_tokenize"]
    read_source(spark, str(CUSTOMERS)).frame.createOrReplaceTempView("crm_sql_test")
    select = ", ".join(
        f"{fn}({col}, '{entity}') AS c{i}" for i, (fn, col, entity, _) in enumerate(CALLS)
    )
    query = f"SELECT customer_id, {select} FROM crm_sql_test"
    got = {r["customer_id"]: r for r in spark.sql(query).collect()}
    table = open_dataset(str(CUSTOMERS)).read_all()
    keys = open_keyring(governor.settings)
    ids = table.column("customer_id").to_pylist()
    for i, (_, col, entity, transform) in enumerate(CALLS):
        built = build(transform, {}, column=col, entity=entity, keys=keys)
        expected = built.apply(table.column(col).combine_chunks()).to_pylist()
        assert [got[c][f"c{i}"] for c in ids] == expected, (transform, col)
        assert any(v is not None for v in expected)

    events = [r.event for r in query_log(governor.settings, AuditQuery(action="spark.register"))]
    assert len(events) == 1
    assert events[0]["details"]["functions"] == "govkit_hash,govkit_tokenize"
    plan = spark.sql(query)._jdf.queryExecution().toString()
    for key in keys.list():
        material = keys.get(key.id).material
        assert material.hex() not in plan and base64.b64encode(material).decode() not in plan


def test_keyless_functions_are_not_audited(spark: Any, governor: Governor) -> None:
    from govkit.models import AuditEvent

    governor.record(AuditEvent(action="test.start"))  # the store exists: an empty answer means none
    assert register(spark, governor=governor, functions=["govkit_mask"]) == ["govkit_mask"]
    assert query_log(governor.settings, AuditQuery(action="spark.register")) == []


def test_an_unknown_function_is_a_usage_error(spark: Any, governor: Governor) -> None:
    with pytest.raises(UsageError, match="govkit_reveal_everything"):
        register(spark, governor=governor, functions=["govkit_reveal_everything"])
