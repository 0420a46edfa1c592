"""``normalize_value``: a value in the form its entity is matched, compared and protected by.

Deterministic transforms normalise before they tokenize, hash or encrypt, so
``138-1234-5678``, ``+86 13812345678`` and ``１３８１２３４５６７８`` give one token;
validate's duplicate check compares the same keys. :func:`normalize_value` is
the definition; :func:`normalized_array` gives the same result for a whole
Arrow array, with Python only for values the fast paths cannot settle.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from govkit.normalize.phones import normalize_phone, phone_numbers
from govkit.normalize.text import ID_ENTITIES, normalize_id, normalize_text

__all__ = ["normalize_value", "normalized", "normalized_array", "normalized_bytes"]

_PRINTABLE = r"^[!-~](?:[ -~]*[!-~])?$"
"""Printable ASCII without leading/trailing space: NFKC and strip leave it unchanged."""


def normalize_value(entity: str | None, value: str) -> str:
    """Normalise ``value`` the way entity ``entity`` is matched.

    Phone numbers use :func:`~govkit.normalize.phones.normalize_phone` (the text
    form when it is not a phone), identifiers :func:`normalize_id`, e-mail
    addresses are lower-cased; everything else (and ``None``) goes through
    :func:`normalize_text`.
    """
    if entity == "PHONE_NUMBER":
        return normalize_phone(value) or normalize_text(value)
    if entity in ID_ENTITIES:
        return normalize_id(value)
    if entity == "EMAIL_ADDRESS":
        return normalize_text(value).lower()
    return normalize_text(value)


def _phones(values: pa.Array) -> pa.Array:
    found = phone_numbers(values)
    rest = np.flatnonzero(~found.valid & np.asarray(values.is_valid(), dtype=bool))
    if not rest.size:
        return found.array
    originals = values.take(pa.array(rest)).to_pylist()
    texts = pa.array([normalize_text(v) for v in originals], pa.string())
    mask = np.zeros(len(values), dtype=bool)
    mask[rest] = True
    return pc.replace_with_mask(found.array, pa.array(mask), texts)


def normalized_array(entity: str | None, values: pa.Array) -> pa.Array:
    """``normalize_value(entity, v)`` over a string array, as a string array; nulls stay null."""
    if entity == "PHONE_NUMBER":
        return _phones(values)
    if entity in ID_ENTITIES:  # ASCII letters and digits only: normalize_id is upper()
        mask = pc.and_(pc.string_is_ascii(values), pc.utf8_is_alnum(values))
        fast = pc.ascii_upper(values)
    elif entity == "EMAIL_ADDRESS":
        mask, fast = pc.match_substring_regex(values, _PRINTABLE), pc.ascii_lower(values)
    else:
        mask, fast = pc.match_substring_regex(values, _PRINTABLE), values
    slow = pc.invert(pc.fill_null(mask, True))  # nulls are "done": they stay null
    rows = np.flatnonzero(np.asarray(slow.to_numpy(zero_copy_only=False), dtype=bool))
    if not len(rows):
        return fast
    originals = values.take(pa.array(rows)).to_pylist()
    fixed = pa.array([normalize_value(entity, v) for v in originals], pa.string())
    return pc.replace_with_mask(fast, slow, fixed)


def normalized(entity: str | None, values: pa.Array) -> list[str | None]:
    """``normalize_value(entity, v)`` for every value of a string array; nulls stay None."""
    items: list[str | None] = normalized_array(entity, values).to_pylist()
    return items


def normalized_bytes(entity: str | None, values: pa.Array) -> list[bytes | None]:
    """Normalised values as UTF-8 bytes (what the crypto primitives take), without per-value encode."""
    items: list[bytes | None] = normalized_array(entity, values).cast(pa.binary()).to_pylist()
    return items
