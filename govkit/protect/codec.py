"""Self-describing tokens and ciphertexts: ``gk1.<key id>.<base64url payload>``.

The version and the key id travel with every value, so a rotated keyring still
reveals old data and reveal never has to guess the key.
"""

from __future__ import annotations

import base64
import binascii
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from operator import itemgetter

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from govkit.errors import DecryptionError, KeyMaterialError
from govkit.protect.base import TOKEN_VERSION
from govkit.protect.cache import RunCache
from govkit.protect.keys import DataKey, KeyProvider, Purpose

_PAD = ("", "===", "==", "=")


def prefix(key_id: str) -> bytes:
    """The header every value protected with ``key_id`` starts with."""
    return f"{TOKEN_VERSION}.{key_id}.".encode("ascii")


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def encode(head: bytes, payloads: Sequence[bytes]) -> pa.Array:
    """``head + base64url(payload)`` (padded) per payload, as a ``string`` array, in bulk.

    Equal to ``head + binascii.b2a_base64(p, newline=False)`` with ``+/`` read as ``-_``,
    without per-value Python: payloads of one length are laid out as the rows of a
    byte matrix, zero-filled to a multiple of 3 bytes and base64-encoded in one call
    (each row then encodes on its own 4-character boundary); the characters that
    stand for the fill become ``=``, as in per-value padding. Mixed lengths are
    encoded grouped by length and put back in row order. Payloads are not empty.
    """
    n = len(payloads)
    if n > 1 << 20:  # keeps every batch's text well below the 2 GiB of int32 offsets
        half = n // 2
        return pa.concat_arrays([encode(head, payloads[:half]), encode(head, payloads[half:])])
    lengths = np.fromiter(map(len, payloads), dtype=np.int64, count=n)
    if n < 2 or (lengths == lengths[0]).all():
        return _encode_rows(head, b"".join(payloads), lengths)
    order = np.argsort(lengths, kind="stable")
    grouped = itemgetter(*order.tolist())(payloads)
    return encode_ordered(head, b"".join(grouped), lengths[order], order)


def encode_ordered(
    head: bytes,
    blob: bytes | npt.NDArray[np.uint8],
    lengths: npt.NDArray[np.int64],
    order: npt.NDArray[np.int64],
) -> pa.Array:
    """:func:`encode` of payloads laid end to end in ``blob`` in the row order ``order``.

    ``lengths`` are the payloads' lengths in that order, equal lengths adjacent (runs);
    the result is in the rows' own order.
    """
    encoded = _encode_rows(head, blob, lengths)
    if len(order) < 2 or (np.diff(order) == 1).all():
        return encoded
    back = np.empty(len(order), dtype=np.int64)
    back[order] = np.arange(len(order))
    return encoded.take(pa.array(back))


def _encode_rows(
    head: bytes, blob: bytes | npt.NDArray[np.uint8], lengths: npt.NDArray[np.int64]
) -> pa.Array:
    """:func:`encode` of payloads laid end to end in ``blob``, in runs of equal length."""
    n = len(lengths)
    width = len(head) + 4 * ((lengths + 2) // 3)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(width, out=offsets[1:])
    data = blob if isinstance(blob, np.ndarray) else np.frombuffer(blob, dtype=np.uint8)
    header = np.frombuffer(head, dtype=np.uint8)
    runs = np.flatnonzero(np.diff(lengths, prepend=-1, append=-1))  # where a length starts
    pieces = []
    at = 0
    for first, end in zip(runs[:-1].tolist(), runs[1:].tolist(), strict=True):
        rows, size = end - first, int(lengths[first])
        padded = -(-size // 3) * 3
        block = np.zeros((rows, padded), dtype=np.uint8)
        block[:, :size] = data[at : at + rows * size].reshape(rows, size)
        at += rows * size
        text = binascii.b2a_base64(block.tobytes(), newline=False).translate(_URLSAFE)
        line = np.empty((rows, len(head) + len(text) // max(rows, 1)), dtype=np.uint8)
        line[:, : len(head)] = header
        line[:, len(head) :] = np.frombuffer(text, dtype=np.uint8).reshape(rows, -1)
        if padded > size:
            line[:, size - padded :] = ord("=")
        pieces.append(line.reshape(-1))
    out = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.uint8)
    return pa.Array.from_buffers(
        pa.string(), n, [None, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(out)]
    )


def seal(
    values: pa.Array,
    protect: Callable[[list[bytes]], list[bytes]],
    *,
    head: bytes,
    cache: RunCache | None = None,
    ident: Hashable = None,
) -> pa.Array:
    """Run ``protect`` over the non-empty values only, as UTF-8 bytes, and put the results back.

    Nulls and empty strings are skipped in Arrow (no per-value test in the crypto
    loop); ``protect`` returns the raw payload (ciphertext or MAC) per value, and
    :func:`encode` turns them into ``head + base64url`` in bulk. A deterministic
    ``protect`` may pass the run's ``cache``: only values not yet protected under
    ``ident`` in this run reach ``protect``. Never for a randomised ``protect``
    (``encrypt``): equal plaintexts must not share a ciphertext.
    """
    present = pc.fill_null(pc.not_equal(values, ""), False)
    items: list[bytes] = values.filter(present).cast(pa.binary()).to_pylist()
    done = cache.resolve(ident, items, protect) if cache is not None else protect(items)
    return pc.replace_with_mask(values, present, encode(head, done))


def seal_bulk(
    values: pa.Array,
    protect: Callable[
        [pa.Array], tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], npt.NDArray[np.int64]]
    ],
    *,
    head: bytes,
) -> pa.Array:
    """:func:`seal` for a ``protect`` that works on a whole ``binary`` array in bulk.

    ``protect`` gets the non-empty values and returns their payloads end to end, the
    payload lengths and the row order they are in (as :meth:`SivEncryptor.encrypt_array
    <govkit.protect.siv.SivEncryptor.encrypt_array>`); no per-value Python on either side.
    """
    present = pc.fill_null(pc.not_equal(values, ""), False)
    items = values.filter(present).cast(pa.binary())
    # chunks whose token text stays far below the 2 GiB that int32 offsets can address
    rows = max(1, min(_BULK_ROWS, _BULK_BYTES * len(items) // max(items.nbytes, 1)))
    parts = []
    for start in range(0, max(len(items), 1), rows):
        blob, lengths, order = protect(items.slice(start, rows))
        parts.append(encode_ordered(head, blob, lengths, order))
    protected = parts[0] if len(parts) == 1 else pa.concat_arrays(parts)
    return pc.replace_with_mask(values, present, protected)


_BULK_ROWS = 1 << 20
_BULK_BYTES = 256 << 20


def b64decode(payload: str) -> bytes:
    """Decode base64url, padded or not."""
    return base64.urlsafe_b64decode(payload + _PAD[len(payload) % 4])


def reveal_column(
    values: pa.Array,
    keys: KeyProvider,
    *,
    column: str,
    purpose: Purpose,
    make: Callable[[DataKey], Callable[[bytes], bytes]],
) -> pa.Array:
    """Decode ``gk1`` values, group by key id, and open each with ``make(key)``.

    Args:
        values: protected strings (nulls and empty strings pass through).
        keys: where the keys come from.
        column: for error messages.
        purpose: the key purpose the values must carry.
        make: returns a function that opens one payload with a key.

    Raises:
        DecryptionError: a value is not a token of this kind, or does not verify.
        KeyMaterialError: a key is unknown or destroyed.
    """
    items = values.to_pylist()
    by_key: dict[str, list[int]] = defaultdict(list)
    payloads: list[str] = [""] * len(items)
    for i, item in enumerate(items):
        if not item:
            continue
        parts = item.split(".", 2)
        if len(parts) != 3 or parts[0] != TOKEN_VERSION:
            raise DecryptionError(f"column {column!r}, row {i}: not a govkit token")
        by_key[parts[1]].append(i)
        payloads[i] = parts[2]
    out: list[str | None] = list(items)
    for key_id, rows in by_key.items():
        key = keys.get(key_id)
        if key.purpose != purpose:
            raise KeyMaterialError(
                f"column {column!r}: key {key_id} is a {key.purpose} key, not {purpose}"
            )
        opener = make(key)
        for i in rows:
            try:
                out[i] = opener(b64decode(payloads[i])).decode("utf-8")
            except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
                raise DecryptionError(
                    f"column {column!r}, row {i}: value does not verify under key {key_id} "
                    "(wrong key or tampered)"
                ) from exc
    return pa.array(out, pa.string())
