"""The run's second process for span detection changes no span, and is used only when it pays."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from govkit.detect.patterns import TEXT_PATTERNS
from govkit.detect.text import TextDetector
from govkit.engines.local import LocalEngine
from govkit.normalize import set_regions
from govkit.protect import spanhelper
from govkit.protect.plan import ColumnPlan, ProtectionPlan
from govkit.protect.spanhelper import SpanHelper, find_spans, span_helper
from tests.detect.test_find_many import TEXTS

pytestmark = pytest.mark.xdist_group("spawn")  # spawned processes: one test file at a time

CORPUS = TEXTS * 4 + [f"工单{i}：请回电{13800000000 + 7919 * i}，张先生" for i in range(300)]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 16 texts, so a corpus of a few thousand texts makes many chunks."""
    monkeypatch.setattr(spanhelper, "CHUNK", 16)
    monkeypatch.setattr(spanhelper, "MIN_TEXTS", 32)


@pytest.fixture
def helper(small_chunks: None) -> Iterator[SpanHelper]:
    with span_helper() as started:
        assert started is not None
        started.ready.result(timeout=120)  # started and loaded: it takes chunks at once
        yield started


def test_spans_found_with_the_helper_equal_find_many(helper: SpanHelper) -> None:
    detector = TextDetector.default()
    assert find_spans(detector, CORPUS) == detector.find_many(CORPUS)
    assert helper.chunks > 0  # the helper really scanned part of it


def test_the_helper_uses_the_regions_of_the_run(small_chunks: None) -> None:
    texts = ["call (646) 786-8997 please", "电话 2345 6789", "07700 900123 later"] * 40
    set_regions(("CN", "US", "GB"))
    try:
        with span_helper() as started:
            assert started is not None
            started.ready.result(timeout=120)
            detector = TextDetector.default()
            expected = detector.find_many(texts)
            assert any(expected)  # these regions find numbers the default ones do not
            assert find_spans(detector, texts) == expected
            assert started.chunks > 0
    finally:
        set_regions(None)


@pytest.mark.parametrize(
    ("label", "detector", "texts"),
    [
        ("a small batch", TextDetector.default(), CORPUS[:20]),
        ("another pattern set", TextDetector(TEXT_PATTERNS[:3]), CORPUS),
    ],
)
def test_the_helper_is_left_out(
    helper: SpanHelper, label: str, detector: TextDetector, texts: list[str]
) -> None:
    assert find_spans(detector, texts) == detector.find_many(texts), label
    assert helper.chunks == 0, label


def test_no_helper_outside_a_run() -> None:
    detector = TextDetector.default()
    assert find_spans(detector, CORPUS) == detector.find_many(CORPUS)
    with span_helper(enabled=False) as none:
        assert none is None


def test_a_helper_that_died_leaves_the_work_here(helper: SpanHelper) -> None:
    for pid in list(helper._pool._processes):  # the helper's own process, nothing else
        os.kill(pid, signal.SIGKILL)
    detector = TextDetector.default()
    assert find_spans(detector, CORPUS) == detector.find_many(CORPUS)
    assert helper.broken


def _plan(*transforms: str) -> ProtectionPlan:
    return ProtectionPlan(
        columns=[
            ColumnPlan(column=f"c{i}", transform=t, rule="r") for i, t in enumerate(transforms)
        ]
    )


class _Source:
    def __init__(self, size: int, tmp: Path) -> None:
        self.path = tmp / f"source-{size}.csv"
        with self.path.open("wb") as fh:
            fh.truncate(size)


@pytest.mark.parametrize(
    ("workers", "size", "transforms", "wanted"),
    [
        ("auto", 40 << 20, ("text", "tokenize"), True),
        ("auto", 1 << 20, ("text",), False),  # a small source: starting it costs more
        ("auto", 40 << 20, ("tokenize", "mask"), False),  # no free text
        (1, 40 << 20, ("text",), False),  # one process asked for
        (2, 40 << 20, ("text",), False),  # a pool of workers protects the text itself
    ],
)
def test_the_engine_starts_a_helper_only_when_it_pays(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    workers: int | str,
    size: int,
    transforms: tuple[str, ...],
    wanted: bool,
) -> None:
    asked: list[bool] = []

    def record(enabled: bool = True) -> Iterator[None]:
        asked.append(enabled)
        yield None

    monkeypatch.setattr(spanhelper, "span_helper", contextlib.contextmanager(record))
    monkeypatch.setattr("govkit.engines.local.machine_cores", lambda: 2)
    engine = LocalEngine(workers)  # type: ignore[arg-type]
    with engine.text_helper([(_plan(*transforms), _Source(size, tmp_path))]):  # type: ignore[list-item]
        pass
    assert asked == [wanted]


def test_a_run_with_the_helper_publishes_the_same_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    from govkit.pipeline.run import run_pipeline
    from tests.pipeline._project import make_project, output

    started: list[SpanHelper] = []
    original = SpanHelper.__init__

    def ready_at_once(self: SpanHelper) -> None:
        original(self)
        self.ready.result(timeout=120)
        started.append(self)

    def project(name: str) -> Path:
        return make_project(
            tmp_path / name,
            sources={"tickets": {"uri": "data/tickets.csv"}},
            outputs=[output("t", "tickets", "analyst", "analytics", "out/t.parquet")],
        )

    alone = project("alone")
    assert run_pipeline(alone, workers=1).status == "published"
    monkeypatch.setattr(SpanHelper, "__init__", ready_at_once)
    monkeypatch.setattr("govkit.engines.local.POOL_MIN_BYTES", 0)
    monkeypatch.setattr("govkit.engines.local.machine_cores", lambda: 2)
    shared = project("shared")
    assert run_pipeline(shared, workers="auto").status == "published"
    assert started and started[0].chunks > 0  # the helper took part of the complaints
    column = "complaint"
    before = pq.read_table(tmp_path / "alone" / "out" / "t.parquet").column(column)
    after = pq.read_table(tmp_path / "shared" / "out" / "t.parquet").column(column)
    assert after.equals(before)
