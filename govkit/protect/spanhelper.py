"""A second process for free-text span detection, so a run's costliest step uses two cores.

Span detection (:meth:`TextDetector.find_many`) is Python regex work that holds the GIL;
in a run of the demo's seven outputs at 1M customers it is a quarter of the wall time,
and the rest of the run leaves the second core mostly idle. :func:`span_helper` opens
one spawned process for the length of a run; it loads the detector while the run does
other work. :func:`find_spans` then cuts a batch's texts into chunks and lets this
process and the helper take chunks in turn, as each is free (a helper still starting
simply gets none), and puts the results back in order. The result is the same as
``detector.find_many(texts)``: each text's spans depend on that text alone, and the
helper builds the same detector (default patterns, the same name settings and phone
regions); any other detector, or a helper that failed, falls back to this process.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govkit.detect.text import Span, TextDetector

CHUNK = 2048
"""Texts per chunk: big enough that the pipe costs little, small enough to balance."""
MIN_TEXTS = 2 * CHUNK
"""Fewer texts than this are scanned here: splitting would not pay."""

_HELPER: ContextVar[SpanHelper | None] = ContextVar("govkit_span_helper", default=None)
_DETECTORS: dict[tuple[bool, str | None], TextDetector] = {}


def _start(regions: tuple[str, ...]) -> None:
    """The helper's initializer: the run's phone regions, then load the default detector."""
    from govkit.normalize.regions import set_regions

    set_regions(regions)
    _detector(True, None).find_many(["张伟 13812345678 a@b.cn 北京市朝阳区建国路88号"])


def _ready() -> bool:
    return True


def _detector(names: bool, spacy_model: str | None) -> TextDetector:
    from govkit.detect.text import TextDetector

    key = (names, spacy_model)
    if key not in _DETECTORS:
        _DETECTORS[key] = TextDetector(names=names, spacy_model=spacy_model)
    return _DETECTORS[key]


def _find(names: bool, spacy_model: str | None, texts: list[str]) -> list[list[Span]]:
    return _detector(names, spacy_model).find_many(texts)


class SpanHelper:
    """One spawned process that finds spans for :func:`find_spans`."""

    def __init__(self) -> None:
        from govkit.normalize.regions import current_regions

        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(
            1, mp_context=context, initializer=_start, initargs=(current_regions(),)
        )
        self.ready = self._pool.submit(_ready)
        """Done once the helper has started and loaded its detector."""
        self.broken = False
        self.chunks = 0
        """Chunks the helper scanned (tests read it)."""

    def submit(self, detector: TextDetector, texts: list[str]) -> Future[list[list[Span]]]:
        """Find the spans of ``texts`` in the helper."""
        return self._pool.submit(_find, detector.names, detector.spacy_model, texts)

    def close(self) -> None:
        """Stop the helper (nothing is left running)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def span_helper(enabled: bool = True) -> Iterator[SpanHelper | None]:
    """A helper process for :func:`find_spans` inside the block (none when not ``enabled``)."""
    try:
        helper = SpanHelper() if enabled else None
    except OSError:  # no second process to be had: the run scans its texts itself
        helper = None
    if helper is None:
        yield None
        return
    token = _HELPER.set(helper)
    try:
        yield helper
    finally:
        _HELPER.reset(token)
        helper.close()


def _shared(detector: TextDetector) -> bool:
    """Whether the helper builds this detector: the default patterns, any name settings."""
    from govkit.detect.patterns import TEXT_PATTERNS

    return detector.patterns is TEXT_PATTERNS


def find_spans(detector: TextDetector, texts: Sequence[str]) -> list[list[Span]]:
    """``detector.find_many(texts)``, shared with the run's helper process when there is one."""
    helper = _HELPER.get()
    if (
        helper is None
        or helper.broken
        or not helper.ready.done()  # still starting: no wait for it
        or len(texts) < MIN_TEXTS
        or not _shared(detector)
    ):
        return detector.find_many(texts)
    chunks = [list(texts[i : i + CHUNK]) for i in range(0, len(texts), CHUNK)]
    found: list[list[list[Span]] | None] = [None] * len(chunks)
    remote: deque[tuple[int, Future[list[list[Span]]]]] = deque()
    front, back = 0, len(chunks)  # this process takes from the front, the helper from the back
    try:
        while front < back:
            while remote and remote[0][1].done():
                index, future = remote.popleft()
                found[index] = future.result()
                helper.chunks += 1
            if len(remote) < 2 and back - front > 1:
                back -= 1
                remote.append((back, helper.submit(detector, chunks[back])))
                continue
            found[front] = detector.find_many(chunks[front])
            front += 1
        for index, future in remote:
            found[index] = future.result()
            helper.chunks += 1
    except (BrokenProcessPool, OSError):  # the helper died: this process does the rest
        helper.broken = True
        for index, chunk in enumerate(chunks):
            if found[index] is None:
                found[index] = detector.find_many(chunk)
    return [spans for chunk_spans in found if chunk_spans is not None for spans in chunk_spans]
