"""The CLI shell: help, version, fast start-up without heavy imports."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.conftest import CliResult

HEAVY = ("presidio_analyzer", "spacy", "great_expectations", "pyspark", "jieba")


def _heavy_after_help(preload: str) -> tuple[str, str]:
    """Run ``govkit --help`` in a fresh interpreter; return (stdout, heavy modules loaded)."""
    code = (
        "import sys\n"
        f"{preload}\n"
        "from govkit.cli import run\n"
        "try:\n    run(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout, out.stdout.strip().splitlines()[-1].removeprefix("HEAVY:")


@pytest.mark.parametrize(
    ("preload", "heavy"),
    [
        ("", ""),  # govkit --help alone imports none of them
        ("import jieba", "jieba"),  # the probe does see a heavy import
    ],
)
def test_help_does_not_import_heavy_libraries(preload: str, heavy: str) -> None:
    stdout, loaded = _heavy_after_help(preload)
    assert "Usage" in stdout
    assert loaded == heavy


@pytest.mark.parametrize(
    "group", ["scan", "protect", "reveal", "validate", "policy", "audit", "keys", "run", "init"]
)
def test_every_command_group_is_registered(cli: Callable[..., CliResult], group: str) -> None:
    result = cli("--help")
    assert result.code == 0
    assert f" {group} " in result.out or f" {group}\n" in result.out


def test_version(cli: Callable[..., CliResult]) -> None:
    from govkit import __version__

    result = cli("--version")
    assert (result.code, result.out.strip()) == (0, f"govkit {__version__}")


def test_python_dash_m_runs_the_same_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "govkit", "--version"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0 and out.stdout.startswith("govkit ")


def test_debug_shows_the_traceback(cli: Callable[..., CliResult]) -> None:
    result = cli("--debug", "inspect", "/no/such/file.csv")
    assert result.code == 3
    assert "Traceback" in result.err
    assert result.err.strip().splitlines()[-1] == "Error: /no/such/file.csv: no such file"
