"""Self-describing tokens and ciphertexts: ``gk1.<key id>.<base64url payload>``.

The version and the key id travel with every value, so a rotated keyring still
reveals old data and reveal never has to guess the key.
"""

from __future__ import annotations

import base64
import binascii
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence

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


def tokens(encoded: Sequence[bytes | None]) -> pa.Array:
    """Finish a column of ``header + standard base64`` values: base64url alphabet, as text.

    The alphabet swap runs once over the Arrow data buffer (``bytes.translate``)
    instead of per value; headers and base64 are ASCII, so the bytes are valid UTF-8.

    Args:
        encoded: ``prefix(key_id) + binascii.b2a_base64(..., newline=False)`` per value;
            ``b""`` for an empty input (stays empty), None for null.
    """
    raw = pa.array(encoded, pa.binary())
    validity, offsets, data = raw.buffers()
    if data is None or data.size == 0:
        return raw.cast(pa.string())
    swapped = pa.py_buffer(data.to_pybytes().translate(_URLSAFE))
    return pa.Array.from_buffers(
        pa.string(), len(raw), [validity, offsets, swapped], raw.null_count
    )


def seal(
    values: pa.Array,
    protect: Callable[[list[bytes]], list[bytes]],
    *,
    cache: RunCache | None = None,
    ident: Hashable = None,
) -> pa.Array:
    """Run ``protect`` over the non-empty values only, as UTF-8 bytes, and put the results back.

    Nulls and empty strings are skipped in Arrow (no per-value test in the crypto
    loop); ``protect`` returns ``header + standard base64`` per value. A deterministic
    ``protect`` may pass the run's ``cache``: only values not yet protected under
    ``ident`` in this run reach ``protect``. Never for a randomised ``protect``
    (``encrypt``): equal plaintexts must not share a ciphertext.
    """
    present = pc.fill_null(pc.not_equal(values, ""), False)
    items: list[bytes] = values.filter(present).cast(pa.binary()).to_pylist()
    done = cache.resolve(ident, items, protect) if cache is not None else protect(items)
    return pc.replace_with_mask(values, present, tokens(done))


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
