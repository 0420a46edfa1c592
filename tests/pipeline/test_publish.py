"""Staged, all-or-nothing publishing: every output or none of them."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pytest
import sqlalchemy as sa

from govkit.datasets import open_dataset
from govkit.errors import DatasetError, OutputExistsError
from govkit.pipeline.publish import STAGE_MARK, Publisher

SCHEMA = pa.schema([("id", pa.string()), ("n", pa.int64())])


def _batches(rows: int = 3, fail_after: int | None = None) -> Iterator[pa.RecordBatch]:
    for i in range(rows):
        if fail_after is not None and i == fail_after:
            raise DatasetError("boom: the protect step failed")
        yield pa.record_batch([pa.array([f"r{i}"]), pa.array([i], pa.int64())], schema=SCHEMA)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _rows(uri: str, table: str | None = None) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = open_dataset(uri, table=table).read_all().to_pylist()
    return rows


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl", ".tsv"])
def test_commit_publishes_every_output(tmp_path: Path, suffix: str) -> None:
    targets = [tmp_path / f"out{i}{suffix}" for i in range(3)]
    with Publisher() as pub:
        for i, target in enumerate(targets):
            pub.stage(f"o{i}", _batches(i + 1), SCHEMA, str(target))
        assert not any(t.exists() for t in targets)  # nothing visible before commit
        results = pub.commit()
    assert [r.rows for r in results] == [1, 2, 3]
    assert [len(_rows(str(t))) for t in targets] == [1, 2, 3]
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", [0, 1, 2])
def test_failure_in_any_output_publishes_none(tmp_path: Path, failing: int) -> None:
    targets = [tmp_path / f"out{i}.csv" for i in range(3)]
    with pytest.raises(DatasetError, match="boom"), Publisher() as pub:
        for i, target in enumerate(targets):
            pub.stage(f"o{i}", _batches(3, 1 if i == failing else None), SCHEMA, str(target))
        pub.commit()
    assert not any(t.exists() for t in targets)
    assert _leftovers(tmp_path) == []


def test_failure_keeps_previous_outputs_intact(tmp_path: Path) -> None:
    first, last = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("id,n\nold,0\n", encoding="utf-8")
    with pytest.raises(DatasetError), Publisher() as pub:
        pub.stage("a", _batches(2), SCHEMA, str(first))
        pub.stage("b", _batches(2, fail_after=1), SCHEMA, str(last))
        pub.commit()
    assert first.read_text(encoding="utf-8") == "id,n\nold,0\n"
    assert not last.exists()


def test_commit_failure_undoes_swaps_already_done(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("id,n\nold,0\n", encoding="utf-8")
    pub = Publisher()
    pub.stage("a", _batches(2), SCHEMA, str(first))
    staged = pub.stage("b", _batches(2), SCHEMA, str(second))
    Path(staged.staging).unlink()  # the second swap will fail
    with pytest.raises(DatasetError, match="cannot publish output 'b'"):
        pub.commit()
    assert first.read_text(encoding="utf-8") == "id,n\nold,0\n"
    assert not second.exists()
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize(("overwrite", "error"), [(True, None), (False, OutputExistsError)])
def test_existing_target(tmp_path: Path, overwrite: bool, error: type[Exception] | None) -> None:
    target = tmp_path / "out.csv"
    target.write_text("id,n\nold,0\n", encoding="utf-8")
    pub = Publisher(overwrite=overwrite)
    if error is not None:
        with pytest.raises(error):
            pub.stage("o", _batches(2), SCHEMA, str(target))
        return
    pub.stage("o", _batches(2), SCHEMA, str(target))
    pub.commit()
    assert len(_rows(str(target))) == 2
    assert _leftovers(tmp_path) == []


def test_abort_removes_staged_files(tmp_path: Path) -> None:
    pub = Publisher()
    staged = pub.stage("o", _batches(2), SCHEMA, str(tmp_path / "o.parquet"))
    assert STAGE_MARK in staged.staging and Path(staged.staging).exists()
    pub.abort()
    assert list(tmp_path.iterdir()) == []


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_tables_publish_together(db_url: str, unique_table: Callable[[str], str]) -> None:
    names = [unique_table("pub") for _ in range(2)]
    with Publisher() as pub:
        staging = {pub.stage(n, _batches(3), SCHEMA, db_url, table=n).staging for n in names}
        assert staging <= _tables(db_url)
        assert not set(names) & _tables(db_url)
        pub.commit()
    assert all(len(_rows(db_url, n)) == 3 for n in names)
    assert not staging & _tables(db_url)


def test_table_failure_publishes_nothing(
    db_url: str, unique_table: Callable[[str], str], tmp_path: Path
) -> None:
    kept, failed = unique_table("kept"), unique_table("fail")
    with Publisher() as pub:  # an old version of `kept` exists
        pub.stage(kept, _batches(1), SCHEMA, db_url, table=kept)
        pub.commit()
    staging = set()
    with pytest.raises(DatasetError), Publisher() as pub:
        staging.add(pub.stage(kept, _batches(3), SCHEMA, db_url, table=kept).staging)
        pub.stage("file", _batches(3), SCHEMA, str(tmp_path / "f.csv"))
        pub.stage(failed, _batches(3, fail_after=2), SCHEMA, db_url, table=failed)
        pub.commit()
    assert len(_rows(db_url, kept)) == 1
    assert failed not in _tables(db_url)
    assert not (tmp_path / "f.csv").exists()
    assert not staging & _tables(db_url)


def test_file_swap_failure_undoes_table_swap(
    db_url: str, unique_table: Callable[[str], str], tmp_path: Path
) -> None:
    name = unique_table("undo")
    with Publisher() as pub:
        pub.stage(name, _batches(1), SCHEMA, db_url, table=name)
        pub.commit()
    pub = Publisher()
    table = pub.stage(name, _batches(3), SCHEMA, db_url, table=name)
    staged = pub.stage("file", _batches(3), SCHEMA, str(tmp_path / "f.csv"))
    Path(staged.staging).unlink()
    with pytest.raises(DatasetError):
        pub.commit()
    assert table.backup is None
    assert len(_rows(db_url, name)) == 1
    assert table.staging not in _tables(db_url)


@pytest.mark.parametrize("fail", [False, True])
def test_missing_directories(tmp_path: Path, fail: bool) -> None:
    target = tmp_path / "out" / "analytics" / "c.csv"
    with pytest.raises(DatasetError) if fail else contextlib.nullcontext(), Publisher() as pub:
        pub.stage("c", _batches(2, fail_after=1 if fail else None), SCHEMA, str(target))
        pub.commit()
    assert target.exists() is not fail
    assert (tmp_path / "out").exists() is not fail


def test_missing_directory_without_make_dirs(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="does not exist"):
        Publisher(make_dirs=False).stage("c", _batches(1), SCHEMA, str(tmp_path / "x" / "c.csv"))


def test_table_swaps_of_one_database_are_atomic(
    db_url: str, unique_table: Callable[[str], str]
) -> None:
    first, second = unique_table("one"), unique_table("two")
    with Publisher() as pub:  # an old version of `first` exists
        pub.stage(first, _batches(1), SCHEMA, db_url, table=first)
        pub.commit()
    pub = Publisher()
    kept = pub.stage(first, _batches(3), SCHEMA, db_url, table=first)
    gone = pub.stage(second, _batches(3), SCHEMA, db_url, table=second)
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:  # the second rename will fail
        conn.exec_driver_sql(f"DROP TABLE {conn.dialect.identifier_preparer.quote(gone.staging)}")
    engine.dispose()
    with pytest.raises(DatasetError, match="publishing the staged tables failed"):
        pub.commit()
    assert len(_rows(db_url, first)) == 1
    assert second not in _tables(db_url)
    assert kept.staging not in _tables(db_url)
