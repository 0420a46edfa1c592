"""Round trips through every format and database: Chinese names and values, NULLs, many batches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest

from govkit.datasets import open_dataset, write_dataset
from govkit.errors import OutputExistsError

ROWS = 12_345
BATCH = 5_000


def _table(rows: int = ROWS) -> pa.Table:
    names = ["张伟", "李娜", "Alice Smith", None, "王芳"]
    ids = ["11010519491231002X", "0012345678", None, "440524188001010014", "320102199003073210"]
    return pa.table(
        {
            "客户编号": [f"C{i:07d}" for i in range(rows)],
            "姓名": [names[i % 5] for i in range(rows)],
            "身份证号": [ids[i % 5] for i in range(rows)],
            "note": [None if i % 7 == 0 else f"备注 {i}" for i in range(rows)],
        }
    )


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".parquet", ".xlsx"])
def test_file_round_trip_keeps_values_nulls_and_streams_in_batches(
    tmp_path: Path, suffix: str
) -> None:
    rows = 2_500 if suffix == ".xlsx" else ROWS  # openpyxl is slow; 2.5k rows still gives 3 batches
    table = _table(rows)
    target = tmp_path / f"out{suffix}"
    result = write_dataset(table.to_batches(max_chunksize=1000), table.schema, str(target))
    assert result.rows == rows

    dataset = open_dataset(str(target), batch_rows=1_000 if suffix == ".xlsx" else BATCH)
    batches = list(dataset.batches())
    assert len(batches) >= 3
    assert all(b.num_rows <= dataset.batch_rows for b in batches)
    back = pa.Table.from_batches(batches)
    assert back.column_names == table.column_names
    for name in table.column_names:
        assert back.column(name).to_pylist() == table.column(name).to_pylist(), name


def test_database_round_trip(db_url: str, unique_table: Callable[[str], str]) -> None:
    table = _table()
    name = unique_table("rt")
    write_dataset(table.to_batches(max_chunksize=4000), table.schema, db_url, table=name)
    dataset = open_dataset(db_url, table=name, batch_rows=BATCH)
    batches = list(dataset.batches())
    assert len(batches) == 3
    back = pa.Table.from_batches(batches).sort_by("客户编号")  # a table without a key has no order
    assert dataset.count_rows() == ROWS
    for column in table.column_names:
        assert back.column(column).to_pylist() == table.column(column).to_pylist(), column
    query = open_dataset(db_url, query=f"SELECT * FROM {name} WHERE 1 = 1")
    assert query.count_rows() == ROWS
    _drop(db_url, name)


def _drop(url: str, name: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {name}"))
    engine.dispose()


def test_existing_target_is_kept_unless_overwrite(tmp_path: Path) -> None:
    table = _table(10)
    target = tmp_path / "out.csv"
    target.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="already exists"):
        write_dataset(table.to_batches(), table.schema, str(target))
    assert target.read_text(encoding="utf-8") == "keep me\n"
    write_dataset(table.to_batches(), table.schema, str(target), overwrite=True)
    assert open_dataset(str(target)).count_rows() == 10


def test_existing_table_is_kept_unless_overwrite(
    db_url: str, unique_table: Callable[[str], str]
) -> None:
    name = unique_table("ow")
    first, second = _table(5), _table(8)
    write_dataset(first.to_batches(), first.schema, db_url, table=name)
    with pytest.raises(OutputExistsError, match=name):
        write_dataset(second.to_batches(), second.schema, db_url, table=name)
    assert open_dataset(db_url, table=name).count_rows() == 5
    write_dataset(second.to_batches(), second.schema, db_url, table=name, overwrite=True)
    assert open_dataset(db_url, table=name).count_rows() == 8
    _drop(db_url, name)
