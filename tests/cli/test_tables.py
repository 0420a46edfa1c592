"""Tables read at 80 columns: no line wider, no word broken across lines; --wide shows all."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

CSV = "customer_id,id_number,phone,email,备注\n" + "".join(
    f"C{i:05d},11010519491231002X,1381234{i:04d},user{i}@example.com,"
    f"请联系张伟 电话13812345678 谢谢\n"
    for i in range(40)
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("GOVKIT_AUDIT_URL", raising=False)
    (tmp_path / "a_rather_long_file_name_for_customers.csv").write_text(CSV, encoding="utf-8")
    return tmp_path


def _words_whole(text: str, words: list[str]) -> None:
    for word in words:
        assert word in text, word


@pytest.mark.parametrize(
    ("args", "words", "hidden"),
    [
        (["scan", "a_rather_long_file_name_for_customers.csv"],
         ["CN_RESIDENT_ID", "PHONE_NUMBER", "EMAIL_ADDRESS", "customer_id"], ["conf."]),
        (["--wide", "scan", "a_rather_long_file_name_for_customers.csv"],
         ["CN_RESIDENT_ID", "PHONE_NUMBER", "conf.", "found"], []),
        (["audit", "query"], ["purpose", "scan", "success"], ["reason"]),
        (["--wide", "audit", "query"], ["purpose", "reason", "role"], []),
    ],
)  # fmt: skip
def test_tables_at_80_columns(
    folder: Path,
    cli: Callable[..., CliResult],
    args: list[str],
    words: list[str],
    hidden: list[str],
) -> None:
    assert cli("scan", "a_rather_long_file_name_for_customers.csv").code == 0  # something to query
    result = cli(*args)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    if "--wide" not in args:
        assert max(len(line) for line in lines) <= 80
    _words_whole(result.out, words)
    for name in hidden:
        assert name not in result.out


def test_json_keeps_chinese(folder: Path, cli: Callable[..., CliResult]) -> None:
    result = cli("scan", "a_rather_long_file_name_for_customers.csv", "--format", "json")
    assert result.code == 0
    assert "\\u" not in result.out
    assert any("\u4e00" <= ch <= "\u9fff" for ch in result.out)  # the column name 备注
    assert json.loads(result.out)["columns"]
