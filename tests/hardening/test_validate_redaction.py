"""Item 4: ``validate --format json`` never shows an aggregate of a column that holds personal
data, whatever its name — on pandas (files), PostgreSQL and MariaDB."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import CliResult

PHONES = [13812345678, 13987654321, 15011112222, 18699990000, 13700001111] * 8
AMOUNTS = [10, 20, 30, 40, 55] * 8
SUITE = {
    "name": "t",
    "expectations": [
        {"type": "expect_column_max_to_be_between", "kwargs": {"column": "c7", "min_value": 0},
         "meta": {"rule_id": "MAX-C7"}},
        {"type": "expect_column_min_to_be_between", "kwargs": {"column": "c7", "min_value": 0},
         "meta": {"rule_id": "MIN-C7"}},
        {"type": "expect_column_sum_to_be_between", "kwargs": {"column": "c7", "min_value": 0},
         "meta": {"rule_id": "SUM-C7"}},
        {"type": "expect_column_max_to_be_between", "kwargs": {"column": "amount", "min_value": 0},
         "meta": {"rule_id": "MAX-AMOUNT"}},
    ],
}  # fmt: skip


def _source(kind: str, tmp: Path, url: str | None, table: str) -> list[str]:
    if kind == "parquet":  # typed numbers on the pandas engine (CSV is read as text)
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = tmp / "t.parquet"
        pq.write_table(
            pa.table({"id": list(range(len(PHONES))), "c7": PHONES, "amount": AMOUNTS}), path
        )
        return [str(path)]
    assert url is not None
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE TABLE {table} (id INT PRIMARY KEY, c7 BIGINT, amount INT)"))
        conn.execute(
            sa.text(f"INSERT INTO {table} VALUES (:i, :p, :a)"),
            [
                {"i": i, "p": p, "a": a}
                for i, (p, a) in enumerate(zip(PHONES, AMOUNTS, strict=True))
            ],
        )
    engine.dispose()
    return [url, "--table", table]


@pytest.mark.parametrize("kind", ["parquet", "postgres", "mysql"])
def test_aggregates_of_a_phone_column_are_never_shown(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    unique_table: Callable[[str], str],
    kind: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    url = None if kind == "parquet" else str(request.getfixturevalue(f"{kind}_url"))
    table = unique_table("redact")
    args = _source(kind, tmp_path, url, table)
    suite = tmp_path / "suite.json"
    suite.write_text(json.dumps(SUITE), encoding="utf-8")
    try:
        result = cli("validate", *args, "--suite", str(suite), "--format", "json")
    finally:
        if url is not None:
            engine = sa.create_engine(url)
            with engine.begin() as conn:
                conn.execute(sa.text(f"DROP TABLE {table}"))
            engine.dispose()
    assert result.code == 0, result.err
    rules = {r["rule_id"]: r for r in json.loads(result.out)["results"]}
    assert set(rules) == {"MAX-C7", "MIN-C7", "SUM-C7", "MAX-AMOUNT"}
    assert [rules[r]["observed_value"] for r in ("MAX-C7", "MIN-C7", "SUM-C7")] == [None] * 3
    assert rules["MAX-AMOUNT"]["observed_value"] == 55  # a non-personal aggregate still shows
    for phone in set(PHONES):
        assert str(phone) not in result.out + result.err
