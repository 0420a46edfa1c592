"""docs/schemas/*.json are the models' schemas, and real ``--format json`` outputs fit them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from govkit.schemas import OUTPUT_MODELS, schema_text
from tests.conftest import CliResult

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "schemas"
DATA = ROOT / "examples" / "data"


@pytest.mark.parametrize("name", sorted(OUTPUT_MODELS))
def test_documented_schema_is_the_models(name: str) -> None:
    path = DOCS / f"{name}.json"
    assert path.exists(), f"regenerate with: python -m govkit.schemas docs/schemas ({path} missing)"
    assert path.read_text(encoding="utf-8") == schema_text(name), (
        f"{path} differs from its model; regenerate with: python -m govkit.schemas docs/schemas"
    )


def test_no_stale_schema_files() -> None:
    on_disk = {p.stem for p in DOCS.glob("*.json")}
    assert on_disk == set(OUTPUT_MODELS)


def _fits(name: str, document: object) -> None:
    schema = json.loads((DOCS / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)


def test_a_wrong_document_does_not_fit() -> None:
    with pytest.raises(jsonschema.ValidationError):
        _fits("inspect", {"not": "an inspect result"})


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the committed sample data (scans may write nothing beside it)."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("scan", ["scan", "{data}"]),
        ("scan-dataset", ["scan", "{data}/customers.csv"]),
        ("inspect", ["inspect", "{data}/customers.csv"]),
        ("validate", ["validate", "{data}/customers.csv"]),
        (
            "policy-explain",
            [
                "policy",
                "explain",
                "--role",
                "analyst",
                "--purpose",
                "analytics",
                "--dataset",
                "{data}/customers.csv",
            ],
        ),
    ],
)
def test_cli_json_output_fits_its_schema(
    name: str, args: list[str], cli: Callable[..., CliResult], data: Path
) -> None:
    result = cli(*(a.format(data=data) for a in args), "--format", "json")
    assert result.code in (0, 1), result.err
    _fits(name, json.loads(result.out))
