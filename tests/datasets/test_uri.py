"""Credentials never show: URL redaction and scrubbed driver errors."""

from __future__ import annotations

import pytest
from sqlalchemy import exc as sa_exc

from govkit.datasets import is_sql_url, redact_url
from govkit.datasets.sql import sql_error


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        ("postgresql://u:pw@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:pa/ss@h:5432/db", "postgresql://u:***@h:5432/db"),
        ("postgresql://u:p@ss@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:p:w@h/db", "postgresql://u:***@h/db"),
        (
            "mysql+pymysql://root:p%40w@127.0.0.1:3306/test",
            "mysql+pymysql://root:***@127.0.0.1:3306/test",
        ),
        (
            "postgresql://h/db?sslmode=require&password=pw&x=1",
            "postgresql://h/db?sslmode=require&password=***&x=1",
        ),
        ("mysql://h/db?passwd=pw", "mysql://h/db?passwd=***"),
        # nothing secret: unchanged
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("postgresql://h/db?sslmode=require", "postgresql://h/db?sslmode=require"),
        ("sqlite:////tmp/a@b/x.db", "sqlite:////tmp/a@b/x.db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
        ("data/customers.csv", "data/customers.csv"),
        ("C:/data/x:y@z.csv", "C:/data/x:y@z.csv"),
    ],
)
def test_redact_url(uri: str, shown: str) -> None:
    assert redact_url(uri) == shown


@pytest.mark.parametrize(
    ("uri", "is_url"),
    [
        ("sqlite:///x.db", True),
        ("postgresql+psycopg://h/db", True),
        ("x.csv", False),
        ("C:/x.csv", False),
    ],
)
def test_is_sql_url(uri: str, is_url: bool) -> None:
    assert is_sql_url(uri) is is_url


@pytest.mark.parametrize(
    ("exc", "what", "expected"),
    [
        (
            sa_exc.OperationalError(None, None, Exception("auth failed for t0p/secret")),
            "",
            "postgresql://u:***@h/db: cannot connect to the database: auth failed for ***",
        ),
        (  # PyMySQL raises this (1292) as an OperationalError, quoting the value
            sa_exc.OperationalError(
                "INSERT",
                {},
                Exception(
                    "(1292, \"Incorrect date value: '110105194912310021' "
                    'for column `test`.`t`.`d` at row 1")'
                ),
            ),
            "",
            "postgresql://u:***@h/db: database error: (1292, \"Incorrect date value: '…' "
            'for column `test`.`t`.`d` at row 1")',
        ),
        (
            sa_exc.DataError("INSERT", {}, Exception('invalid input syntax: "11010519491231002X"')),
            "writing table 't' failed",
            "postgresql://u:***@h/db: writing table 't' failed: invalid input syntax: '…'",
        ),
        (
            sa_exc.ProgrammingError("SELECT", {}, Exception('relation "t" does not exist\nLINE 1')),
            "query failed",
            'postgresql://u:***@h/db: query failed: relation "t" does not exist',
        ),
    ],
    ids=[
        "password-echoed-by-driver",
        "value-in-operational-error",
        "value-quoted-by-driver",
        "names-kept",
    ],
)
def test_sql_errors_hide_passwords_and_values(exc: Exception, what: str, expected: str) -> None:
    message = str(sql_error("postgresql://u:t0p/secret@h/db", exc, what))
    assert message == expected
    assert "t0p/secret" not in message
