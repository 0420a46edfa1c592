"""The Spark engine (local[2]) publishes what the local engine publishes, on the sample data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from govkit.pipeline.run import execute_pipeline
from govkit.protect.keys import open_keyring
from govkit.protect.registry import build
from govkit.spark.engine import SparkEngine
from tests.spark._compare import (
    audit_sequence,
    published_outputs,
    read_output,
    sorted_rows,
    twin_projects,
)

pytestmark = pytest.mark.xdist_group("spark")


def _runs(tmp_path: Path, spark: Any, **kw: Any) -> tuple[Path, Path, Any, Any]:
    local, remote = twin_projects(tmp_path, **kw)
    report_l, error_l = execute_pipeline(local)
    report_s, error_s = execute_pipeline(remote, engine=SparkEngine(spark))
    assert error_l is None and error_s is None, (error_l, error_s)
    return local, remote, report_l, report_s


@pytest.fixture(scope="module")
def sample_runs(tmp_path_factory: pytest.TempPathFactory, spark: Any) -> tuple[Any, ...]:
    return _runs(tmp_path_factory.mktemp("eq"), spark)


def test_same_rows_and_values_in_every_output(sample_runs: tuple[Any, ...]) -> None:
    local, remote, _, _ = sample_runs
    outputs_l, outputs_s = published_outputs(local), published_outputs(remote)
    assert len(outputs_l) == 6
    for name, path in outputs_l.items():
        spark_path = outputs_s[name]
        assert spark_path.is_dir() and not path.is_dir(), name  # part files vs one file
        a, b = read_output(path), read_output(spark_path)
        assert a.schema.names == b.schema.names, name
        assert a.num_rows == b.num_rows > 0, name
        assert sorted_rows(a) == sorted_rows(b), name


def test_same_report_counts_catalog_and_quality(sample_runs: tuple[Any, ...]) -> None:
    _, _, report_l, report_s = sample_runs
    assert report_l.engine == {"engine": "local"}
    assert report_s.engine["engine"] == "spark" and report_s.engine["spark_master"] == "local[2]"
    counts = [(o.name, o.rows_in, o.rows_out, o.rows_filtered) for o in report_l.outputs]
    assert counts == [(o.name, o.rows_in, o.rows_out, o.rows_filtered) for o in report_s.outputs]
    assert any(o.rows_filtered for o in report_l.outputs)  # a row filter took part
    for ds_l, ds_s in zip(report_l.datasets, report_s.datasets, strict=True):
        assert ds_l.columns == ds_s.columns and ds_l.detections == ds_s.detections
        assert ds_l.fingerprint == ds_s.fingerprint and ds_l.rows == ds_s.rows

        def quality(q: Any) -> list[tuple[Any, ...]]:
            return [(r.rule_id, r.success, r.unexpected_count) for r in q.results]

        assert ds_l.quality is not None and ds_s.quality is not None
        assert quality(ds_l.quality) == quality(ds_s.quality)


def test_same_audit_event_sequence(sample_runs: tuple[Any, ...]) -> None:
    local, remote, _, _ = sample_runs
    events_l, events_s = audit_sequence(local), audit_sequence(remote)
    assert [e["action"] for e in events_l].count("protect") == 6
    assert events_l == events_s
    from govkit.audit.api import query_log
    from govkit.audit.query import AuditQuery
    from govkit.pipeline.context import pipeline_governor
    from govkit.pipeline.model import load_pipeline

    settings = pipeline_governor(load_pipeline(remote), None).settings
    start = query_log(settings, AuditQuery(action="run.start"))[-1].event["details"]
    assert start["engine"] == "spark" and start["spark_master"] == "local[2]"
    assert str(start["spark_app_id"]).startswith("local-")


def _reveal(table: pa.Table, columns: list[str], keys: Any) -> pa.Table:
    for name in columns:
        transform = build("encrypt", {}, column=name, entity=None, keys=keys)
        clear = transform.reveal(table.column(name).combine_chunks(), keys)
        table = table.set_column(table.schema.get_field_index(name), name, clear)
    return table


def test_aes_gcm_values_decrypt_to_the_same_originals(tmp_path: Path, spark: Any) -> None:
    local, remote, report_l, _ = _runs(tmp_path, spark, encrypt=True)
    from govkit.pipeline.context import pipeline_governor
    from govkit.pipeline.model import load_pipeline

    keys = open_keyring(pipeline_governor(load_pipeline(local), None).settings)
    checked = 0
    for out in report_l.outputs:
        encrypted = [c.column for c in out.columns if c.transform == "encrypt"]
        if not encrypted:
            continue
        a = read_output(published_outputs(local)[out.name])
        b = read_output(published_outputs(remote)[out.name])
        assert sorted_rows(a) != sorted_rows(b)  # fresh nonces: the ciphertexts differ
        assert sorted_rows(_reveal(a, encrypted, keys)) == sorted_rows(_reveal(b, encrypted, keys))
        checked += 1
    assert checked >= 2
