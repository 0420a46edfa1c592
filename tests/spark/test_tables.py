"""``spark-table:db.table`` sources and outputs: staged as a table, renamed after the audit."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from govkit.pipeline.run import execute_pipeline
from govkit.spark.engine import SparkEngine
from govkit.spark.frames import read_source
from tests.pipeline._project import make_project, output

pytestmark = pytest.mark.xdist_group("spark")


def test_a_table_source_is_published_to_a_table(tmp_path: Path, spark: Any) -> None:
    suffix = uuid.uuid4().hex[:8]
    source, target = f"default.crm_{suffix}", f"default.crm_out_{suffix}"
    tickets = Path(__file__).resolve().parents[2] / "examples" / "data" / "tickets.csv"
    read_source(spark, str(tickets)).frame.write.saveAsTable(source)
    pipeline = make_project(
        tmp_path / "p",
        sources={"tickets": {"uri": f"spark-table:{source}"}},
        outputs=[output("t", "tickets", "analyst", "analytics", f"spark-table:{target}")],
    )
    report, error = execute_pipeline(pipeline, engine=SparkEngine(spark))
    assert error is None, error
    assert report.outputs[0].published and report.outputs[0].rows_out == 300
    assert spark.table(target).count() == 300
    leftovers = [t.name for t in spark.catalog.listTables("default") if "_govkit_" in t.name]
    assert leftovers == []
    again, error = execute_pipeline(pipeline, engine=SparkEngine(spark))  # replaces the table
    assert error is None and spark.table(target).count() == 300
