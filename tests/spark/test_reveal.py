"""``govkit reveal --engine spark``: the local reveal's check, rows, manifest, event and modes.

The reveal stage (:func:`govkit.protect.reveal.reveal`) decides and records on both
engines; Spark only executes it (``govkit_reveal``'s function on the executors).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govkit.audit.api import query_log
from govkit.audit.query import AuditQuery
from govkit.errors import AccessDeniedError
from govkit.governor import Governor
from govkit.pipeline.api import protect
from govkit.protect.manifest import read_manifest
from govkit.protect.reveal import reveal
from govkit.settings import GovkitSettings
from govkit.spark.engine import SparkEngine
from tests.protect.conftest import CUSTOMERS, catalog_file, env, master_key, ring
from tests.spark._cli import same_on_both_engines
from tests.spark._compare import GRANTED, REFUSED, modes, read_output, sorted_rows

__all__ = ["catalog_file", "env", "master_key", "ring"]  # the protect tests' fixtures

pytestmark = pytest.mark.xdist_group("spark")

ENGINE_FACTS = ("engine", "spark_version", "spark_master", "spark_app_id")


def _reveal(
    protected: Path, out: Path, governor: Governor, engine: SparkEngine | None, **who: Any
) -> Any:
    """Reveal ``GRANTED`` of ``protected`` into ``out`` (as data_steward unless ``who``)."""
    asking = {"role": "data_steward", "purpose": "security_incident", "columns": GRANTED, **who}
    return reveal(str(protected), str(out), context=governor, engine=engine, **asking)


@pytest.fixture
def protected(tmp_path: Path, env: dict[str, str], ring: Any, catalog_file: Path) -> Path:
    """The sample customers protected by default protection (tokens for ids and cards)."""
    out = tmp_path / "safe.csv"
    protect(str(CUSTOMERS), str(out), governor=Governor(GovkitSettings()), catalog=catalog_file)
    return out


def test_spark_reveals_the_local_rows_manifest_and_event(
    tmp_path: Path, protected: Path, spark: Any
) -> None:
    governor = Governor(GovkitSettings())
    local_out, spark_out = tmp_path / "ids-local.csv", tmp_path / "ids-spark.csv"
    a = _reveal(protected, local_out, governor, None)
    b = _reveal(protected, spark_out, governor, SparkEngine(spark))
    assert (a.rows, a.columns) == (b.rows, b.columns) == (500, GRANTED)
    assert b.output == str(spark_out) and spark_out.is_dir() and local_out.is_file()
    ta, tb = read_output(local_out), read_output(spark_out)
    assert ta.column_names == tb.column_names
    assert sorted_rows(ta) == sorted_rows(tb)
    tokens = read_output(protected)
    assert sorted_rows(ta) != sorted_rows(tokens)  # something was revealed
    ma = read_manifest(Path(f"{local_out}.manifest.json"))
    mb = read_manifest(Path(f"{spark_out}.manifest.json"))
    assert ma.model_dump(exclude={"output"}) == mb.model_dump(exclude={"output"})
    assert mb.output == str(spark_out) and not {c.column for c in mb.columns} & set(GRANTED)
    events = [r.event for r in query_log(governor.settings, AuditQuery(action="reveal"))]
    assert [e["outcome"] for e in events] == ["success", "success"]
    local, remote = events[0]["details"], events[1]["details"]
    assert not set(ENGINE_FACTS) & set(local)
    assert remote["engine"] == "spark" and remote["spark_master"] == "local[2]"
    assert str(remote["spark_app_id"]).startswith("local-")
    assert {k: v for k, v in remote.items() if k not in ENGINE_FACTS} == local
    assert events[0]["counts"] == events[1]["counts"] == {"rows": 500}
    # raw values, owner-only: the local file 0600, Spark's directory 0700 and its files 0600
    assert modes(local_out) == {("file", 0o600)}
    assert modes(spark_out) == {("dir", 0o700), ("file", 0o600)}


@pytest.mark.parametrize(("columns", "role", "purpose"), REFUSED)
def test_a_refused_role_gets_the_same_denial_on_both_engines(
    tmp_path: Path, protected: Path, spark: Any, columns: list[str], role: str, purpose: str
) -> None:
    governor = Governor(GovkitSettings())
    messages = []
    for engine in (None, SparkEngine(spark)):
        out = tmp_path / f"{'local' if engine is None else 'spark'}.csv"
        with pytest.raises(AccessDeniedError, match="may not reveal") as err:
            _reveal(protected, out, governor, engine, columns=columns, role=role, purpose=purpose)
        messages.append(str(err.value))
        assert not out.exists()
    assert messages[0] == messages[1]
    events = [r.event for r in query_log(governor.settings, AuditQuery(action="reveal"))]
    assert [(e["outcome"], e["role"], e["columns"]) for e in events] == [
        ("denied", role, columns)
    ] * 2


@pytest.mark.slow
def test_the_cli_door_same_output_same_errors(
    tmp_path: Path, protected: Path, env: dict[str, str]
) -> None:
    same_on_both_engines(
        ["reveal", str(protected), "--columns", ",".join(GRANTED)],
        ["--role", "data_steward", "--purpose", "security_incident"],
        ["--role", "analyst", "--purpose", "analytics"],
        tmp_path,
        "--master",
        "local[2]",
    )


def test_a_tampered_token_fails_the_spark_reveal_without_output_or_value(
    tmp_path: Path, protected: Path, spark: Any
) -> None:
    from govkit.errors import DecryptionError, ProtectionError

    table = read_output(protected)
    token = str(table.column("id_number")[3])
    head, payload = token.rsplit(".", 1)
    forged = f"{head}.{payload[:-3]}{'AAA' if payload[-3:] != 'AAA' else 'BBB'}"
    text = protected.read_text(encoding="utf-8")
    protected.write_text(text.replace(token, forged), encoding="utf-8")
    governor = Governor(GovkitSettings())
    raised: list[BaseException] = []
    for engine in (None, SparkEngine(spark)):
        out = tmp_path / f"{'local' if engine is None else 'spark'}.csv"
        with pytest.raises(ProtectionError) as err:  # exit 3 on both engines
            _reveal(protected, out, governor, engine)
        raised.append(err.value)
        assert not out.exists() and not list(tmp_path.glob(f".{out.name}*"))
        assert forged not in str(err.value) and payload not in str(err.value)
    assert isinstance(raised[0], DecryptionError) and "does not verify" in str(raised[0])
    # Spark: one line naming the stage and the error class, never the value or its row
    assert str(raised[1]) == "reveal safe: Spark job failed: reveal (DecryptionError)"
    events = [r.event for r in query_log(governor.settings, AuditQuery(action="reveal"))]
    assert [(e["outcome"], e["reason"]) for e in events] == [
        ("failure", "DecryptionError"),
        ("failure", "ProtectionError"),
    ]
