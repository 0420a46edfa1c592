"""``govkit reveal --engine spark``: the local reveal's check, rows, manifest, event and modes.

The reveal stage (:func:`govkit.protect.reveal.reveal`) decides and records on both
engines; Spark only executes it (``govkit_reveal``'s function on the executors).
"""

from __future__ import annotations

import stat
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
from tests.spark._cli import govkit
from tests.spark._compare import read_output, sorted_rows

__all__ = ["catalog_file", "env", "master_key", "ring"]  # the protect tests' fixtures

pytestmark = pytest.mark.xdist_group("spark")

GRANTED = ["id_number", "bank_card"]  # data_steward / security_incident sees them raw
ENGINE_FACTS = ("engine", "spark_version", "spark_master", "spark_app_id")


def modes(path: Path) -> set[tuple[str, int]]:
    """(kind, permission bits) of ``path`` and everything under it."""
    found = {("dir" if path.is_dir() else "file", stat.S_IMODE(path.stat().st_mode))}
    if path.is_dir():
        for item in path.rglob("*"):
            found.add(("dir" if item.is_dir() else "file", stat.S_IMODE(item.stat().st_mode)))
    return found


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
    a = reveal(
        str(protected),
        str(local_out),
        columns=GRANTED,
        context=governor,
        role="data_steward",
        purpose="security_incident",
    )
    b = reveal(
        str(protected),
        str(spark_out),
        columns=GRANTED,
        context=governor,
        engine=SparkEngine(spark),
        role="data_steward",
        purpose="security_incident",
    )
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


@pytest.mark.parametrize(
    ("columns", "role", "purpose"),
    [
        (GRANTED, "analyst", "analytics"),
        (["id_number"], "customer_service", "customer_service"),
        (["bank_card"], "data_steward", "data_quality"),
    ],
)
def test_a_refused_role_gets_the_same_denial_on_both_engines(
    tmp_path: Path, protected: Path, spark: Any, columns: list[str], role: str, purpose: str
) -> None:
    governor = Governor(GovkitSettings())
    messages = []
    for engine in (None, SparkEngine(spark)):
        out = tmp_path / f"{'local' if engine is None else 'spark'}.csv"
        with pytest.raises(AccessDeniedError, match="may not reveal") as err:
            reveal(
                str(protected),
                str(out),
                columns=columns,
                role=role,
                purpose=purpose,
                context=governor,
                engine=engine,
            )
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
    base = ["reveal", str(protected), "--columns", ",".join(GRANTED)]
    who = ["--role", "data_steward", "--purpose", "security_incident"]
    spark = ["--engine", "spark", "--master", "local[2]"]
    local = govkit(*base, "-o", str(tmp_path / "l.csv"), *who, cwd=tmp_path)
    remote = govkit(*base, "-o", str(tmp_path / "s.csv"), *who, *spark, cwd=tmp_path)
    assert local.returncode == remote.returncode == 0, remote.stderr[-2000:]
    assert local.stdout.replace("l.csv", "s.csv") == remote.stdout
    assert sorted_rows(read_output(tmp_path / "l.csv")) == sorted_rows(
        read_output(tmp_path / "s.csv")
    )
    denied = ["--role", "analyst", "--purpose", "analytics"]
    local = govkit(*base, "-o", str(tmp_path / "l2.csv"), *denied, cwd=tmp_path)
    remote = govkit(*base, "-o", str(tmp_path / "s2.csv"), *denied, *spark, cwd=tmp_path)
    assert local.returncode == remote.returncode == 1
    errors = [[x for x in d.stderr.splitlines() if x.startswith("Error:")] for d in (local, remote)]
    assert errors[0] == errors[1] and len(errors[0]) == 1
    assert not (tmp_path / "s2.csv").exists()
