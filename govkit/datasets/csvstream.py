"""Feeding pyarrow's CSV reader in bounded memory.

pyarrow's streaming CSV reader reads up to 32 blocks ahead of the consumer
(measured: a 660 MB file with 64 MiB blocks peaked at 1.0 GB RSS, growing with
the file). govkit hands it a file object whose reads wait for the consumer: one
permit per block, given back per batch taken, so only a few blocks are in
flight. The same object transcodes other encodings (GB18030, UTF-16) to UTF-8
in Python, so pyarrow reads plain UTF-8 and block reads map one to one to batches.

A row longer than the block makes pyarrow fail with "straddling object"; the
caller then reads again with a larger block and skips the rows it already gave.
"""

from __future__ import annotations

import codecs
import io
import threading
from pathlib import Path

_WAIT = 2.0  # seconds a read waits for the consumer before going ahead (never deadlocks)


class ThrottledUtf8File(io.RawIOBase):
    """A read-only file whose ``read(n)`` returns at most ``n`` UTF-8 bytes, ``ahead`` blocks ahead."""

    def __init__(self, path: Path, encoding: str, ahead: int = 3) -> None:
        super().__init__()
        self._fh = path.open("rb")
        self._lock = threading.Lock()
        self._permits = threading.Semaphore(ahead)
        self._stopped = False
        name = codecs.lookup(encoding).name
        self._decoder = None if name == "utf-8" else codecs.getincrementaldecoder(name)("strict")
        self._pending = b""

    def readable(self) -> bool:
        """Yes."""
        return True

    def taken(self) -> None:
        """The consumer took a batch: one more block may be read."""
        self._permits.release()

    def stop(self) -> None:
        """End reading (consumer done or gone); wake a waiting reader."""
        with self._lock:
            self._stopped = True
            self._fh.close()
        self._permits.release(64)

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes of UTF-8 (all that is left when ``size`` is negative)."""
        self._permits.acquire(timeout=_WAIT)
        with self._lock:
            if self._stopped:
                return b""
            if self._decoder is None:
                return self._fh.read(size)
            return self._transcoded(size)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Read into ``buffer``; return the number of bytes."""
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _transcoded(self, size: int) -> bytes:
        if self._decoder is None:
            raise AssertionError("internal invariant broken: self._decoder is not None")
        while size < 0 or len(self._pending) < size:
            raw = self._fh.read(size - len(self._pending) if size > 0 else -1)
            self._pending += self._decoder.decode(raw, final=not raw).encode("utf-8")
            if not raw:
                break
        if size < 0:
            size = len(self._pending)
        out, self._pending = self._pending[:size], self._pending[size:]
        return out
