"""Database sources and outputs through Spark's JDBC source, on the real PostgreSQL and MariaDB.

One pipeline file names the tables the way the local engine does (SQLAlchemy URL +
``table``); both engines must publish the same rows and values, and a failed run must
leave neither the target table nor a staging table behind.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from govkit.datasets import open_dataset, write_dataset
from govkit.datasets.sql import create_engine
from govkit.datasets.staging import stage_tag
from govkit.errors import DatasetError, UsageError
from govkit.pipeline.run import execute_pipeline
from govkit.spark.engine import SparkEngine
from govkit.spark.jdbc import JARS, jdbc_target
from tests.pipeline._project import edit, output
from tests.protect.conftest import env, master_key, ring
from tests.spark._compare import read_output, sorted_rows, twin_projects

__all__ = ["env", "master_key", "ring"]  # the protect tests' fixtures

pytestmark = pytest.mark.xdist_group("spark")

ROOT = Path(__file__).resolve().parents[2]
CUSTOMERS = ROOT / "examples" / "data" / "customers.csv"
MARKER = "Wq9Leak寇"
WARN = ["CUST-006", "CUST-007", "CUST-008", "CUST-010", "CUST-018"]


@pytest.mark.parametrize(
    ("url", "jdbc", "options"),
    [
        (
            "postgresql+psycopg://postgres@127.0.0.1:5432/test",
            "jdbc:postgresql://127.0.0.1:5432/test",
            {"driver": "org.postgresql.Driver", "user": "postgres"},
        ),
        (
            "postgresql://u:s3cr%40t@db.example/warehouse",
            "jdbc:postgresql://db.example:5432/warehouse",
            {"driver": "org.postgresql.Driver", "user": "u", "password": "s3cr@t"},
        ),
        (
            "mysql+pymysql://root@127.0.0.1:3306/test",
            "jdbc:mysql://127.0.0.1:3306/test?permitMysqlScheme",
            {"driver": "org.mariadb.jdbc.Driver", "user": "root"},
        ),
        (
            "mariadb://root@localhost/test",
            "jdbc:mysql://localhost:3306/test?permitMysqlScheme",
            {"driver": "org.mariadb.jdbc.Driver", "user": "root"},
        ),
    ],
)
def test_sqlalchemy_urls_become_jdbc_urls_without_credentials(
    url: str, jdbc: str, options: dict[str, str]
) -> None:
    target = jdbc_target(url)
    assert (target.url, target.options) == (jdbc, options)
    assert "s3cr" not in target.url + target.shown


@pytest.mark.parametrize("url", ["sqlite:///x.db", "mssql+pyodbc://u@h/db"])
def test_databases_without_a_jdbc_driver_here_are_usage_errors(url: str) -> None:
    with pytest.raises(UsageError, match="PostgreSQL, MySQL and MariaDB"):
        jdbc_target(url)


def test_the_debian_driver_jars_are_installed_and_on_the_session(spark: Any) -> None:
    assert all(p.is_file() for p in JARS.values()), "run tests/ensure_packages.sh"
    jars = spark.sparkContext.getConf().get("spark.jars", "")
    assert all(str(p) in jars for p in JARS.values())


def _load(url: str, table: str) -> None:
    source = open_dataset(str(CUSTOMERS))
    write_dataset(source.batches(), source.schema, url, table=table)


def _table(url: str, table: str) -> Any:
    return open_dataset(url, table=table).read_all()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _drop(url: str, tables: list[str]) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for name in tables:
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
    finally:
        engine.dispose()


def _project(tmp_path: Path, url: str, source: str, target: str) -> tuple[Path, Path]:
    local, remote = twin_projects(
        tmp_path,
        sources={"customers": {"uri": url, "table": source, "suite": "customers", "warn": WARN}},
        outputs=[
            output("customers_analytics", "customers", "analyst", "analytics", url, table=target),
            output(
                "customers_marketing",
                "customers",
                "marketing",
                "marketing",
                "out/marketing/customers.csv",
            ),
        ],
    )

    def spark_table(data: dict[str, Any]) -> None:
        data["outputs"][0]["table"] = target + "_s"

    edit(remote, spark_table)
    return local, remote


@pytest.fixture(params=["postgres", "mysql"])
def database(request: pytest.FixtureRequest) -> str:
    return str(
        request.getfixturevalue("postgres_url" if request.param == "postgres" else "mysql_url")
    )


def test_both_engines_publish_the_same_rows_from_and_to_a_database(
    tmp_path: Path, spark: Any, database: str, unique_table: Any
) -> None:
    source, target = unique_table("src"), unique_table("out")
    _load(database, source)
    try:
        local, remote = _project(tmp_path, database, source, target)
        report_l, error_l = execute_pipeline(local)
        report_s, error_s = execute_pipeline(remote, engine=SparkEngine(spark))
        assert error_l is None and error_s is None, (error_l, error_s)
        a, b = _table(database, target), _table(database, target + "_s")
        assert a.schema.names == b.schema.names
        assert a.num_rows == b.num_rows == report_l.outputs[0].rows_out
        assert (report_l.outputs[0].rows_filtered or 0) > 0  # the consent filter took part
        assert sorted_rows(a) == sorted_rows(b)
        # the CSV output read from the same database table is the same too
        marketing = "out/marketing/customers.csv"
        csv_l = read_output(local.parent / marketing)
        csv_s = read_output(remote.parent / marketing)
        assert csv_l.num_rows == csv_s.num_rows == 317
        assert sorted_rows(csv_l) == sorted_rows(csv_s)

        def quality(report: Any) -> list[tuple[Any, ...]]:
            q = report.datasets[0].quality
            return [(r.rule_id, r.success, r.unexpected_count) for r in q.results]

        assert quality(report_l) == quality(report_s) and quality(report_l)
        assert report_s.datasets[0].uri == report_l.datasets[0].uri  # URL without password
        assert report_s.datasets[0].columns == report_l.datasets[0].columns
        leftovers = {t for t in _tables(database) if f"p{os.getpid()}t" in t}
        assert leftovers == set()
    finally:
        _drop(database, [source, target, target + "_s"])


def test_a_failed_run_leaves_no_table_and_no_staging_table(
    tmp_path: Path, spark: Any, database: str, unique_table: Any
) -> None:
    import yaml

    source, target = unique_table("src"), unique_table("out")
    _load(database, source)
    try:
        _, remote = _project(tmp_path, database, source, target)
        rules = remote.parent / "policies" / "protection.yaml"
        data = yaml.safe_load(rules.read_text(encoding="utf-8"))
        data["views"]["masked"] = "fpe"
        rules.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        engine = create_engine(database)
        with engine.begin() as conn:  # FF1 needs 6 digits: the marketing output fails on it
            conn.execute(
                sa.text(
                    f"UPDATE {source} SET phone = :v, consent_marketing = 'true' "
                    "WHERE customer_id = 'C0000001'"
                ),
                {"v": MARKER},
            )
        engine.dispose()
        before = _tables(database)
        report, error = execute_pipeline(remote, engine=SparkEngine(spark))
        assert error is not None and "output customers_marketing" in str(error)
        assert "FF1" in str(error) and MARKER not in str(error)
        assert (report.outputs[0].rows_out or 0) > 0  # the database output was staged first
        assert target + "_s" not in _tables(database)
        mine = {t for t in _tables(database) - before if f"p{os.getpid()}t" in t}
        assert mine == set(), mine
        assert stage_tag().startswith("gk")  # the pid is in every staging name
    finally:
        _drop(database, [source, target + "_s"])


def test_a_missing_table_is_one_line_naming_the_url_not_a_java_stack(
    spark: Any, postgres_url: str
) -> None:
    engine = SparkEngine(spark)
    with pytest.raises(DatasetError, match=r"reading gk_no_such_table failed over JDBC") as err:
        engine.open(postgres_url, table="gk_no_such_table")
    assert "\n" not in str(err.value) and "org.postgresql" not in str(err.value)


def test_the_password_stays_out_of_the_query_plan(spark: Any, unique_table: Any) -> None:
    url = "postgresql+psycopg://postgres:Pw9Plan寇x@127.0.0.1:5432/test"  # trust: any password
    table = unique_table("pw")
    _load(url, table)
    try:
        frame = SparkEngine(spark).open(url, table=table).frame
        plan = frame._jdf.queryExecution().toString()
        assert table in plan and "Pw9Plan" not in plan
        assert frame.count() == 500
    finally:
        _drop(url, [table])


def test_protect_reads_a_query_the_same_on_both_engines(
    tmp_path: Path,
    spark: Any,
    database: str,
    unique_table: Any,
    env: dict[str, str],
    ring: Any,
) -> None:
    from govkit.governor import Governor
    from govkit.pipeline.api import protect
    from govkit.settings import GovkitSettings

    source = unique_table("q")
    _load(database, source)
    query = (
        "SELECT customer_id, name, phone, id_number, bank_card, region "
        f"FROM {source} WHERE consent_marketing = 'true'"
    )
    try:
        governor = Governor(GovkitSettings())
        made = {}
        for name, engine in (("local", None), ("spark", SparkEngine(spark))):
            made[name] = protect(
                database,
                str(tmp_path / f"{name}.parquet"),
                governor=governor,
                query=query,
                engine=engine,
            ).manifest
        a, b = read_output(tmp_path / "local.parquet"), read_output(tmp_path / "spark.parquet")
        random = [c.column for c in made["local"].columns if c.transform == "encrypt"]
        assert a.column_names == b.column_names
        assert a.num_rows == b.num_rows == made["spark"].rows_out
        assert 0 < a.num_rows < 500  # the query's WHERE took part
        assert sorted_rows(a.drop_columns(random)) == sorted_rows(b.drop_columns(random))
        assert made["local"].dataset == made["spark"].dataset == "query"
        keep = ("column", "transform", "key_id", "values", "nulls")
        assert [c.model_dump(include=set(keep)) for c in made["local"].columns] == [
            c.model_dump(include=set(keep)) for c in made["spark"].columns
        ]
    finally:
        _drop(database, [source])
