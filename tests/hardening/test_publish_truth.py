"""Item 1: publishing is all-or-nothing, and when it cannot be it says exactly what was published.

An existing directory at an output path is refused before anything is swapped, and the
audit log never records success and then failure for one run.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from govkit.errors import DatasetError
from govkit.pipeline.publish import PartialPublishError, Publisher
from tests.conftest import CliResult
from tests.pipeline._project import make_project, output

SCHEMA = pa.schema([("id", pa.string())])


def _batches(n: int = 2) -> Iterator[pa.RecordBatch]:
    yield pa.record_batch([pa.array([f"new{i}" for i in range(n)])], schema=SCHEMA)


def _tree(root: Path) -> dict[str, str]:
    """Every entry under ``root`` (directories too, hidden ones included) with a content hash."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "dir"
        for p in sorted(root.rglob("*"))
    }


def _run_events(project: Path) -> list[tuple[str, str]]:
    """(action, outcome) of the run.* events of the last run, in order."""
    with sqlite3.connect(project / ".govkit" / "audit.db") as conn:
        rows = conn.execute(
            "SELECT action, outcome FROM govkit_audit_events ORDER BY seq"
        ).fetchall()
    starts = [i for i, (action, _) in enumerate(rows) if action == "run.start"]
    assert starts, "no run recorded"
    return [(a, o) for a, o in rows[starts[-1] :] if a.startswith("run.")]


OUTPUTS = [
    output("first", "customers", "analyst", "analytics", "out/a.csv"),
    output("second", "customers", "analyst", "analytics", "out/b.parquet"),
    output("third", "customers", "analyst", "analytics", "out/c.csv"),
]


def test_directory_at_an_output_path_publishes_nothing(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    pipeline = make_project(
        tmp_path / "p", sources={"customers": {"uri": "data/customers.csv"}}, outputs=OUTPUTS
    )
    out = pipeline.parent / "out"
    assert cli("run", str(pipeline)).code == 0
    assert _run_events(pipeline.parent)[-2:] == [
        ("run.publish", "success"),
        ("run.finish", "success"),
    ]
    (out / "b.parquet").unlink()
    (out / "b.parquet").mkdir()
    (out / "b.parquet" / "keep.txt").write_text("someone's data", encoding="utf-8")
    before = _tree(out)
    result = cli("run", str(pipeline), "--format", "json")
    assert result.code == 3, result.err
    assert result.err.splitlines()[-1] == (
        f"Error: {out / 'b.parquet'}: output 'second' names a directory (or another non-file); "
        "name a file, or remove what is there"
    )
    assert "nothing was published" in result.err
    assert _tree(out) == before  # a.csv not overwritten, no .govkit-old, the directory in place
    report = json.loads(result.out)
    assert [o["published"] for o in report["outputs"]] == [False, False, False]
    events = _run_events(pipeline.parent)
    assert ("run.finish", "failure") in events
    assert ("run.finish", "success") not in events and ("run.publish", "success") not in events


def test_undo_that_fails_names_what_stays_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("id\nold\n", encoding="utf-8")
    pub = Publisher()
    pub.stage("a", _batches(), SCHEMA, str(first))
    staged = pub.stage("b", _batches(), SCHEMA, str(second))
    Path(staged.staging).unlink()  # the second swap fails
    real = os.replace

    def no_restore(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if str(src).endswith(".govkit-old"):  # putting a.csv's old version back fails too
            raise OSError(5, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", no_restore)
    with pytest.raises(PartialPublishError) as caught:
        pub.commit()
    monkeypatch.setattr(os, "replace", real)
    assert caught.value.published == ["a"] == pub.published
    assert f"published 'a' ({first})" in str(caught.value)
    assert "cannot publish output 'b'" in str(caught.value)
    assert "new0" in first.read_text(encoding="utf-8")  # a really is the new one
    assert not second.exists()


@pytest.mark.parametrize("kind", ["dir", "file"])
def test_directory_refused_at_stage_time(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "x.csv"
    if kind == "dir":
        target.mkdir()
    else:
        target.write_text("id\nold\n", encoding="utf-8")
    with Publisher() as pub:
        if kind == "dir":
            with pytest.raises(DatasetError, match="names a directory"):
                pub.stage("x", _batches(), SCHEMA, str(target))
            assert pub.staged == []
        else:
            pub.stage("x", _batches(), SCHEMA, str(target))
            pub.commit()
            assert "new0" in target.read_text(encoding="utf-8")


def test_report_that_cannot_be_written_publishes_nothing(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    """Item 9: the report is staged with the outputs; if it cannot go in, nothing does."""
    pipeline = make_project(
        tmp_path / "p", sources={"customers": {"uri": "data/customers.csv"}}, outputs=OUTPUTS[:2]
    )
    reports = pipeline.parent / "reports"
    reports.mkdir(exist_ok=True)
    (reports / "latest.json").mkdir()  # the report cannot be put in place
    result = cli("run", str(pipeline))
    assert result.code == 3, result.err
    assert f"{reports / 'latest.json'}" in result.err.splitlines()[-1]
    assert "nothing was published" in result.err
    out = pipeline.parent / "out"
    assert not out.exists() or [p.name for p in out.iterdir()] == []
    assert sorted(p.name for p in reports.iterdir() if ".govkit-stage" in p.name) == []


def test_report_staging_failure_stages_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(DatasetError, match="cannot write the run report"), Publisher() as pub:
        pub.stage("o", _batches(), SCHEMA, str(target))
        pub.stage_text("report", tmp_path / "missing" / "latest.json", "{}")
        pub.commit()
    assert list(tmp_path.iterdir()) == []


def test_published_run_has_its_report(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    pipeline = make_project(
        tmp_path / "p", sources={"customers": {"uri": "data/customers.csv"}}, outputs=OUTPUTS[:1]
    )
    result = cli("run", str(pipeline), "--format", "json")
    assert result.code == 0, result.err
    report = json.loads((pipeline.parent / "reports" / "latest.json").read_text(encoding="utf-8"))
    assert report["status"] == "published" and report["outputs"][0]["published"] is True
    assert not any(".govkit-stage" in p.name for p in (pipeline.parent / "reports").iterdir())
