"""``govkit protect --engine spark`` and ``govkit.protect(engine=…)``; the SQL reveal function."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from govkit.audit.api import query_log
from govkit.audit.query import AuditQuery
from govkit.errors import AccessDeniedError, UsageError
from govkit.governor import Governor
from govkit.pipeline.api import protect
from govkit.protect.keys import open_keyring
from govkit.settings import GovkitSettings
from govkit.spark import register
from govkit.spark.engine import SparkEngine
from govkit.spark.sql import REVEAL, Reveal
from tests.protect.conftest import CUSTOMERS, catalog_file, env, master_key, ring

__all__ = ["catalog_file", "env", "master_key", "ring"]  # the protect tests' fixtures
from tests.spark._cli import same_on_both_engines
from tests.spark._compare import GRANTED, REFUSED, modes, read_output, sorted_rows

pytestmark = pytest.mark.xdist_group("spark")


@pytest.fixture
def twin(
    tmp_path: Path, env: dict[str, str], ring: Any, catalog_file: Path, spark: Any
) -> tuple[Any, Any, Path, Path]:
    """The same source protected by the local engine and by Spark (default protection)."""
    governor = Governor(GovkitSettings())
    local_out, spark_out = tmp_path / "local.csv", tmp_path / "spark.csv"
    a = protect(str(CUSTOMERS), str(local_out), governor=governor, catalog=catalog_file)
    b = protect(
        str(CUSTOMERS),
        str(spark_out),
        governor=governor,
        catalog=catalog_file,
        engine=SparkEngine(spark),
    )
    return a, b, local_out, spark_out


def _deterministic(table: Any, manifest: Any) -> Any:
    random = [c.column for c in manifest.columns if c.transform == "encrypt"]
    return table.drop_columns(random)


def test_the_protect_door_on_spark_gives_the_local_engines_values(
    twin: tuple[Any, Any, Path, Path],
) -> None:
    a, b, local_out, spark_out = twin
    assert spark_out.is_dir() and local_out.is_file()
    assert b.output == str(spark_out)
    keep = ("column", "transform", "key_id", "values", "nulls")
    assert [c.model_dump(include=set(keep)) for c in a.manifest.columns] == [
        c.model_dump(include=set(keep)) for c in b.manifest.columns
    ]
    assert (a.manifest.rows_in, a.manifest.rows_out) == (b.manifest.rows_in, b.manifest.rows_out)
    assert any(c.transform == "encrypt" for c in a.manifest.columns)  # dropped below, decrypted
    ta, tb = read_output(local_out), read_output(spark_out)
    assert ta.num_rows == tb.num_rows == 500
    assert sorted_rows(_deterministic(ta, a.manifest)) == sorted_rows(
        _deterministic(tb, b.manifest)
    )
    written = json.loads(Path(str(spark_out) + ".manifest.json").read_text(encoding="utf-8"))
    assert written["output"] == str(spark_out) and written["rows_out"] == 500


def test_the_protect_event_names_engine_master_and_application(
    twin: tuple[Any, Any, Path, Path],
) -> None:
    events = [r.event for r in query_log(GovkitSettings(), AuditQuery(action="protect"))]
    assert len(events) == 2
    local, spark = events[0]["details"], events[1]["details"]
    assert "engine" not in local
    assert spark["engine"] == "spark" and spark["spark_master"] == "local[2]"
    assert str(spark["spark_app_id"]).startswith("local-")
    assert {k: v for k, v in local.items() if k != "output"} == {
        k: v for k, v in spark.items() if k not in ("output", "engine") and "spark" not in k
    }


def test_sql_reveal_gives_back_what_protect_hid_for_an_allowed_role(
    twin: tuple[Any, Any, Path, Path], spark: Any
) -> None:
    from govkit.spark.frames import read_source

    _, _, _, spark_out = twin
    governor = Governor(GovkitSettings())
    grant = Reveal(
        Path(str(spark_out) + ".manifest.json"), GRANTED, "data_steward", "security_incident"
    )
    assert REVEAL in register(spark, governor=governor, functions=[], reveal=grant)
    read_source(spark, str(spark_out)).frame.createOrReplaceTempView("protected_door")
    read_source(spark, str(CUSTOMERS)).frame.createOrReplaceTempView("raw_door")
    query = (
        "SELECT r.id_number AS raw_id, r.bank_card AS raw_card, "
        "govkit_reveal(p.id_number, 'id_number') AS id, "
        "govkit_reveal(p.bank_card, 'bank_card') AS card, p.id_number AS token "
        "FROM protected_door p JOIN raw_door r ON p.customer_id = r.customer_id"
    )
    rows = spark.sql(query).collect()
    assert len(rows) == 500
    assert all(r["token"] != r["raw_id"] for r in rows if r["raw_id"])
    assert [r["id"] for r in rows] == [
        r["raw_id"].upper().replace(" ", "") if r["raw_id"] else r["raw_id"] for r in rows
    ]
    assert [r["card"] for r in rows] == [
        r["raw_card"].replace(" ", "") if r["raw_card"] else r["raw_card"] for r in rows
    ]
    event = query_log(governor.settings, AuditQuery(action="spark.register"))[-1].event
    assert event["details"]["functions"] == REVEAL and event["columns"] == GRANTED
    assert (event["role"], event["purpose"]) == ("data_steward", "security_incident")
    plan = spark.sql(query)._jdf.queryExecution().toString()
    keys = open_keyring(governor.settings)
    for info in keys.list():
        material = keys.get(info.id).material
        assert material.hex() not in plan and base64.b64encode(material).decode() not in plan


@pytest.mark.parametrize(("columns", "role", "purpose"), REFUSED)
def test_a_role_not_allowed_raw_values_cannot_register_reveal(
    twin: tuple[Any, Any, Path, Path], spark: Any, columns: list[str], role: str, purpose: str
) -> None:
    _, _, _, spark_out = twin
    governor = Governor(GovkitSettings())
    spark.sql(f"DROP TEMPORARY FUNCTION IF EXISTS {REVEAL}")
    grant = Reveal(Path(str(spark_out) + ".manifest.json"), columns, role, purpose)
    with pytest.raises(AccessDeniedError, match="may not reveal"):
        register(spark, governor=governor, functions=[], reveal=grant)
    assert not spark.catalog.functionExists(REVEAL)
    outcomes = [r.event for r in query_log(governor.settings, AuditQuery(action="reveal"))]
    assert outcomes[-1]["outcome"] == "denied" and outcomes[-1]["role"] == role
    assert query_log(governor.settings, AuditQuery(action="spark.register")) == []


@pytest.mark.slow
def test_the_cli_door_same_table_same_errors(
    tmp_path: Path, env: dict[str, str], ring: Any, catalog_file: Path
) -> None:
    same_on_both_engines(
        ["protect", str(CUSTOMERS), "--catalog", str(catalog_file)],
        ["--role", "marketing", "--purpose", "marketing"],
        ["--role", "marketing", "--purpose", "analytics"],
        tmp_path,
    )


def _on_both(
    folder: Path, suffix: str, spark: Any, catalog: Path, **options: Any
) -> dict[str, Path]:
    """The sample customers protected with ``options`` by each engine: engine → output."""
    governor = Governor(GovkitSettings())
    outs = {"local": folder / f"l{suffix}", "spark": folder / f"s{suffix}"}
    for name, out in outs.items():
        engine = SparkEngine(spark) if name == "spark" else None
        protect(
            str(CUSTOMERS), str(out), governor=governor, catalog=catalog, engine=engine, **options
        )
    return outs


@pytest.mark.parametrize(
    ("role", "purpose", "private"),
    [
        ("data_steward", "data_quality", True),  # raw names and phones: owner-only
        ("analyst", "analytics", False),  # tokens and masks only
    ],
)
def test_an_output_keeping_raw_values_is_owner_only_on_both_engines(
    tmp_path: Path,
    env: dict[str, str],
    ring: Any,
    catalog_file: Path,
    spark: Any,
    role: str,
    purpose: str,
    private: bool,
) -> None:
    outs = _on_both(tmp_path, ".parquet", spark, catalog_file, role=role, purpose=purpose)
    assert sorted_rows(read_output(outs["local"])) == sorted_rows(read_output(outs["spark"]))
    owner_only = {
        "local": modes(outs["local"]) == {("file", 0o600)},
        "spark": modes(outs["spark"]) == {("dir", 0o700), ("file", 0o600)},
    }
    assert owner_only == {"local": private, "spark": private}


def _gb18030_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file or directory of part files, decoded as GB18030."""
    import csv

    header: list[str] = []
    rows: list[list[str]] = []
    for part in sorted(path.glob("part-*")) if path.is_dir() else [path]:
        data = part.read_bytes()
        with pytest.raises(UnicodeDecodeError):  # not UTF-8: the Chinese text is GB18030
            data.decode("utf-8")
        found = list(csv.reader(data.decode("gb18030").splitlines(keepends=True)))
        header, rows = found[0], rows + found[1:]
    return header, sorted(rows)


def test_a_gb18030_csv_from_spark_decodes_to_the_local_engines_rows(
    tmp_path: Path, env: dict[str, str], ring: Any, catalog_file: Path, spark: Any
) -> None:
    outs = _on_both(
        tmp_path, ".csv", spark, catalog_file, role="marketing", purpose="marketing",
        output_encoding="gb18030",
    )  # fmt: skip
    local, remote = _gb18030_rows(outs["local"]), _gb18030_rows(outs["spark"])
    assert local[0] == remote[0] and len(local[1]) == 317
    assert local[1] == remote[1]
    assert any("省" in cell or "市" in cell for row in remote[1] for cell in row)


@pytest.mark.parametrize(
    ("encoding", "says"),
    [
        ("utf-8-sig", "in encoding utf-8 or gb18030, not utf-8-sig .*no byte order mark"),
        ("UTF8-SIG", "in encoding utf-8 or gb18030, not utf-8-sig"),
        ("latin-1", "unknown output encoding 'latin-1'"),
    ],
)
def test_spark_refuses_csv_encodings_it_cannot_write_honestly(
    tmp_path: Path,
    env: dict[str, str],
    ring: Any,
    catalog_file: Path,
    spark: Any,
    encoding: str,
    says: str,
) -> None:
    out = tmp_path / "s.csv"
    with pytest.raises(UsageError, match=says) as err:
        protect(
            str(CUSTOMERS),
            str(out),
            governor=Governor(GovkitSettings()),
            catalog=catalog_file,
            output_encoding=encoding,
            engine=SparkEngine(spark),
        )
    assert "\n" not in str(err.value) and not out.exists()
    assert not (tmp_path / "audit.db").exists()  # refused before any decision was recorded
