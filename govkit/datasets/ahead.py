"""Produce the next batches while the current one is written: a bounded read-ahead thread.

pyarrow releases the GIL while it encodes, compresses and writes a batch, so a writer
spends most of its time outside Python, while the protect loop that produces the batches
is Python. Running the producer in a thread, a few batches ahead, lets the two overlap on
two cores. Nothing else changes: batches arrive in the same order with the same values,
an exception of the producer is raised where the stream reached it, and when the consumer
stops early (a write failed) the producer is stopped and closed before this returns.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Generator, Iterable
from typing import TypeVar

T = TypeVar("T")

DEPTH = 2
"""Batches produced ahead of the consumer (bounds memory: a batch is ~65k rows)."""
_POLL = 0.1  # seconds between checks for a consumer that stopped


class _End:
    """The producer is done: ``error`` is what it raised, None when it simply ran out."""

    def __init__(self, error: BaseException | None) -> None:
        self.error = error


def ahead(items: Iterable[T], depth: int = DEPTH) -> Generator[T, None, None]:
    """Iterate ``items`` with a producer thread up to ``depth`` items ahead.

    The producer runs in a copy of the caller's context (context variables such as the
    run's cache scope stay visible). Its exceptions, ``KeyboardInterrupt`` included,
    are re-raised in the consumer.
    """
    handoff: queue.Queue[T | _End] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: T | _End) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        source = iter(items)
        try:
            for item in source:
                if not put(item):
                    return
            put(_End(None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            put(_End(exc))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    context = contextvars.copy_context()
    thread = threading.Thread(target=context.run, args=(produce,), name="govkit-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = handoff.get()
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        stop.set()
        thread.join()
