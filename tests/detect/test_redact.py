"""govkit.find_spans and ``govkit redact``: the public text door (offsets only, never values)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import govkit
from govkit.detect.spans import TextSpan, redact_text
from govkit.normalize import set_regions
from tests.conftest import CliResult

TEXT = "我是张伟，电话１３８１２３４５６７８，邮箱 zw@example.com, SSN 123-45-6789."


def test_find_spans_shape() -> None:
    spans = govkit.find_spans(TEXT)
    assert [(s.entity, TEXT[s.start : s.end]) for s in spans] == [
        ("PERSON", "张伟"),
        ("PHONE_NUMBER", "１３８１２３４５６７８"),
        ("EMAIL_ADDRESS", "zw@example.com"),
        ("US_SSN", "123-45-6789"),
    ]
    assert all(isinstance(s, TextSpan) and 0 < s.score <= 1 and s.validator for s in spans)
    assert spans[1].validator == "phonenumbers"


@pytest.mark.parametrize(
    ("entities", "expected"),
    [(["PHONE_NUMBER"], ["PHONE_NUMBER"]), (["CREDIT_CARD"], []), (None, ["PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "US_SSN"])],
)  # fmt: skip
def test_find_spans_entities(entities: list[str] | None, expected: list[str]) -> None:
    assert [s.entity for s in govkit.find_spans(TEXT, entities=entities)] == expected


@pytest.mark.parametrize(
    ("text", "style", "expected"),
    [
        ("电话13812345678。", "entity", "电话<PHONE_NUMBER>。"),
        ("电话13812345678。", "stars", "电话***********。"),
        ("nothing here", "entity", "nothing here"),
        ("", "entity", ""),
    ],
)
def test_redact_text(text: str, style: str, expected: str) -> None:
    assert redact_text(text, govkit.find_spans(text), style) == expected


def test_cli_redacts_a_file(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    path = tmp_path / "msg.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = cli("redact", str(path))
    assert result.code == 0, result.err
    assert result.out == "我是<PERSON>，电话<PHONE_NUMBER>，邮箱 <EMAIL_ADDRESS>, SSN <US_SSN>."


def test_cli_json_has_spans_and_no_values(
    cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-8"))))
    result = cli("redact", "--format", "json")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert payload["characters"] == len(TEXT)
    assert [set(s) for s in payload["spans"]] == [
        {"entity", "start", "end", "score", "validator"}
    ] * 4
    for raw in ("张伟", "１３８", "13812345678", "zw@example.com", "123-45-6789"):
        assert raw not in result.out


@pytest.mark.usefixtures("default_regions_after")
@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["redact", "missing.txt"], None, "missing.txt: no such file"),
        (["redact", "bad.txt"], b"\xff\xfe\xfa", "bad.txt: not utf-8 text"),
        (["--region", "XX", "redact", "bad.txt"], b"x", "unknown phone region 'XX'"),
    ],
)
def test_cli_bad_input(
    cli: Callable[..., CliResult],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    content: bytes | None,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    if content is not None:
        (tmp_path / "bad.txt").write_bytes(content)
    result = cli(*args)
    assert result.code == 2
    assert result.err.startswith("Error: ") and message in result.err
    assert "Traceback" not in result.err


@pytest.fixture
def default_regions_after() -> Iterator[None]:
    yield
    set_regions(None)  # the CLI sets them process-wide; other tests expect the default


@pytest.mark.usefixtures("default_regions_after")
def test_cli_region_option_changes_national_phones(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    path = tmp_path / "us.txt"
    path.write_text("call (646) 786-8997", encoding="utf-8")
    assert cli("redact", str(path)).out == "call <PHONE_NUMBER>"
    assert cli("--region", "CN", "redact", str(path)).out == "call (646) 786-8997"
    assert cli("--region", "CN,US", "redact", str(path)).out == "call <PHONE_NUMBER>"
