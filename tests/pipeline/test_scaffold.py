"""`govkit init DIR`: a project that runs as is, and refuses to clobber one."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from govkit.catalog import load_catalog
from govkit.errors import ConfigError
from govkit.pipeline.model import load_pipeline
from govkit.pipeline.scaffold import scaffold
from tests.conftest import CliResult


def test_layout(tmp_path: Path) -> None:
    project = tmp_path / "gov"
    result = scaffold(project)
    names = {str(p.relative_to(project)) for p in result.files}
    assert {
        "pipeline.yaml",
        "policies",
        "expectations",
        "catalog.yaml",
        ".gitignore",
        "data/customers.csv",
        ".govkit/master.key",
        ".govkit/keyring",
    } <= names
    key = project / ".govkit" / "master.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    ignored = (project / ".gitignore").read_text(encoding="utf-8").split()
    assert {".govkit/", "*.key", "out/", "reports/"} <= set(ignored)
    pipeline = load_pipeline(project / "pipeline.yaml")
    assert set(pipeline.sources) == {"customers", "tickets", "transactions", "feedback"}
    catalog = load_catalog(project / "catalog.yaml")
    assert set(pipeline.sources) <= set(catalog.datasets)
    assert (project / "policies" / "roles.yaml").is_file()
    assert (project / "expectations" / "customers.json").is_file()


def test_without_keys(tmp_path: Path) -> None:
    project = tmp_path / "gov"
    scaffold(project, keys=False)
    assert not (project / ".govkit").exists()
    assert load_pipeline(project / "pipeline.yaml").keys.master_key_file is None


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (["--no-keys"], 0, None),
        ([], 2, ": directory is not empty (pass --force to add to it)"),
        (
            ["--sample-data", "nowhere"],
            3,
            "nowhere: sample data not found (customers.csv, tickets.csv, transactions.csv, "
            "feedback.csv); generate it with examples/generate.py and pass --sample-data DIR",
        ),
    ],
)
def test_init_cli(
    tmp_path: Path, cli: Callable[..., CliResult], args: list[str], code: int, error: str | None
) -> None:
    project = tmp_path / "gov"
    if error is not None and "not empty" in error:
        project.mkdir()
        (project / "notes.txt").write_text("mine", encoding="utf-8")
    result = cli("init", str(project), *args)
    assert result.code == code, result.err
    if error is None:
        assert "next: cd" in result.err
    else:
        assert result.err.splitlines()[-1] == f"Error: {project if code == 2 else ''}{error}"


def test_force_keeps_existing_files(tmp_path: Path) -> None:
    project = tmp_path / "gov"
    project.mkdir()
    (project / "pipeline.yaml").write_text("# mine\n", encoding="utf-8")
    scaffold(project, force=True, keys=False)
    assert (project / "pipeline.yaml").read_text(encoding="utf-8") == "# mine\n"
    assert (project / "catalog.yaml").is_file()


def test_missing_sample_data(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="sample data not found"):
        scaffold(tmp_path / "gov", sample_data=tmp_path)
    assert not (tmp_path / "gov").exists()


def test_project_key_file_wins_over_env_key(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The project's own key file wins over a GOVKIT_MASTER_KEY meant for something else.

    (The plain "runs as is" case is tests/pipeline/test_run.py::test_scaffolded_project_runs_as_is.)
    """
    import base64
    import os

    project = tmp_path / "gov"
    assert cli("init", str(project)).code == 0
    monkeypatch.setenv("GOVKIT_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
    result = cli("run", str(project / "pipeline.yaml"))
    assert result.code == 0, result.err
    assert "report:" in result.err + result.out
