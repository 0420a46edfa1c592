"""The engine seam: every engine runs the same plan through the same batch functions.

``PartitionEngine`` is a second, deliberately different engine (it re-chunks the
data into partitions, runs ``protect_partition`` / ``profile_batch`` per partition
and adds the counts up on the "driver", as a Spark engine does with mapInArrow).
It must give the same batches and counts as the local engine, in-process and pooled.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from govkit.catalog import CatalogColumn, DatasetCatalog
from govkit.datasets import Dataset, open_dataset
from govkit.detect.columns import ColumnProfile
from govkit.detect.profiling import detector_for, profile_batch
from govkit.detect.scan import scan_dataset
from govkit.engines import Engine, LocalEngine, ProfileTask, ProtectTask, parse_workers
from govkit.errors import ProtectionError, UsageError
from govkit.protect._io import TableDataset
from govkit.protect.apply import Counts
from govkit.protect.keys import DataKey, LocalKeyring
from govkit.protect.plan import Rule, load_protection_rules, plan_protection
from govkit.protect.task import bind, protect_partition, protector_for

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"
TICKETS = ROOT / "examples" / "data" / "tickets.csv"
CUSTOMERS = ROOT / "examples" / "data" / "customers.csv"


class _Partitioned:
    def __init__(self, batches: list[pa.RecordBatch], counts: Counts) -> None:
        self._batches, self._counts = batches, counts

    @property
    def batches(self) -> Iterator[pa.RecordBatch]:
        return iter(self._batches)

    @property
    def counts(self) -> Counts:
        return self._counts


class PartitionEngine:
    """A toy 'cluster': the data cut into partitions of ``rows``, each protected on its own."""

    name = "partitions"

    def __init__(self, rows: int = 61) -> None:
        self.rows = rows

    def _partitions(self, source: Dataset) -> list[list[pa.RecordBatch]]:
        table = pa.Table.from_batches(list(source.batches()), source.schema)
        chunks = table.to_batches(max_chunksize=self.rows)
        return [chunks[i : i + 2] for i in range(0, len(chunks), 2)]

    def protect(self, task: ProtectTask, source: Dataset, keys: Sequence[DataKey]) -> _Partitioned:
        out: list[pa.RecordBatch] = []
        driver = protector_for(task, keys)
        for part in self._partitions(source):
            worker = protector_for(task, keys)  # one per partition, as on an executor
            out += [worker.protect(b, task.output_schema) for b in part]
            driver.add(worker.counts())
        return _Partitioned(out, driver.counts())

    def profile(self, task: ProfileTask, source: Dataset) -> dict[str, ColumnProfile]:
        merged = {n: ColumnProfile() for n in task.columns}
        for part in self._partitions(source):
            detector = detector_for(task)
            for batch in part:
                for name, prof in profile_batch(task, batch, detector).items():
                    merged[name].merge(prof)
        return merged


def _tickets() -> pa.Table:
    names = TICKETS.read_text(encoding="utf-8").splitlines()[0].replace('"', "").split(",")
    options = pacsv.ConvertOptions(column_types={n: pa.string() for n in names})
    return pacsv.read_csv(TICKETS, convert_options=options)


def _task(table: pa.Table, ring: LocalKeyring) -> tuple[ProtectTask, list[DataKey]]:
    columns = {n: CatalogColumn() for n in table.column_names}
    columns["complaint"] = CatalogColumn(kind="free_text", sensitivity="medium")
    columns["customer_id"] = CatalogColumn(entity="CUSTOMER", sensitivity="high")
    plan = plan_protection(DatasetCatalog(columns=columns), load_protection_rules(POLICIES), None)
    return bind(plan, table.schema, ring)


def _run(
    engine: Engine, task: ProtectTask, keys: list[DataKey], source: Dataset
) -> tuple[pa.Table, Counts]:
    running = engine.protect(task, source, keys)
    table = pa.Table.from_batches(list(running.batches), task.output_schema)
    return table, running.counts


@pytest.fixture
def ring(tmp_path: Path) -> LocalKeyring:
    import os

    return LocalKeyring.create(tmp_path / "keyring.json", os.urandom(32))


def test_engines_satisfy_the_protocol() -> None:
    assert isinstance(LocalEngine(1), Engine)
    assert isinstance(PartitionEngine(), Engine)


@pytest.mark.parametrize(
    "engine",
    [LocalEngine(2), LocalEngine(3), PartitionEngine(61), PartitionEngine(1000)],
    ids=["local-2-workers", "local-3-workers", "partitions-61", "partitions-1000"],
)
def test_every_engine_gives_what_one_local_worker_gives(ring: LocalKeyring, engine: Engine) -> None:
    table = _tickets()
    task, keys = _task(table, ring)
    assert set(task.key_ids) == {"customer_id"} and task.key_ids["customer_id"] == keys[0].id
    source = TableDataset(table)
    expected, expected_counts = _run(LocalEngine(1), task, keys, source)
    got, counts = _run(engine, task, keys, source)
    assert got.equals(expected)
    assert got.column("customer_id").to_pylist() != table.column("customer_id").to_pylist()
    assert counts == expected_counts
    assert counts.rows_in == counts.rows_out == table.num_rows == 300
    assert counts.spans["complaint"] > 0  # the free-text column's spans came back too


def test_protect_partition_is_the_batch_function(ring: LocalKeyring) -> None:
    table = _tickets()
    task, keys = _task(table, ring)
    expected, _ = _run(LocalEngine(1), task, keys, TableDataset(table))
    got = pa.Table.from_batches(
        list(protect_partition(task, keys, table.to_batches(max_chunksize=7))), task.output_schema
    )
    assert got.equals(expected)


def test_a_task_without_its_keys_fails_closed(ring: LocalKeyring) -> None:
    table = _tickets()
    task, _ = _task(table, ring)
    with pytest.raises(Exception, match="key"):
        list(protect_partition(task, [], table.to_batches()))


@pytest.mark.parametrize("workers", [1, 2])
def test_worker_errors_reach_the_caller(ring: LocalKeyring, workers: int) -> None:
    table = pa.table({"code": ["12345", "99999"], "n": ["1", "2"]})
    catalog = DatasetCatalog(
        columns={"code": CatalogColumn(sensitivity="high"), "n": CatalogColumn()}
    )
    rules = load_protection_rules(POLICIES).model_copy(
        update={"columns": {"code": Rule(transform="fpe")}}
    )
    task, keys = bind(plan_protection(catalog, rules, None), table.schema, ring)
    source = TableDataset(table)
    with pytest.raises(ProtectionError, match=r"column 'code': \d values do not fit FF1"):
        list(LocalEngine(workers).protect(task, source, keys).batches)


def test_full_scan_is_the_same_on_every_engine() -> None:
    dataset = open_dataset(str(CUSTOMERS))
    here = scan_dataset(dataset, full=True)
    for engine in (LocalEngine(1), PartitionEngine(37)):
        other = scan_dataset(open_dataset(str(CUSTOMERS)), full=True, engine=engine)
        assert [c.model_dump(exclude={"masked_samples"}) for c in other.columns] == [
            c.model_dump(exclude={"masked_samples"}) for c in here.columns
        ]
    assert any(c.entity == "PHONE_NUMBER" for c in here.columns)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("auto", "auto"), ("AUTO", "auto"), ("1", 1), ("4", 4), (3, 3)],
)
def test_parse_workers(value: str | int, expected: object) -> None:
    assert parse_workers(value) == expected


@pytest.mark.parametrize("value", ["0", "-1", "many", "", 0])
def test_parse_workers_rejects(value: str | int) -> None:
    with pytest.raises(UsageError, match="--workers"):
        parse_workers(value)


def test_auto_stays_in_process_for_small_sources(ring: LocalKeyring) -> None:
    table = _tickets()
    task, _ = _task(table, ring)
    dataset = open_dataset(str(TICKETS))
    assert LocalEngine("auto").workers_for(task, dataset) == 1
    assert LocalEngine(3).workers_for(task, dataset) == 3


class _Sized:
    """A stand-in source of a given size on disk (only its path is looked at)."""

    def __init__(self, path: Path) -> None:
        self.path = path


@pytest.mark.parametrize(
    ("size_mib", "with_keys", "expected"),
    [(40, True, "machine"), (40, False, 1), (8, True, 1)],
    ids=["large-crypto-pool", "large-no-keys-in-process", "small-in-process"],
)
def test_auto_uses_the_machine_for_large_crypto_work(
    ring: LocalKeyring, tmp_path: Path, size_mib: int, with_keys: bool, expected: object
) -> None:
    from govkit.engines.local import machine_workers

    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(size_mib * 1024 * 1024)  # sparse: the size is what counts
    task, _ = _task(_tickets(), ring)
    if not with_keys:
        task = ProtectTask(plan=task.plan, output_schema=task.output_schema, key_ids={})
    got = LocalEngine("auto").workers_for(task, _Sized(big))  # type: ignore[arg-type]
    assert got == (machine_workers() if expected == "machine" else expected)
    assert 1 <= machine_workers() <= 8


@pytest.mark.parametrize(
    ("cores", "workers"), [(1, 1), (2, 1), (3, 2), (4, 3), (8, 7), (9, 8), (64, 8)]
)
def test_auto_leaves_one_core_to_the_parent(cores: int, workers: int) -> None:
    from govkit.engines.local import auto_workers

    assert auto_workers(cores) == workers


def test_a_pooled_engine_keeps_its_workers_and_their_caches_across_tasks(
    ring: LocalKeyring,
) -> None:
    table = _tickets()
    task, keys = _task(table, ring)
    source = TableDataset(table)
    source.batch_rows = 50  # several batches per worker
    expected, expected_counts = _run(LocalEngine(1), task, keys, source)
    engine = LocalEngine(2)
    with engine.pooled():
        first, first_counts = _run(engine, task, keys, source)
        cold = engine.worker_cache_stats()
        second, second_counts = _run(engine, task, keys, source)  # a second output, same source
        warm = engine.worker_cache_stats()
    assert first.equals(expected) and second.equals(expected)
    assert first_counts == second_counts == expected_counts
    assert len(cold) == 2 and all(misses > 0 for _, misses in cold)
    # each worker got the same batches again: every value of the second task was cached
    assert [w[1] for w in warm] == [c[1] for c in cold]
    assert all(w[0] > c[0] for w, c in zip(warm, cold, strict=True))
    assert engine.worker_cache_stats() == []  # the pool ended with the scope
