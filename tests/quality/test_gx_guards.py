"""Guards on GX internals govkit relies on (pinned GX version; these fail loudly on upgrade)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from govkit.datasets import open_dataset, write_dataset
from govkit.quality import validate_dataset
from govkit.quality.validate import _context, gx_sql_url

from .conftest import rule


def test_pandas_fingerprint_is_switched_off() -> None:
    from great_expectations.execution_engine import pandas_execution_engine

    _context()
    assert pandas_execution_engine.HASH_THRESHOLD == 0


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mariadb://root@h/db", "mysql+pymysql://root@h/db"),
        ("mariadb+pymysql://root:pw@h:3306/db", "mysql+pymysql://root:pw@h:3306/db"),
        ("mysql://root@h/db", "mysql+pymysql://root@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg2://u@h/db", "postgresql+psycopg2://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_gx_sql_url(url: str, expected: str) -> None:
    assert gx_sql_url(url) == expected


def test_database_password_stays_out_of_logs_and_results(
    postgres_url: str,
    unique_table: Callable[[str], str],
    write_csv: Callable[..., Path],
    write_suite: Callable[..., Path],
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "pw-canary-7781"
    url = sa.engine.make_url(postgres_url)
    if url.password:
        pytest.skip("the test server needs its own password")
    with_password = url.set(password=secret).render_as_string(hide_password=False)
    table = unique_table("pw")
    data = write_csv("t", ["a"], [["1"], [None]])
    source = open_dataset(str(data))
    write_dataset(source.batches(), source.schema, postgres_url, table=table)
    suite = write_suite("t", [rule("P1", "expect_column_values_to_not_be_null", column="a")])
    caplog.set_level(logging.DEBUG)
    try:
        result = validate_dataset(open_dataset(with_password, table=table), suite)
    except Exception as exc:  # noqa: BLE001 - a server that checks passwords refuses; still no leak
        assert secret not in str(exc)
    else:
        assert result.results[0].unexpected_count == 1
        assert secret not in result.model_dump_json()
    assert secret not in caplog.text
