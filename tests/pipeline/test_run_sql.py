"""`govkit run` end to end on database tables (SQLite, PostgreSQL, MariaDB)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from govkit.datasets import open_dataset, write_dataset
from govkit.errors import AccessDeniedError, DatasetError, GovkitError
from govkit.pipeline.run import run_pipeline
from tests.pipeline._project import make_project, output

DOWN_DB = "postgresql+psycopg://postgres@127.0.0.1:1/none"


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _load(url: str, csv: Path, table: str) -> None:
    data = open_dataset(str(csv))
    write_dataset(data.batches(), data.schema, url, table=table)


@pytest.fixture
def project(
    tmp_path: Path, db_url: str, unique_table: Callable[[str], str]
) -> tuple[Path, str, dict[str, str]]:
    """Customers and tickets in tables of ``db_url``; outputs to tables and one file."""
    root = tmp_path / "p"
    names = {
        k: unique_table(k) for k in ("customers", "tickets", "analytics", "marketing", "service")
    }
    pipeline = make_project(
        root,
        sources={
            "customers": {"uri": db_url, "table": names["customers"]},
            "tickets": {"uri": db_url, "table": names["tickets"]},
        },
        outputs=[
            output(
                "customers_analytics",
                "customers",
                "analyst",
                "analytics",
                db_url,
                table=names["analytics"],
            ),
            output(
                "customers_marketing",
                "customers",
                "marketing",
                "marketing",
                db_url,
                table=names["marketing"],
            ),
            output(
                "tickets_service",
                "tickets",
                "customer_service",
                "customer_service",
                db_url,
                table=names["service"],
            ),
            output("customers_file", "customers", "analyst", "analytics", "out/customers.parquet"),
        ],
    )
    for source in ("customers", "tickets"):
        _load(db_url, root / "data" / f"{source}.csv", names[source])
    return pipeline, db_url, names


def test_tables_in_tables_out(project: tuple[Path, str, dict[str, str]]) -> None:
    pipeline, url, names = project
    report = run_pipeline(pipeline)
    assert report.status == "published"
    assert {names["analytics"], names["marketing"], names["service"]} <= _tables(url)
    marketing = open_dataset(url, table=names["marketing"])
    assert "id_number" not in marketing.schema.names
    out = report.outputs[1]
    assert marketing.count_rows() == out.rows_out == 500 - (out.rows_filtered or 0)
    file_rows = open_dataset(str(pipeline.parent / "out" / "customers.parquet")).read_all()
    table_rows = open_dataset(url, table=names["analytics"]).read_all()
    assert sorted(file_rows.column("customer_id").to_pylist()) == sorted(
        table_rows.column("customer_id").to_pylist()
    )
    again = run_pipeline(pipeline)  # outputs are replaced, not duplicated
    assert open_dataset(url, table=names["marketing"]).count_rows() == again.outputs[1].rows_out


def _deny(data: dict[str, Any]) -> None:
    data["outputs"].append(
        output("tickets_marketing", "tickets", "marketing", "marketing", "out/t.csv")
    )


def _unwritable(data: dict[str, Any]) -> None:
    data["outputs"].append(output("last", "tickets", "analyst", "analytics", DOWN_DB, table="t"))


@pytest.mark.parametrize(
    ("change", "error"),
    [(_deny, AccessDeniedError), (_unwritable, DatasetError)],
    ids=["denied", "last-output-unwritable"],
)
def test_failure_leaves_no_table(
    project: tuple[Path, str, dict[str, str]],
    change: Callable[[dict[str, Any]], None],
    error: type[GovkitError],
) -> None:
    import yaml

    pipeline, url, names = project
    data = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    change(data)
    pipeline.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(error):
        run_pipeline(pipeline)
    assert not {names["analytics"], names["marketing"], names["service"]} & _tables(url)
    assert not (pipeline.parent / "out").exists()
