"""Progress of long work, reported as row counts only (never values).

Library code calls :func:`advance` as rows go by; nothing happens unless a caller
(the CLI, on a terminal) installed a sink with :func:`reporting`. The sink gets
counts, never data, so a progress line cannot leak a value.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
_SINK: ContextVar[Callable[[int], None] | None] = ContextVar("govkit_progress", default=None)
STEP = 10_000


def advance(rows: int) -> None:
    """Report ``rows`` more rows done (a no-op without a sink)."""
    sink = _SINK.get()
    if sink is not None and rows:
        sink(rows)


@contextlib.contextmanager
def reporting(sink: Callable[[int], None]) -> Iterator[None]:
    """Send :func:`advance` counts to ``sink`` inside the block."""
    token = _SINK.set(sink)
    try:
        yield
    finally:
        _SINK.reset(token)


def counted(items: Iterable[T], step: int = STEP) -> Iterator[T]:
    """Yield ``items`` unchanged, reporting one row each (in steps, to stay cheap)."""
    pending = 0
    for item in items:
        yield item
        pending += 1
        if pending == step:
            advance(pending)
            pending = 0
    advance(pending)
