"""The Dataset interface: a schema, a stream of Arrow record batches, a uniform sample."""

from __future__ import annotations

import functools
import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

import govkit.progress as progress

DEFAULT_BATCH_ROWS = 65_536


class Dataset(ABC):
    """A readable dataset. Subclasses stream batches; everything else derives from that.

    Attributes:
        uri: where the data lives, with credentials removed (safe to print).
        name: a short display name (file stem or table name).
    """

    uri: str
    name: str
    batch_rows: int = DEFAULT_BATCH_ROWS

    def __init_subclass__(cls, **kwargs: object) -> None:
        """Every reader's batches report their row counts to govkit.progress (counts only)."""
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("batches")
        if own is not None and not getattr(own, "_govkit_counted", False):
            cls.batches = _counting(own)  # type: ignore[method-assign]

    @property
    @abstractmethod
    def schema(self) -> pa.Schema:
        """Arrow schema of the batches."""

    @abstractmethod
    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        """Stream the data as record batches of at most ``batch_rows`` rows."""

    def count_rows(self) -> int:
        """Return the number of rows (streams the data unless a subclass knows better)."""
        return sum(b.num_rows for b in self.batches(columns=self.schema.names[:1]))

    def read_all(self, columns: Sequence[str] | None = None) -> pa.Table:
        """Read everything into one table (small data only)."""
        schema = (
            self.schema if columns is None else pa.schema([self.schema.field(c) for c in columns])
        )
        return pa.Table.from_batches(list(self.batches(columns)), schema=schema)

    def sample(self, n: int, seed: int = 0, columns: Sequence[str] | None = None) -> pa.Table:
        """Return a uniform random sample of ``n`` rows without replacement.

        Bottom-k sampling over the stream: every row draws a random key and the
        ``n`` smallest keys win, so memory stays at ``n`` rows plus one batch.
        """
        rng = np.random.default_rng(seed)
        kept: pa.Table | None = None
        kept_keys = np.empty(0)
        for batch in self.batches(columns):
            keys = np.concatenate([kept_keys, rng.random(batch.num_rows)])
            table = pa.Table.from_batches([batch])
            table = table if kept is None else pa.concat_tables([kept, table])
            if len(keys) > n:
                idx = np.argpartition(keys, n)[:n]
                idx.sort()
                table, keys = table.take(pa.array(idx)), keys[idx]
            kept, kept_keys = table, keys
        if kept is None:
            schema = (
                self.schema
                if columns is None
                else pa.schema([self.schema.field(c) for c in columns])
            )
            return schema.empty_table()
        return kept.combine_chunks()

    def fingerprint(self) -> str:
        """Return a SHA-256 over the data's Arrow IPC form: same content, same print."""
        digest = hashlib.sha256()
        for batch in self.batches():
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, batch.schema) as writer:
                writer.write_batch(batch)
            digest.update(sink.getvalue().to_pybytes())
        return "sha256:" + digest.hexdigest()


def _counting(
    batches: Callable[..., Iterator[pa.RecordBatch]],
) -> Callable[..., Iterator[pa.RecordBatch]]:
    @functools.wraps(batches)
    def wrapper(self: Dataset, *args: Any, **kwargs: Any) -> Iterator[pa.RecordBatch]:
        for batch in batches(self, *args, **kwargs):
            progress.advance(batch.num_rows)
            yield batch

    wrapper._govkit_counted = True  # type: ignore[attr-defined]
    return wrapper
