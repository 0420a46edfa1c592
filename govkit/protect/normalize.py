"""Vectorised ``normalize_value`` over a column: the same results, Python only for odd values.

Deterministic transforms normalise before they tokenize, hash or encrypt, so
``138-1234-5678``, ``+86 13812345678`` and ``１３８１２３４５６７８`` give one token.
``govkit.detect.normalize.normalize_value`` is the definition; this module only
takes shortcuts where its result is known without calling it: already-canonical
ASCII values, and CN mobiles and landlines, whose validity is checked in Arrow with
the ``phonenumbers`` metadata patterns. A property test pins the equality.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from govkit.detect.normalize import ID_ENTITIES, normalize_text, normalize_value
from govkit.protect.phones import any_type, international

_PRINTABLE = r"^[!-~](?:[ -~]*[!-~])?$"
"""Printable ASCII without leading/trailing space: NFKC and strip leave it unchanged."""
_CN_CANDIDATE = r"^(?:(?:\+86|0086|86)?(?P<mobile>1[3-9][0-9]{9})|0(?P<landline>[1-9][0-9]{8,10}))$"
_SEPARATORS = r"[ \t\-().·/]+"


def cn_valid(numbers: pa.Array) -> np.ndarray:
    """``phonenumbers.is_valid_number`` for CN national numbers, vectorised from its own metadata."""
    return any_type(numbers, "CN")


def _phones(strings: pa.Array) -> tuple[list[str | None], np.ndarray]:
    """CN mobiles (``+86``/``0086``/``86`` or none) and ``0``-prefixed landlines in Arrow."""
    compact = pc.replace_substring_regex(pc.utf8_normalize(strings, "NFKC"), _SEPARATORS, "")
    found = pc.extract_regex(compact, _CN_CANDIDATE)
    number = pc.coalesce(
        pc.if_else(pc.equal(pc.struct_field(found, [0]), ""), None, pc.struct_field(found, [0])),
        pc.if_else(pc.equal(pc.struct_field(found, [1]), ""), None, pc.struct_field(found, [1])),
    )
    shaped = np.asarray(
        pc.fill_null(pc.is_valid(number), False).to_numpy(zero_copy_only=False), dtype=bool
    )
    valid = np.zeros(len(strings), dtype=bool)
    rows = np.flatnonzero(shaped)
    valid[rows] = cn_valid(number.take(pa.array(rows)))
    out: list[str | None] = number.to_pylist()
    rest = np.flatnonzero(~shaped)
    intl, handled, intl_valid = international(compact.take(pa.array(rest)))
    for j in np.flatnonzero(handled):
        out[rest[j]] = intl[j]
    shaped[rest[handled]] = True
    valid[rest[intl_valid]] = True
    invalid = np.flatnonzero(shaped & ~valid)
    if len(invalid):
        originals = strings.to_pylist()
        for i in invalid:
            out[i] = normalize_text(originals[i] or "")
    return out, shaped


def _slow(entity: str | None, value: str) -> str:
    return normalize_text(value) if entity is None else normalize_value(entity, value)


def normalized_array(entity: str | None, values: pa.Array) -> pa.Array:
    """``normalize_value(entity, v)`` over a string array, as a string array; nulls stay null."""
    if entity == "PHONE_NUMBER":
        items, done = _phones(values)
        rest = np.flatnonzero(~done)
        if len(rest):
            originals = values.to_pylist()
            for i in rest:
                value = originals[i]
                items[i] = None if value is None else _slow(entity, value)
        return pa.array(items, pa.string())
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
    fixed = pa.array([_slow(entity, v) for v in originals], pa.string())
    return pc.replace_with_mask(fast, slow, fixed)


def normalized(entity: str | None, values: pa.Array) -> list[str | None]:
    """``normalize_value(entity, v)`` for every value of a string array; nulls stay None."""
    items: list[str | None] = normalized_array(entity, values).to_pylist()
    return items


def normalized_bytes(entity: str | None, values: pa.Array) -> list[bytes | None]:
    """Normalised values as UTF-8 bytes (what the crypto primitives take), without per-value encode."""
    items: list[bytes | None] = normalized_array(entity, values).cast(pa.binary()).to_pylist()
    return items
