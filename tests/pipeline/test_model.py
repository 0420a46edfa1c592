"""The pipeline file: validated before any data is touched; errors name the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govkit.errors import PipelineError
from govkit.pipeline.model import load_pipeline, parse_pipeline


def _base(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sources": {"customers": {"uri": "data/customers.csv"}},
        "outputs": [
            {
                "name": "c_analytics",
                "source": "customers",
                "role": "analyst",
                "purpose": "analytics",
                "uri": "out/c.parquet",
            }
        ],
    }
    data.update(extra)
    return data


def _output(**fields: Any) -> dict[str, Any]:
    return {
        "name": "o",
        "source": "customers",
        "role": "analyst",
        "purpose": "analytics",
        "uri": "out/o.csv",
        **fields,
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "pipeline: a pipeline file must be a mapping of fields"),
        ({"outputs": []}, "pipeline: sources: Field required (and 1 more)"),
        (
            _base(sources={}),
            "pipeline: sources: Dictionary should have at least 1 item after validation, not 0",
        ),
        (_base(colour="red"), "pipeline: colour: Extra inputs are not permitted"),
        (_base(version=2), "pipeline: version: Input should be 1"),
        (
            _base(outputs=[{k: v for k, v in _output().items() if k != "role"}]),
            "pipeline: outputs.0.role: Field required",
        ),
        (
            _base(outputs=[_output(source="nope")]),
            "pipeline: outputs.0.source: unknown source 'nope' (known: customers)",
        ),
        (
            _base(outputs=[_output(), _output(uri="out/p.csv")]),
            "pipeline: outputs.1.name: duplicate output name 'o'",
        ),
        (
            _base(outputs=[_output(), _output(name="p")]),
            "pipeline: outputs.1.uri: another output writes the same destination",
        ),
        (
            _base(outputs=[_output(name="a b")]),
            "pipeline: outputs.0.name: use letters, digits, '_', '-' and '.' only",
        ),
        (
            _base(outputs=[_output(uri="postgresql://h/db")]),
            "pipeline: outputs.0: a database output needs 'table'",
        ),
        (
            _base(sources={"c": {"uri": "sqlite:///x.db"}}),
            "pipeline: sources.c: a database source needs 'table' or 'query'",
        ),
        (
            _base(sources={"c": {"uri": "x.csv", "table": "t"}}),
            "pipeline: sources.c: 'table' and 'query' apply to database URLs only",
        ),
        (
            _base(scan={"fail_on": "extreme"}),
            "pipeline: scan.fail_on: Input should be 'high', 'medium', 'low' or 'none'",
        ),
        (
            _base(outputs=[_output(uri="data/customers.csv")]),
            "pipeline: outputs.0.uri: would overwrite source 'customers'",
        ),
        (
            _base(outputs=[_output(uri="./data/../data/customers.csv")]),
            "pipeline: outputs.0.uri: would overwrite source 'customers'",
        ),
        (
            _base(outputs=[_output(), _output(name="p", uri="./out/o.csv")]),
            "pipeline: outputs.1.uri: another output writes the same destination",
        ),
        (
            _base(
                sources={"c": {"uri": "sqlite:///x.db", "table": "t"}},
                outputs=[_output(source="c", uri="sqlite:///x.db", table="t")],
            ),
            "pipeline: outputs.0.uri: would overwrite source 'c'",
        ),
        (_base(base_dir="/etc"), "pipeline: base_dir: Extra inputs are not permitted"),
        (
            _base(scan={"sample_size": 0}),
            "pipeline: scan.sample_size: Input should be greater than 0",
        ),
    ],
)
def test_invalid_pipelines_name_the_field(data: Any, message: str) -> None:
    with pytest.raises(PipelineError) as info:
        parse_pipeline(data)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("scan", "source", "expected"),
    [
        ({}, {}, "high"),
        ({"fail_on": "medium"}, {}, "medium"),
        ({"fail_on": "none"}, {}, None),
        ({"fail_on": "none"}, {"fail_on": "high"}, "high"),
        ({}, {"fail_on": "none"}, None),
    ],
)
def test_fail_on(scan: dict[str, str], source: dict[str, str], expected: str | None) -> None:
    data = _base(scan=scan, sources={"customers": {"uri": "c.csv", **source}})
    assert parse_pipeline(data).fail_on("customers") == expected


def test_paths_resolve_against_the_file(tmp_path: Path) -> None:
    file = tmp_path / "p.yaml"
    file.write_text(
        "sources: {c: {uri: data/c.csv}}\n"
        "outputs: [{name: o, source: c, role: r, purpose: p, uri: out/o.csv}]\n"
        "audit: {url: 'sqlite:///.govkit/audit.db'}\n",
        encoding="utf-8",
    )
    model = load_pipeline(file)
    assert model.source_file == file
    assert model.path("data/c.csv") == str(tmp_path.resolve() / "data/c.csv")
    assert model.path("/abs/c.csv") == "/abs/c.csv"
    assert model.path("postgresql://h/db") == "postgresql://h/db"
    assert model.sqlite_resolved("sqlite:///.govkit/audit.db") == (
        f"sqlite:///{tmp_path.resolve()}/.govkit/audit.db"
    )
    assert model.sqlite_resolved("sqlite:////abs/a.db") == "sqlite:////abs/a.db"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "pipeline file not found"),
        ("sources: [\n", "not valid YAML at line 2"),
        ("- 1\n", "a pipeline file must be a mapping of fields"),
    ],
)
def test_unreadable_files(tmp_path: Path, text: str | None, message: str) -> None:
    file = tmp_path / "p.yaml"
    if text is not None:
        file.write_text(text, encoding="utf-8")
    with pytest.raises(PipelineError, match=message) as info:
        load_pipeline(file)
    assert str(info.value).startswith(str(file))
