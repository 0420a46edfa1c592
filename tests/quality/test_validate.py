"""Running suites: pandas and SQL give the same counts; GX stays ephemeral and lazy."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from govkit.datasets import open_dataset, write_dataset
from govkit.errors import QualityToolError
from govkit.quality import validate_dataset

from .conftest import ROOT, rule

HEADER = [
    "customer_id",
    "name",
    "gender",
    "id_number",
    "phone",
    "birth_date",
    "score",
    "created_at",
]
ROWS = [
    [
        "C1",
        "张三",
        "男",
        "110105194912310011",
        "138-1234-5678",
        "1949-12-31",
        "3",
        "2024-01-01T10:00:00",
    ],
    [
        "C2",
        "李四",
        "女",
        "110105194912310021",
        "+86 139 1234 5678",
        "1949-12-31",
        "9",
        "2099-01-01T00:00:00",
    ],
    ["C3", "Bob", "M", None, "13912345678", "1980-01-01", "x", "2024-01-01T00:00:00"],
    ["C4", "张三", "女", "110105194912310011", "13812345678", "1949-12-30", "5", None],
    ["C4", "王五", "男", "110105194912310011", "12", "1949-12-31", "1", "2024-02-01T00:00:00"],
]
RULES = [
    rule("R01", "expect_column_values_to_not_be_null", column="created_at"),
    rule("R02", "expect_column_values_to_be_unique", column="customer_id"),
    rule("R03", "expect_column_values_to_be_in_set", column="gender", value_set=["男", "女", "M", "F"]),
    rule("R04", "expect_column_values_to_match_regex", column="customer_id", regex="^C[0-9]+$"),
    rule("R05", "expect_table_row_count_to_be_between", min_value=1, max_value=10),
    rule("R06", "expect_column_values_to_be_valid_cn_resident_id", column="id_number"),
    rule("R07", "expect_column_values_to_be_valid_cn_phone", column="phone"),
    rule("R08", "expect_column_values_to_be_number_between", column="score", min_value=1, max_value=5, integer=True),
    rule("R09", "expect_column_values_to_not_be_in_the_future", column="created_at"),
    rule("R10", "expect_column_pair_cn_resident_id_to_match_birth_date", column_A="id_number", column_B="birth_date"),
    rule("R11", "expect_column_pair_cn_resident_id_to_match_gender", column_A="id_number", column_B="gender"),
    rule("R12", "expect_customers_to_be_unique_after_normalization", column_list=["name", "phone"], entities={"phone": "PHONE_NUMBER"}),
]  # fmt: skip
# rule id -> (success, unexpected_count)
EXPECTED = {
    "R01": (False, 1),
    "R02": (False, 2),
    "R03": (True, 0),
    "R04": (True, 0),
    "R05": (True, None),
    "R06": (False, 1),
    "R07": (False, 1),
    "R08": (False, 2),
    "R09": (False, 1),
    "R10": (False, 1),
    "R11": (False, 1),
    "R12": (False, 2),
}
LOCAL = {"R06", "R07", "R08", "R09", "R10", "R11", "R12"}


@pytest.fixture
def sample(write_csv: Callable[..., Path], write_suite: Callable[..., Path]) -> tuple[Path, Path]:
    return write_csv("people", HEADER, ROWS), write_suite("people", RULES)


def test_pandas_counts(sample: tuple[Path, Path]) -> None:
    data, suite = sample
    result = validate_dataset(open_dataset(str(data)), suite)
    got = {r.rule_id: (r.success, r.unexpected_count) for r in result.results}
    assert got == EXPECTED
    assert [r.rule_id for r in result.results] == [r["meta"]["rule_id"] for r in RULES]
    assert {r.engine for r in result.results} == {"pandas"}
    assert result.statistics.model_dump() == {
        "evaluated_expectations": 12,
        "successful_expectations": 3,
        "unsuccessful_expectations": 9,
        "success_percent": 25.0,
    }
    assert not result.success


def test_sql_matches_pandas(
    sample: tuple[Path, Path], db_url: str, unique_table: Callable[[str], str]
) -> None:
    data, suite = sample
    table = unique_table("quality")
    source = open_dataset(str(data))
    write_dataset(source.batches(), source.schema, db_url, table=table)
    result = validate_dataset(open_dataset(db_url, table=table), suite)
    got = {r.rule_id: (r.success, r.unexpected_count) for r in result.results}
    assert got == EXPECTED
    engines = {r.rule_id: r.engine for r in result.results}
    assert {k for k, v in engines.items() if v == "pandas"} == LOCAL


def test_sql_query_source(sample: tuple[Path, Path], tmp_path: Path) -> None:
    data, suite = sample
    url = f"sqlite:///{tmp_path / 'q.db'}"
    source = open_dataset(str(data))
    write_dataset(source.batches(), source.schema, url, table="people")
    result = validate_dataset(open_dataset(url, query="SELECT * FROM people"), suite)
    assert {r.rule_id: (r.success, r.unexpected_count) for r in result.results} == EXPECTED


@pytest.mark.parametrize(
    ("bad_rule", "message"),
    [
        (
            rule("X1", "expect_column_values_to_match_regex", column="score", regex="("),
            "rule X1 (expect_column_values_to_match_regex) on score could not run on pandas: "
            "MetricResolutionError",
        ),
        (
            rule("X2", "expect_column_values_to_not_be_null", column="no_such_column"),
            "rule X2: column 'no_such_column' is not in {data}",
        ),
        (
            rule("X3", "expect_column_values_to_be_lovely", column="score"),
            "rule X3: unknown expectation type 'expect_column_values_to_be_lovely'",
        ),
    ],
)
def test_tool_problems_are_not_data_failures(
    write_csv: Callable[..., Path],
    write_suite: Callable[..., Path],
    bad_rule: dict[str, object],
    message: str,
) -> None:
    data = write_csv("people", HEADER, ROWS)
    suite = write_suite("people", [RULES[0], bad_rule])
    with pytest.raises(QualityToolError) as err:
        validate_dataset(open_dataset(str(data)), suite)
    assert str(err.value) == f"{suite}: " + message.format(data=data)


def test_table_gone_before_gx_opens_it_is_a_tool_error(
    sample: tuple[Path, Path], tmp_path: Path
) -> None:
    """GX's own connection/table test raising is exit 3 with the source named, not a crash."""
    data, suite = sample
    url = f"sqlite:///{tmp_path / 'gone.db'}"
    source = open_dataset(str(data))
    write_dataset(source.batches(), source.schema, url, table="people")
    dataset = open_dataset(url, table="people")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE people")
    engine.dispose()
    with pytest.raises(QualityToolError) as err:
        validate_dataset(dataset, suite)
    assert str(err.value) == f"{url}#people: GX could not open the data (TestConnectionError)"


def test_ephemeral_context_writes_nothing(sample: tuple[Path, Path], tmp_path: Path) -> None:
    """No gx/ folder in the working directory, nothing in $HOME or $TMPDIR, no progress bars."""
    data, suite = sample
    home, work, tmp = tmp_path / "home", tmp_path / "work", tmp_path / "tmp"
    for directory in (home, work, tmp):
        directory.mkdir()
    code = (
        "import sys; from pathlib import Path\n"
        "from govkit.datasets import open_dataset\n"
        "from govkit.quality import validate_dataset\n"
        "r = validate_dataset(open_dataset(sys.argv[1]), Path(sys.argv[2]))\n"
        "print(r.statistics.evaluated_expectations)\n"
    )
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(data), str(suite)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "12"
    assert "Calculating Metrics" not in done.stderr
    assert list(work.rglob("*")) == []
    assert list(home.rglob("*")) == []
    assert list(tmp.rglob("*")) == []


def test_help_and_import_do_not_load_great_expectations() -> None:
    code = (
        "import sys\n"
        "import govkit.quality, govkit.quality.api, govkit.cli.validate\n"
        "from govkit.cli import run\n"
        "run(['validate', '--help'])\n"
        "assert 'great_expectations' not in sys.modules, 'GX imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "--data-docs" in done.stdout
