"""``govkit inspect`` and ``govkit copy``: the CLI twins of describe() and copy()."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from govkit.datasets import open_dataset
from tests.conftest import CliResult

DATA = Path(__file__).resolve().parent.parent.parent / "examples" / "data"


def test_inspect_json_has_the_documented_schema_and_no_values(
    cli: Callable[..., CliResult],
) -> None:
    result = cli("inspect", str(DATA / "customers.csv"), "--format", "json")
    assert result.code == 0, result.err
    info = json.loads(result.out)
    assert set(info) == {"source", "encoding", "rows", "fingerprint", "columns"}
    assert (info["encoding"], info["rows"]) == ("utf-8", 500)
    assert info["fingerprint"].startswith("sha256:")
    assert info["columns"][0] == {"name": "customer_id", "type": "string", "nulls": 0}
    assert all(set(c) == {"name", "type", "nulls"} for c in info["columns"])
    first_id = open_dataset(str(DATA / "customers.csv")).read_all().column("id_number")[0].as_py()
    assert first_id not in result.out  # shape only, never values


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl", ".tsv", ".xlsx"])
def test_copy_converts_files_and_refuses_to_overwrite(
    tmp_path: Path, cli: Callable[..., CliResult], suffix: str
) -> None:
    source = DATA / "tickets.csv"
    target = tmp_path / f"tickets{suffix}"
    result = cli("copy", str(source), "-o", str(target))
    assert result.code == 0, result.err
    assert open_dataset(str(target)).read_all().equals(open_dataset(str(source)).read_all())

    again = cli("copy", str(source), "-o", str(target))
    assert again.code == 3
    assert again.err.strip() == f"Error: {target}: already exists (pass --overwrite to replace it)"
    assert cli("copy", str(source), "-o", str(target), "--overwrite").code == 0


def test_copy_into_every_database_and_back(
    tmp_path: Path, cli: Callable[..., CliResult], db_url: str, unique_table: Callable[[str], str]
) -> None:
    name = unique_table("copy")
    result = cli("copy", str(DATA / "customers.csv"), "-o", db_url, "--output-table", name)
    assert result.code == 0, result.err
    back = tmp_path / "back.csv"
    assert cli("copy", db_url, "--table", name, "-o", str(back)).code == 0
    original = open_dataset(str(DATA / "customers.csv")).read_all()
    assert open_dataset(str(back)).read_all().sort_by("customer_id").equals(original)
    again = cli("copy", str(DATA / "customers.csv"), "-o", db_url, "--output-table", name)
    assert again.code == 3 and f"table '{name}' already exists" in again.err
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP TABLE {name}"))
    engine.dispose()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-o", "{tmp}/out.txt"], 2, "unsupported output format"),
        (["-o", "{tmp}/no/such/dir/out.csv"], 3, "does not exist"),
        (["-o", "sqlite:///{tmp}/x.db"], 2, "writing to a database needs --table"),
        (
            ["-o", "{tmp}/out.csv", "--output-table", "t"],
            2,
            "--table applies to database URLs only",
        ),
    ],
    ids=["unknown-suffix", "missing-directory", "db-without-table", "table-for-a-file"],
)
def test_copy_bad_targets(
    tmp_path: Path, cli: Callable[..., CliResult], args: list[str], code: int, message: str
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = cli("copy", str(DATA / "feedback.csv"), *args)
    assert result.code == code, result.err
    assert result.err.startswith("Error: ") and message in result.err
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".db"] == []
