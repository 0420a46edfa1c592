"""Config files: one-line errors naming the file and the field, never a value; the error class asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from govkit._config import load_yaml_model
from govkit.errors import ConfigError, PolicyError


class _Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rows: int = 10
    tags: list[str] = []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rows: 5\ntags: [pii]\n", _Limits(rows=5, tags=["pii"])),
        ("", _Limits()),
        ("# only a comment\n", _Limits()),
    ],
)
def test_valid_files_load(tmp_path: Path, text: str, expected: _Limits) -> None:
    path = tmp_path / "limits.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_yaml_model(path, _Limits, what="limits") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rows: [\n", ": not valid YAML (limits)"),
        ("rows: 13812345678x\n", ":1: rows: Input should be a valid integer"),
        ("rows: 1\ncolour: red\n", ":2: colour: Extra inputs are not permitted"),
        ("- a\n- b\n", ": (top level): Input should be a valid dictionary"),
    ],
)
def test_invalid_files_name_file_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "limits.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_yaml_model(path, _Limits, error=PolicyError, what="limits")
    assert str(info.value).startswith(f"{path}{message}")
    assert "13812345678" not in str(info.value)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot read limits"):
        load_yaml_model(tmp_path, _Limits, what="limits")  # a directory, not a file
