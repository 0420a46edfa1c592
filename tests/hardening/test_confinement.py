"""Item 10: outputs stay under the pipeline's output roots; a file govkit did not publish is
replaced only with --overwrite. #13 item 9: pipeline outputs take an ``encoding``."""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.pipeline._project import edit, make_project, output


def _project(tmp: Path, uri: str, **more: object) -> Path:
    return make_project(
        tmp / "p",
        sources={"customers": {"uri": "data/customers.csv"}},
        outputs=[output("o", "customers", "analyst", "analytics", uri, **more)],
    )


@pytest.mark.parametrize(
    ("uri", "roots", "allowed"),
    [
        ("../other_team/data/precious.csv", [], False),
        ("/etc/govkit-test-never.csv", [], False),
        ("out/fine.csv", [], True),
        ("../other_team/data/shared.csv", ["../other_team"], True),
    ],
)
def test_outputs_confined_to_roots(
    tmp_path: Path, cli: Callable[..., CliResult], uri: str, roots: list[str], allowed: bool
) -> None:
    pipeline = _project(tmp_path, uri)
    if roots:
        edit(pipeline, lambda d: d.update(output_roots=roots))
    target = (pipeline.parent / uri).resolve()
    if target.parent != Path("/etc"):
        target.parent.mkdir(parents=True, exist_ok=True)
    result = cli("run", str(pipeline))
    if allowed:
        assert result.code == 0, result.err
        assert target.is_file()
        return
    assert result.code == 3, result.err
    line = result.err.splitlines()[-1]
    assert line.startswith(f"Error: {pipeline.parent / uri if not uri.startswith('/') else uri}: ")
    assert "outside the pipeline's output roots" in line and "output_roots" in line
    assert not target.exists()


def test_foreign_file_needs_overwrite(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    pipeline = _project(tmp_path, "out/o.csv")
    target = pipeline.parent / "out" / "o.csv"
    target.parent.mkdir()
    target.write_text("someone else's file\n", encoding="utf-8")
    result = cli("run", str(pipeline))
    assert result.code == 3, result.err
    assert "would replace a file govkit did not publish" in result.err
    assert "--overwrite" in result.err
    assert target.read_text(encoding="utf-8") == "someone else's file\n"
    assert cli("run", str(pipeline), "--overwrite").code == 0
    assert target.read_text(encoding="utf-8") != "someone else's file\n"
    assert cli("run", str(pipeline)).code == 0  # govkit's own output: replaced freely
    target.write_text("edited by hand\n", encoding="utf-8")
    result = cli("run", str(pipeline))
    assert result.code == 3 and "(or that changed since)" in result.err


def test_python_door_takes_overwrite_too(tmp_path: Path) -> None:
    import govkit
    from govkit.errors import OutputExistsError

    pipeline = _project(tmp_path, "out/o.csv")
    target = pipeline.parent / "out" / "o.csv"
    target.parent.mkdir()
    target.write_text("someone else's file\n", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        govkit.run(pipeline)
    assert target.read_text(encoding="utf-8") == "someone else's file\n"
    report = govkit.run(pipeline, overwrite=True)
    assert report.status == "published" and "someone" not in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("encoding", "head", "codec"),
    [("utf-8-sig", codecs.BOM_UTF8, "utf-8-sig"), ("gb18030", b'"customer_id"', "gb18030")],
)
def test_pipeline_output_encoding(
    tmp_path: Path, cli: Callable[..., CliResult], encoding: str, head: bytes, codec: str
) -> None:
    pipeline = _project(tmp_path, "out/o.csv", encoding=encoding)
    result = cli("run", str(pipeline), "--format", "json")
    assert result.code == 0, result.err
    data = (pipeline.parent / "out" / "o.csv").read_bytes()
    assert data.startswith(head)
    text = data.decode(codec)
    assert "陕西" in text or "北京" in text or "广东" in text
    assert json.loads(result.out)["outputs"][0]["published"] is True


def test_pipeline_encoding_on_parquet_is_refused(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    pipeline = _project(tmp_path, "out/o.parquet", encoding="gb18030")
    result = cli("run", str(pipeline))
    assert result.code == 3
    assert "'encoding' applies to .csv/.tsv outputs only" in result.err


@pytest.mark.parametrize(("keep", "cell"), [(False, "'=HYPERLINK(1)"), (True, "=HYPERLINK(1)")])
def test_pipeline_output_formulas(
    tmp_path: Path, cli: Callable[..., CliResult], keep: bool, cell: str
) -> None:
    import csv

    pipeline = _project(tmp_path, "out/o.csv", keep_formulas=keep)
    data = pipeline.parent / "data" / "customers.csv"
    text = data.read_text(encoding="utf-8")
    assert ',"陕西",' in text
    data.write_text(text.replace(',"陕西",', ',"=HYPERLINK(1)",', 1), encoding="utf-8")
    result = cli("run", str(pipeline))
    assert result.code == 0, result.err
    with (pipeline.parent / "out" / "o.csv").open(encoding="utf-8", newline="") as fh:
        regions = [r["region"] for r in csv.DictReader(fh)]
    assert cell in regions
