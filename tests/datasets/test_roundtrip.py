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


def _gb18030_source(tmp_path: Path, rows: int) -> Path:
    """A GBK/GB18030 CSV as Chinese Excel exports it, with tricky values and blanks."""
    lines = ["客户编号,姓名,地址,备注"]
    for i in range(rows):
        note = "" if i % 9 == 0 else f'"退款未到账, 客户说""再等等""\n第{i}次来电"'
        lines.append(f"C{i:07d},{'张伟' if i % 2 else '李娜'},广东省深圳市南山区科技园{i}号,{note}")
    path = tmp_path / "gbk_export.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    return path


def _expected_gb(rows: int) -> dict[str, list[str | None]]:
    return {
        "客户编号": [f"C{i:07d}" for i in range(rows)],
        "姓名": ["张伟" if i % 2 else "李娜" for i in range(rows)],
        "地址": [f"广东省深圳市南山区科技园{i}号" for i in range(rows)],
        "备注": [
            None if i % 9 == 0 else f'退款未到账, 客户说"再等等"\n第{i}次来电' for i in range(rows)
        ],
    }


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".parquet", ".xlsx"])
def test_gb18030_input_round_trips_to_every_format(tmp_path: Path, suffix: str) -> None:
    rows = 2_500 if suffix == ".xlsx" else 10_500
    source = open_dataset(str(_gb18030_source(tmp_path, rows)), batch_rows=4_000)
    assert source.encoding == "gb18030"  # type: ignore[attr-defined]
    target = tmp_path / f"out{suffix}"
    assert write_dataset(source.batches(), source.schema, str(target)).rows == rows
    back = open_dataset(str(target), batch_rows=1_000 if suffix == ".xlsx" else 4_000)
    batches = list(back.batches())
    assert len(batches) >= 3
    assert pa.Table.from_batches(batches).to_pydict() == _expected_gb(rows)


def test_gb18030_input_round_trips_to_every_database(
    db_url: str, unique_table: Callable[[str], str], tmp_path: Path
) -> None:
    rows = 10_500
    source = open_dataset(str(_gb18030_source(tmp_path, rows)), batch_rows=4_000)
    name = unique_table("gb")
    write_dataset(source.batches(), source.schema, db_url, table=name)
    back = open_dataset(db_url, table=name, batch_rows=4_000)
    batches = list(back.batches())
    assert len(batches) == 3
    table = pa.Table.from_batches(batches).sort_by("客户编号")
    assert table.to_pydict() == _expected_gb(rows)
    _drop(db_url, name)


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    """The temporary file is 0600; the published output follows the umask like any file."""
    table = _table(3)
    target = tmp_path / "out.csv"
    write_dataset(table.to_batches(), table.schema, str(target))
    reference = tmp_path / "plain.txt"
    reference.write_text("x", encoding="utf-8")
    assert target.stat().st_mode & 0o777 == reference.stat().st_mode & 0o777


def test_typed_columns_round_trip_through_every_database(
    db_url: str, unique_table: Callable[[str], str]
) -> None:
    """Doubles keep their cents (MySQL FLOAT would not), long text fits (MySQL TEXT stops at
    64 KB), nested values land as JSON text, binary stays binary."""
    import datetime as dt
    import decimal

    long_text = "投诉内容" * 30_000  # 360 KB of UTF-8
    table = pa.table(
        {
            "id": pa.array([1, 2], pa.int64()),
            "amount": pa.array([12345.67, None], pa.float64()),
            "price": pa.array([decimal.Decimal("19.90"), None], pa.decimal128(10, 2)),
            "vip": pa.array([True, False]),
            "birth": pa.array([dt.date(1990, 3, 7), None], pa.date32()),
            "seen": pa.array([dt.datetime(2024, 5, 1, 8, 30, 15), None], pa.timestamp("us")),
            "blob": pa.array([b"\x00\xff", None], pa.binary()),
            "tags": pa.array([["vip", "回访"], None], pa.list_(pa.string())),
            "note": [long_text, "短"],
        }
    )
    name = unique_table("typed")
    write_dataset(table.to_batches(), table.schema, db_url, table=name)
    back = open_dataset(db_url, table=name).read_all().sort_by("id").to_pydict()
    _drop(db_url, name)
    assert back["amount"] == [12345.67, None]
    assert back["price"] in (["19.90", None], ["19.9", None])
    assert [bool(v) for v in back["vip"]] == [True, False]
    assert back["birth"] == [dt.date(1990, 3, 7), None]
    assert back["seen"] == [dt.datetime(2024, 5, 1, 8, 30, 15), None]
    assert back["blob"] == [b"\x00\xff", None]
    assert back["tags"] == ['["vip", "回访"]', None]
    assert back["note"] == [long_text, "短"]


def test_duplicate_column_names_in_a_query_are_refused(tmp_path: Path) -> None:
    from govkit.errors import DatasetError

    url = f"sqlite:///{tmp_path}/q.db"
    table = _table(3)
    write_dataset(table.to_batches(), table.schema, url, table="a")
    with pytest.raises(DatasetError, match="duplicate column names: 姓名"):
        # found on opening or, where the database renames them in a subquery, on reading
        open_dataset(url, query='SELECT x."姓名", y."姓名" FROM a x JOIN a y ON 1 = 1').read_all()


def test_table_dropped_after_opening_is_a_dataset_error(tmp_path: Path) -> None:
    """Reading or counting a table that went away names the URL; no driver exception escapes."""
    import sqlalchemy as sa

    from govkit.errors import DatasetError

    url = f"sqlite:///{tmp_path}/gone.db"
    table = _table(3)
    write_dataset(table.to_batches(), table.schema, url, table="a")
    dataset = open_dataset(url, table="a")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE a")
    engine.dispose()
    with pytest.raises(DatasetError, match=r"gone\.db: count failed: no such table: a"):
        dataset.count_rows()
    with pytest.raises(DatasetError, match=r"gone\.db: database error: no such table: a"):
        dataset.read_all()


def test_open_datasets_hold_no_idle_connections(postgres_url: str) -> None:
    """Scanning a database of many tables must not keep one idle connection per table."""
    import sqlalchemy as sa

    probe = sa.create_engine(postgres_url, poolclass=sa.pool.NullPool)
    app = "govkit-idle-probe"
    url = postgres_url + ("&" if "?" in postgres_url else "?") + f"application_name={app}"

    def held() -> int:
        with probe.connect() as conn:
            query = sa.text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :a")
            return int(conn.execute(query, {"a": app}).scalar_one())

    datasets = [open_dataset(url, query="SELECT 1 AS one") for _ in range(10)]
    for dataset in datasets:
        assert dataset.read_all().num_rows == 1
    assert held() == 0
    probe.dispose()
