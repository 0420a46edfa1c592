"""Shared fixtures: real database servers, unique table names, the CLI runner."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

POSTGRES_URL = os.environ.get(
    "GOVKIT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MYSQL_URL = os.environ.get("GOVKIT_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _reachable(url: str) -> str | None:
    """Return None when the server answers, else the reason."""
    try:
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    return None


def _server(url: str, name: str) -> str:
    reason = _reachable(url)
    if reason is not None:
        message = f"{name} test server not reachable at {url}: {reason}"
        if IN_CI:
            pytest.fail(message + " (CI=true: database tests must run)")
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of the real PostgreSQL test database (skips locally, fails in CI, when down)."""
    return _server(POSTGRES_URL, "PostgreSQL")


@pytest.fixture(scope="session")
def mysql_url() -> str:
    """URL of the real MariaDB/MySQL test database (skips locally, fails in CI, when down)."""
    return _server(MYSQL_URL, "MariaDB")


@pytest.fixture(params=["sqlite", "postgres", "mysql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Each database backend in turn: SQLite in a temp dir, PostgreSQL, MariaDB."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    fixture = "postgres_url" if request.param == "postgres" else "mysql_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def unique_table(request: pytest.FixtureRequest) -> Iterator[Callable[[str], str]]:
    """Make table names unique per test (tests run in parallel on shared databases)."""
    made: list[str] = []

    def make(stem: str = "t") -> str:
        name = f"gk_{stem}_{secrets.token_hex(4)}"
        made.append(name)
        return name

    yield make


@dataclass
class CliResult:
    """Exit code and captured streams of one CLI invocation."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``govkit`` in-process: ``cli("scan", "x.csv")`` → CliResult."""
    from govkit.cli import run

    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke
