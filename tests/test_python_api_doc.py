"""Every example in docs/python-api.md runs: ``>>>`` blocks as doctests in a fresh project."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "python-api.md"


def test_every_doctest_in_python_api_md_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govkit.cli import run

    for name in ("GOVKIT_MASTER_KEY", "GOVKIT_MASTER_KEY_FILE", "GOVKIT_AUDIT_URL"):
        monkeypatch.delenv(name, raising=False)
    assert run(["init", str(tmp_path / "project")]) == 0
    monkeypatch.chdir(tmp_path / "project")
    result = doctest.testfile(
        str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS, raise_on_error=False
    )
    assert result.attempted >= 15, result
    assert result.failed == 0, result


def test_no_example_escapes_the_doctests() -> None:
    """Code on the page is either a doctest (``pycon``) or plain text, never untested Python."""
    text = DOC.read_text(encoding="utf-8")
    fences = re.findall(r"^```(\w*)$", text, flags=re.M)
    languages = {f for f in fences if f}
    assert languages <= {"pycon", "text"}, languages
    assert "pycon" in languages
