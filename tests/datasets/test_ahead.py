"""The read-ahead thread changes nothing but timing: order, values, errors, early stops."""

from __future__ import annotations

import contextvars
import csv
import threading
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govkit.datasets.ahead import ahead
from govkit.datasets.write import write_file
from govkit.errors import DatasetError, ProtectionError

MARK: contextvars.ContextVar[str] = contextvars.ContextVar("mark", default="unset")


@pytest.mark.parametrize("count", [0, 1, 2, 3, 50])
@pytest.mark.parametrize("depth", [1, 2, 8])
def test_same_items_in_order(count: int, depth: int) -> None:
    assert list(ahead(iter(range(count)), depth=depth)) == list(range(count))


class Boom(Exception):
    pass


@pytest.mark.parametrize("fail_at", [0, 1, 5])
@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt, ProtectionError])
def test_producer_error_raised_where_the_stream_reached_it(
    fail_at: int, error: type[BaseException]
) -> None:
    def produce() -> Iterator[int]:
        for i in range(10):
            if i == fail_at:
                raise error("producer failed")
            yield i

    got: list[int] = []
    with pytest.raises(error, match="producer failed"):
        for item in ahead(produce()):
            got.append(item)
    assert got == list(range(fail_at))


def test_consumer_stopping_early_closes_the_producer() -> None:
    closed = threading.Event()
    produced: list[int] = []

    def produce() -> Iterator[int]:
        try:
            for i in range(1000):
                produced.append(i)
                yield i
        finally:
            closed.set()

    stream = ahead(produce(), depth=2)
    assert [next(stream), next(stream)] == [0, 1]
    stream.close()  # what a writer's exception does to the generator
    assert closed.is_set()  # closed before close() returned, not later
    assert len(produced) <= 2 + 2 + 1  # at most depth ahead (and the one being handed over)
    assert not any(t.name == "govkit-ahead" and t.is_alive() for t in threading.enumerate())


def test_producer_sees_the_callers_context() -> None:
    def produce() -> Iterator[str]:
        yield MARK.get()

    token = MARK.set("run-42")
    try:
        assert list(ahead(produce())) == ["run-42"]
    finally:
        MARK.reset(token)


SCHEMA = pa.schema([("v", pa.string())])


def _batches(n: int, fail_at: int | None = None) -> Iterator[pa.RecordBatch]:
    for i in range(n):
        if i == fail_at:
            raise ProtectionError("column 'v': tokenize failed (ArrowInvalid)")
        yield pa.record_batch([pa.array([f"{i}-{j}" for j in range(100)])], schema=SCHEMA)


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".tsv"])
def test_written_file_is_what_was_produced(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"out{suffix}"
    result = write_file(_batches(7), SCHEMA, target)
    assert result.rows == 700
    if suffix == ".parquet":
        values = pq.read_table(target).column("v").to_pylist()
    else:
        rows = csv.reader(
            target.open(encoding="utf-8"), delimiter="," if suffix == ".csv" else "\t"
        )
        values = [row[0] for row in list(rows)[1:]]
    assert values == [f"{i}-{j}" for i in range(7) for j in range(100)]


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_producer_failure_leaves_nothing_written(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"out{suffix}"
    with pytest.raises(ProtectionError):
        write_file(_batches(7, fail_at=4), SCHEMA, target)
    assert list(tmp_path.iterdir()) == []


def test_writer_failure_stops_the_producer(tmp_path: Path) -> None:
    closed = threading.Event()

    def produce() -> Iterator[pa.RecordBatch]:
        try:
            yield from _batches(3)
            yield pa.record_batch([pa.array([1, 2])], names=["v"])  # wrong type for the schema
            yield from _batches(1000)
        finally:
            closed.set()

    with pytest.raises((DatasetError, ValueError, pa.ArrowException)):
        write_file(produce(), SCHEMA, tmp_path / "out.parquet")
    assert closed.is_set()
    assert list(tmp_path.iterdir()) == []
