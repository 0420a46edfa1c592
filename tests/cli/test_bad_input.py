"""Bad input: exit 3 and one ``Error:`` line naming the file or URL — never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

SECRET = "s3cr3t-pw"


def _files(tmp: Path) -> dict[str, Path]:
    made = {
        "empty.csv": b"",
        "binary.csv": b"\x00\x01\x02\xff\xfe" * 100,
        "ragged.csv": b"a,b,c\n1,2,3\n4,5\n",
        "garbage.csv": b"name\n\xff\xfe\xfa\xfb\x80\x81\n",
        "broken.parquet": b"PAR1 not really parquet",
        "broken.xlsx": b"not a zip",
        "broken.jsonl": b'{"a": 1}\n{"a": \n',
    }
    for name, data in made.items():
        (tmp / name).write_bytes(data)
    return {name: tmp / name for name in made}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.csv", "missing.csv: no such file"),
        ("empty.csv", "empty.csv: file is empty"),
        ("binary.csv", "binary.csv: not a text file (binary content)"),
        ("ragged.csv", "ragged.csv: ragged row: expected 3 columns, got 2"),
        ("garbage.csv", "garbage.csv: cannot tell the text encoding"),
        ("broken.parquet", "broken.parquet: not a readable Parquet file"),
        ("broken.xlsx", "broken.xlsx: not a readable .xlsx workbook"),
        ("broken.jsonl", "broken.jsonl: not valid JSON Lines"),
        ("data.bin", "data.bin: unsupported file type"),
    ],
)
def test_bad_files_exit_3_with_one_line(
    tmp_path: Path, cli: Callable[..., CliResult], name: str, message: str
) -> None:
    _files(tmp_path)
    (tmp_path / "data.bin").write_bytes(b"x")
    result = cli("inspect", str(tmp_path / name))
    assert result.code == 3
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sqlite:///{tmp}/x.db", "--table", "nope"], "no table 'nope'"),
        (
            [f"postgresql://u:{SECRET}@127.0.0.1:1/test", "--table", "t"],
            "cannot connect to the database",
        ),
        (
            [f"mysql://u:{SECRET}@127.0.0.1:1/test", "--table", "t"],
            "cannot connect to the database",
        ),
        (["postgresql://[bad", "--table", "t"], "malformed database URL"),
        (
            [f"postgresql://u:{SECRET}@127.0.0.1:notaport/db", "--table", "t"],
            "postgresql://u:***@127.0.0.1:notaport/db: malformed database URL",
        ),
        (
            [f"postgresql://u:{SECRET}/x@127.0.0.1:1/test", "--table", "t"],
            "postgresql://u:***@127.0.0.1:1/test: cannot connect to the database",
        ),
        (
            [f"mysql://u@127.0.0.1:1/test?password={SECRET}", "--table", "t"],
            "mysql://u@127.0.0.1:1/test?password=***: cannot connect",
        ),
        (["nosuchdialect://host/db", "--table", "t"], "unknown database dialect"),
    ],
    ids=[
        "unknown-table",
        "pg-unreachable",
        "mysql-unreachable",
        "malformed-url",
        "malformed-port-with-password",
        "password-with-slash",
        "password-in-query",
        "unknown-dialect",
    ],
)
def test_bad_databases_exit_3_without_leaking_the_password(
    tmp_path: Path, cli: Callable[..., CliResult], args: list[str], message: str
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if args[0].startswith("sqlite"):
        import sqlalchemy as sa

        sa.create_engine(args[0]).connect().close()
    result = cli("inspect", *args)
    assert result.code == 3, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.err
    assert message in lines[0]
    assert SECRET not in result.err + result.out
    if SECRET in args[0]:
        assert "***" in lines[0]  # the password's place is shown, not its value


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["inspect"], 2, "Missing argument 'source'"),
        (
            ["inspect", "x.csv", "--table", "t"],
            2,
            "--table and --query apply to database URLs only",
        ),
        (["inspect", "sqlite:///x.db"], 2, "name a table with --table"),
        (["inspect", "x.csv", "--format", "yaml"], 2, "Invalid value for '--format'"),
        (["no-such-command"], 2, "No such command"),
    ],
)
def test_usage_errors_exit_2(
    cli: Callable[..., CliResult], args: list[str], code: int, message: str
) -> None:
    result = cli(*args)
    assert result.code == code
    assert result.err.startswith("Error: ")
    assert message in result.err


def test_unknown_table_on_every_database(
    db_url: str, cli: Callable[..., CliResult], unique_table: Callable[[str], str]
) -> None:
    import sqlalchemy as sa

    sa.create_engine(db_url).connect().close()  # SQLite: the file exists, the table not
    name = unique_table("absent")
    result = cli("inspect", db_url, "--table", name)
    assert result.code == 3
    assert result.err.strip().splitlines() == [f"Error: {db_url}: no table {name!r}"]


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (
            "姓名\n张伟\n".encode("gbk"),
            ["--encoding", "utf-8"],
            "undecodable bytes for encoding 'utf-8'",
        ),
        (
            b"a,b\n" + b"".join(b"%d,x\n" % i for i in range(30_000)) + b"lonely\n",
            [],
            "ragged row: expected 2 columns, got 1",
        ),
        (
            b"a,b\n" + b"1,2\n" * 5_000 + "张,伟\n".encode() + b"\xff\xfe\n",
            [],
            "cannot tell the text encoding",
        ),
    ],
    ids=["wrong-encoding-override", "ragged-row-deep-in-file", "undecodable-late-bytes"],
)
def test_bad_bytes_found_while_streaming_exit_3(
    tmp_path: Path, cli: Callable[..., CliResult], content: bytes, args: list[str], message: str
) -> None:
    path = tmp_path / "late.csv"
    path.write_bytes(content)
    result = cli("inspect", str(path), *args)
    assert result.code == 3
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}: "), result.err
    assert message in lines[0]
    assert "lonely" not in result.err  # the offending row's text is not echoed
