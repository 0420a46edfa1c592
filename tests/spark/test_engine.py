"""SparkEngine against LocalEngine(workers=1): same batches, same counts, same profiles."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from govkit.datasets import open_dataset
from govkit.engines.base import ProfileColumn, ProfileTask
from govkit.engines.local import LocalEngine
from govkit.errors import DatasetError, KeyMaterialError, ProtectionError
from govkit.policy.catalogs import read_catalog
from govkit.policy.views import Condition, RowFilter
from govkit.protect.keys import LocalKeyring
from govkit.protect.plan import load_protection_rules, plan_protection
from govkit.protect.task import bind
from govkit.spark.engine import SparkEngine
from tests.protect.conftest import CATALOG, CUSTOMERS, POLICIES, ROOT
from tests.spark._compare import sorted_rows

pytestmark = pytest.mark.xdist_group("spark")

FILTERS: list[tuple[str, RowFilter | None, int]] = [
    ("all rows", None, 500),
    (
        "consented",
        RowFilter(all_of=[Condition(column="consent_marketing", op="==", value=True)]),
        317,
    ),
    (
        "any of two regions or null gender",
        RowFilter(
            any_of=[
                [Condition(column="region", op="in", value=["广东", "浙江"])],
                [Condition(column="gender", op="is_null")],
            ]
        ),
        -1,
    ),
    (
        "not in, and not null",
        RowFilter(
            all_of=[
                Condition(column="region", op="not_in", value=["广东"]),
                Condition(column="created_at", op=">=", value="2023-01-01"),
            ]
        ),
        -1,
    ),
    ("nothing passes", RowFilter(all_of=[Condition(column="gender", op="==", value="nobody")]), 0),
]


@pytest.fixture(scope="module")
def ring(tmp_path_factory: pytest.TempPathFactory) -> LocalKeyring:
    import os

    return LocalKeyring.create(tmp_path_factory.mktemp("keys") / "keyring.json", os.urandom(32))


def _task(ring: LocalKeyring, row_filter: RowFilter | None) -> tuple[Any, list[Any], Any]:
    source = open_dataset(str(CUSTOMERS))
    with tempfile.TemporaryDirectory() as tmp:
        catalog_file = Path(tmp) / "catalog.yaml"
        catalog_file.write_text(CATALOG, encoding="utf-8")
        catalog = read_catalog(catalog_file).datasets["customers"]
    plan = plan_protection(catalog, load_protection_rules(POLICIES), None)
    plan = plan.model_copy(update={"row_filter": row_filter})
    task, keys = bind(plan, source.schema, ring)
    return task, keys, source


def _collect(execution: Any, schema: pa.Schema) -> pa.Table:
    return pa.Table.from_batches(list(execution.batches), schema)


@pytest.mark.parametrize(("why", "row_filter", "expected"), FILTERS, ids=[f[0] for f in FILTERS])
def test_protect_gives_the_local_engines_rows_and_counts(
    spark: Any, ring: LocalKeyring, why: str, row_filter: RowFilter | None, expected: int
) -> None:
    task, keys, source = _task(ring, row_filter)
    local = LocalEngine(workers=1).protect(task, source, keys)
    local_table = _collect(local, task.output_schema)
    remote = SparkEngine(spark).protect(task, source, keys)
    remote_table = _collect(remote, task.output_schema)
    if expected >= 0:
        assert local_table.num_rows == expected
    else:
        assert 0 < local_table.num_rows < 500
    encrypted = [c.column for c in task.plan.columns if c.transform == "encrypt"]
    assert encrypted == ["ethnicity"]  # non-deterministic: compared by count only
    kept = [n for n in task.output_schema.names if n not in encrypted]
    assert remote_table.schema == local_table.schema
    assert sorted_rows(remote_table.select(kept)) == sorted_rows(local_table.select(kept))
    assert remote.counts == local.counts
    assert remote.counts.values["phone"] > 0 or expected == 0


def test_a_key_not_handed_fails_on_the_driver(spark: Any, ring: LocalKeyring) -> None:
    task, keys, source = _task(ring, None)
    with pytest.raises(KeyMaterialError):
        SparkEngine(spark).protect(task, source, keys[:-1])


def test_a_row_filter_on_a_missing_column_fails_closed(spark: Any, ring: LocalKeyring) -> None:
    missing = RowFilter(all_of=[Condition(column="no_such_column", op="==", value=1)])
    task, keys, source = _task(ring, missing)
    with pytest.raises(ProtectionError, match="no_such_column"):
        SparkEngine(spark).protect(task, source, keys)


PROFILES = [
    (
        "customers.csv",
        {
            "phone": ProfileColumn(entities=("PHONE_NUMBER",)),
            "id_number": ProfileColumn(entities=("CN_RESIDENT_ID",)),
        },
        "phone",
    ),
    ("feedback.csv", {"comment": ProfileColumn(entities=(), free_text=True)}, "comment"),
]


@pytest.mark.parametrize(("file", "columns", "found"), PROFILES, ids=[p[0] for p in PROFILES])
def test_profile_gives_the_local_engines_profiles(
    spark: Any, file: str, columns: dict[str, ProfileColumn], found: str
) -> None:
    source = open_dataset(str(ROOT / "examples" / "data" / file))
    task = ProfileTask(columns=columns)
    local = LocalEngine(workers=1).profile(task, source)
    remote = SparkEngine(spark).profile(task, source)
    assert set(remote) == set(columns)
    for name in columns:
        a, b = local[name], remote[name]
        assert (a.values, a.rows, a.shape, a.valid, a.spans, a.span_rows, a.text_rows) == (
            b.values,
            b.rows,
            b.shape,
            b.valid,
            b.spans,
            b.span_rows,
            b.text_rows,
        ), name
    hits = local[found].spans if columns[found].free_text else local[found].valid
    assert sum(hits.values()) > 0  # the matchers found something to compare


def test_a_missing_source_is_one_error_line(spark: Any, tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        SparkEngine(spark).open(str(tmp_path / "nope.csv"))


@pytest.mark.parametrize("suite", ["customers", "feedback"])
def test_validate_gives_the_local_engines_results_across_partitions(spark: Any, suite: str) -> None:
    from govkit.quality.validate import validate_dataset
    from govkit.spark.frames import read_source
    from govkit.spark.validate import validate_frame

    path = ROOT / "examples" / "data" / f"{suite}.csv"
    suite_file = ROOT / "expectations" / f"{suite}.json"
    local = validate_dataset(open_dataset(str(path)), suite_file)
    data = read_source(spark, str(path))
    data.frame = data.frame.repartition(3)  # duplicates must be found across partitions
    remote = validate_frame(data, suite_file)

    def row(r: Any) -> tuple[Any, ...]:
        return (r.rule_id, r.success, r.unexpected_count, r.element_count, r.missing_count)

    assert [row(r) for r in remote.results] == [row(r) for r in local.results]
    assert any(not r.success for r in local.results)  # failures are compared, not only passes
    assert {r.engine for r in remote.results if r.unexpected_count is not None} == {"spark"}
