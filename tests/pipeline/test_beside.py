"""Validation beside protection: the same outcome, report and audit trail as validating first."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from govkit.datasets.files import CsvDataset
from govkit.engines.local import LocalEngine
from govkit.errors import GovkitError, ProtectionError, ValidationFailedError
from govkit.pipeline import quality
from govkit.pipeline.run import execute_pipeline
from tests.pipeline._project import edit, make_project, published
from tests.pipeline.test_run import FAILURES, SMALL

pytestmark = pytest.mark.xdist_group("spawn")  # spawned processes: one test file at a time

KEPT = ("action", "outcome", "reason", "columns", "rule_ids", "counts")
VOLATILE = ("run_id", "duration")
_PROJECT = re.compile(r'/[^"]*?/(?:first|second)/p(?=[/"])')  # either twin's folder


def _trail(project: Path) -> list[dict[str, Any]]:
    """The run's audit events without ids, times and paths (which differ between projects)."""
    with contextlib.closing(sqlite3.connect(project / ".govkit" / "audit.db")) as conn:
        rows = conn.execute("SELECT body FROM govkit_audit_events ORDER BY seq").fetchall()
    out = []
    for (body,) in rows:
        event = json.loads(_PROJECT.sub("<project>", body))
        details = {
            k: v
            for k, v in (event.get("details") or {}).items()
            if not any(word in k for word in VOLATILE)
        }
        out.append({**{k: event.get(k) for k in KEPT}, "details": details})
    return out


@pytest.fixture
def beside(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[quality.BesideValidation]]:
    """Small sources validate beside protection (as 32 MiB ones do on 2+ cores); records it."""
    monkeypatch.setattr("govkit.engines.local.POOL_MIN_BYTES", 0)
    monkeypatch.setattr("govkit.engines.local.machine_cores", lambda: 2)
    started: list[quality.BesideValidation] = []
    original = quality.BesideValidation.__init__

    def spy(self: quality.BesideValidation, *args: Any) -> None:
        original(self, *args)
        started.append(self)

    monkeypatch.setattr(quality.BesideValidation, "__init__", spy)
    yield started


def _with_suites(pipeline: Path) -> None:
    def both(d: dict[str, Any]) -> None:
        d["sources"]["tickets"]["suite"] = "tickets"
        d["sources"]["customers"]["suite"] = "customers"
        d["sources"]["customers"]["warn"] = [  # the rules the sample data fails on purpose
            "CUST-006",
            "CUST-007",
            "CUST-008",
            "CUST-010",
            "CUST-018",
        ]

    edit(pipeline, both)


def _twins(tmp_path: Path, *changes: Callable[[Path], None]) -> tuple[Path, Path]:
    first = make_project(tmp_path / "first" / "p", **SMALL)
    for change in changes:
        change(first)
    second = tmp_path / "second" / "p"
    shutil.copytree(first.parent, second)  # same keys: the same protected values
    return first, second / "pipeline.yaml"


def _run(pipeline: Path, workers: int | str) -> tuple[Any, GovkitError | None]:
    report, error = execute_pipeline(pipeline, workers=workers)  # type: ignore[arg-type]
    assert error is None or isinstance(error, GovkitError), error
    return report, error


def _same_error(one: Any, two: Any) -> bool:
    """Two run reports' errors, apart from the project folder named in a message."""
    if one.error is None or two.error is None:
        return one.error is two.error
    return _PROJECT.sub("", one.error.model_dump_json()) == _PROJECT.sub(
        "", two.error.model_dump_json()
    )


def test_a_passing_run_publishes_and_logs_as_if_it_validated_first(
    tmp_path: Path, beside: list[quality.BesideValidation]
) -> None:
    first, second = _twins(tmp_path, _with_suites)
    alone, error = _run(first, 1)
    assert error is None and not beside
    shared, error = _run(second, "auto")
    assert error is None and len(beside) == 1
    assert published(second.parent) == published(first.parent)
    assert _trail(second.parent) == _trail(first.parent)
    actions = [e["action"] for e in _trail(second.parent)]
    assert actions.index("validate") < actions.index("access.decide") < actions.index("protect")
    for one, two in zip(alone.datasets, shared.datasets, strict=True):
        assert two.quality is not None and one.quality is not None
        assert _PROJECT.sub("", two.quality.model_dump_json()) == _PROJECT.sub(
            "", one.quality.model_dump_json()
        )


def _strict(pipeline: Path) -> None:
    _with_suites(pipeline)
    edit(pipeline, lambda d: d["sources"]["customers"].pop("warn"))


def _later_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    from govkit.pipeline import protect, run

    real = protect.stage_output
    second = SMALL["outputs"][1]["name"]

    def second_fails(*args: Any, **kwargs: Any) -> None:
        if args[1].spec.name == second:
            raise ProtectionError("column 'x': tokenize failed (ArrowInvalid)")
        real(*args, **kwargs)

    monkeypatch.setattr(run, "stage_output", second_fails)


@pytest.mark.parametrize(
    ("label", "change", "later", "error"),
    [
        ("a blocking expectation", _strict, False, ValidationFailedError),
        ("a blocking expectation and a later failure", _strict, True, ValidationFailedError),
        ("a later failure after passing suites", _with_suites, True, ProtectionError),
    ],
)
def test_a_failed_run_reports_and_logs_as_if_it_validated_first(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    beside: list[quality.BesideValidation],
    label: str,
    change: Callable[[Path], None],
    later: bool,
    error: type[GovkitError],
) -> None:
    first, second = _twins(tmp_path, change)
    if later:
        _later_failure(monkeypatch)
    alone, alone_error = _run(first, 1)
    shared, shared_error = _run(second, "auto")
    assert len(beside) == 1, label
    assert isinstance(alone_error, error) and isinstance(shared_error, error), label
    assert _same_error(alone, shared)  # type, message, exit code and stage
    assert published(second.parent) == published(first.parent) == {}
    assert _trail(second.parent) == _trail(first.parent), label


@pytest.mark.parametrize(  # a failing expectation: the test above
    ("label", "breaks"), [(f[0], f[1]) for f in FAILURES if f[0] != "expectation"]
)
def test_every_failure_of_a_run_is_the_same_beside(
    tmp_path: Path,
    beside: list[quality.BesideValidation],
    label: str,
    breaks: Callable[[Path], None],
) -> None:
    first, second = _twins(tmp_path, _with_suites, breaks)
    alone, alone_error = _run(first, 1)
    shared, shared_error = _run(second, "auto")
    assert type(shared_error) is type(alone_error) and alone_error is not None, label
    assert _same_error(alone, shared), label
    assert published(second.parent) == published(first.parent) == {}
    assert _trail(second.parent) == _trail(first.parent), label


@pytest.mark.parametrize(
    ("workers", "cores", "size", "files", "wanted"),
    [
        ("auto", 2, 40 << 20, True, True),
        ("auto", 2, 1 << 20, True, False),  # small files: validate first, in this process
        ("auto", 1, 40 << 20, True, False),  # one core: nothing to gain
        (1, 2, 40 << 20, True, False),  # one process asked for
        ("auto", 2, 40 << 20, False, False),  # a database table: validated where it is
    ],
)
def test_the_engine_validates_beside_only_when_it_pays(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    workers: int | str,
    cores: int,
    size: int,
    files: bool,
    wanted: bool,
) -> None:
    monkeypatch.setattr("govkit.engines.local.machine_cores", lambda: cores)
    monkeypatch.setattr("govkit.engines.local._source_bytes", lambda _: size)
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    source: object = CsvDataset(path) if files else object()
    engine = LocalEngine(workers)  # type: ignore[arg-type]
    assert engine.validates_beside([source]) is wanted  # type: ignore[list-item]


def test_a_validation_process_that_died_is_replaced_by_this_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, beside: list[quality.BesideValidation]
) -> None:
    original = quality.BesideValidation.__init__

    def then_killed(self: quality.BesideValidation, *args: Any) -> None:
        original(self, *args)  # the spy above, then the process dies (out of memory, say)
        for pid in list(self._pool._processes):
            os.kill(pid, signal.SIGKILL)

    monkeypatch.setattr(quality.BesideValidation, "__init__", then_killed)
    first, second = _twins(tmp_path, _with_suites)
    _, alone_error = _run(first, 1)
    shared, shared_error = _run(second, "auto")
    assert alone_error is None and shared_error is None and len(beside) == 1
    assert published(second.parent) == published(first.parent)
    assert _trail(second.parent) == _trail(first.parent)
