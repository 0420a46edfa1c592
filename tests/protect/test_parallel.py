"""The process pool gives the same batches, in order, and the same counts as one process."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from govkit.catalog import CatalogColumn, DatasetCatalog
from govkit.errors import ProtectionError
from govkit.protect.apply import Protector
from govkit.protect.keys import LocalKeyring
from govkit.protect.plan import ProtectionPlan, Rule, load_protection_rules, plan_protection

from .conftest import POLICIES, ROOT

TICKETS = ROOT / "examples" / "data" / "tickets.csv"


def _tickets() -> pa.Table:
    names = TICKETS.read_text(encoding="utf-8").splitlines()[0].replace('"', "").split(",")
    options = pacsv.ConvertOptions(column_types={n: pa.string() for n in names})
    return pacsv.read_csv(TICKETS, convert_options=options)


def _plan(table: pa.Table, complaint: CatalogColumn) -> ProtectionPlan:
    columns = {n: CatalogColumn() for n in table.column_names}
    columns["complaint"] = complaint
    columns["customer_id"] = CatalogColumn(entity="CUSTOMER", sensitivity="high")
    catalog = DatasetCatalog(columns=columns)
    return plan_protection(catalog, load_protection_rules(POLICIES), None)


def test_pool_matches_one_process(ring: LocalKeyring) -> None:
    table = _tickets()
    plan = _plan(table, CatalogColumn(kind="free_text", sensitivity="medium"))
    batches = table.to_batches(max_chunksize=97)
    schema = plan.output_schema(table.schema)
    one, pool = Protector(plan, ring), Protector(plan, ring)
    expected = list(one.batches(batches, schema))
    got = list(pool.batches(batches, schema, workers=2))
    assert pa.Table.from_batches(got).equals(pa.Table.from_batches(expected))
    assert [c.model_dump() for c in pool.manifest_columns()] == [
        c.model_dump() for c in one.manifest_columns()
    ]
    assert one.manifest_columns()[
        [c.column for c in one.manifest_columns()].index("complaint")
    ].spans


def test_worker_errors_reach_the_parent(ring: LocalKeyring) -> None:
    table = pa.table({"code": ["12345", "99999"], "n": ["1", "2"]})
    catalog = DatasetCatalog(
        columns={"code": CatalogColumn(sensitivity="high"), "n": CatalogColumn()}
    )
    rules = load_protection_rules(POLICIES).model_copy(
        update={"columns": {"code": Rule(transform="fpe")}}
    )
    plan = plan_protection(catalog, rules, None)
    protector = Protector(plan, ring)
    with pytest.raises(ProtectionError, match="column 'code': 1 values do not fit FF1"):
        list(
            protector.batches(
                table.to_batches(max_chunksize=1), plan.output_schema(table.schema), workers=2
            )
        )
