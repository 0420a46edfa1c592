"""Vectorised ``normalize_value`` over a column: the same results, Python only for odd values.

Deterministic transforms normalise before they tokenize, hash or encrypt, so
``138-1234-5678``, ``+86 13812345678`` and ``１３８１２３４５６７８`` give one token.
``govkit.detect.normalize.normalize_value`` is the definition; this module only
takes shortcuts where its result is known without calling it (already-canonical
ASCII values, CN mobiles in common layouts). A property test pins the equality.
"""

from __future__ import annotations

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from govkit.detect.normalize import normalize_text, normalize_value

_ID_ENTITIES = frozenset(
    {
        "CN_RESIDENT_ID",
        "CN_USCC",
        "CREDIT_CARD",
        "IBAN_CODE",
        "CN_PASSPORT",
        "CN_HK_MACAU_PERMIT",
        "US_SSN",
    }
)
_PRINTABLE = r"^[!-~](?:[ -~]*[!-~])?$"
"""Printable ASCII without leading/trailing space: NFKC and strip leave it unchanged."""
_MOBILE = r"^(?:\+86|0086|86)?(?P<mobile>1[3-9][0-9]{9})$"
_SEPARATORS = r"[ \t\-().·/]+"
_block_valid: dict[str, bool] = {}


def _mobile_block_valid(number: str) -> bool:
    """Whether ``phonenumbers`` accepts a CN mobile; decided per 7-digit block (号段)."""
    block = number[:7]
    hit = _block_valid.get(block)
    if hit is None:
        parsed = phonenumbers.parse(number, "CN")
        hit = _block_valid[block] = bool(phonenumbers.is_valid_number(parsed))
    return hit


def _phones(strings: pa.Array) -> tuple[list[str | None], np.ndarray]:
    compact = pc.replace_substring_regex(pc.utf8_normalize(strings, "NFKC"), _SEPARATORS, "")
    mobile = pc.extract_regex(compact, _MOBILE)
    hit = pc.fill_null(pc.is_valid(mobile), False)
    numbers = pc.struct_field(mobile, [0]).to_pylist()
    out: list[str | None] = [None] * len(strings)
    done = np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
    originals: list[str | None] | None = None
    for i in np.flatnonzero(done):
        number = numbers[i]
        if _mobile_block_valid(number):
            out[i] = number
        else:
            originals = originals or strings.to_pylist()
            out[i] = normalize_text(originals[i] or "")
    return out, done


def _fast(entity: str | None, values: pa.Array) -> tuple[list[str | None], np.ndarray]:
    """Values whose normal form is known without Python, and the mask of those rows."""
    if entity == "PHONE_NUMBER":
        return _phones(values)
    if entity in _ID_ENTITIES:
        mask, fast = pc.match_substring_regex(values, r"^[0-9A-Za-z]+$"), pc.utf8_upper(values)
    elif entity == "EMAIL_ADDRESS":
        mask, fast = pc.match_substring_regex(values, _PRINTABLE), pc.utf8_lower(values)
    else:
        mask, fast = pc.match_substring_regex(values, _PRINTABLE), values
    done = np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)
    items: list[str | None] = fast.to_pylist()
    return items, done


def normalized(entity: str | None, values: pa.Array) -> list[str | None]:
    """``normalize_value(entity, v)`` for every value of a string array; nulls stay None."""
    out, done = _fast(entity, values)
    rest = np.flatnonzero(~done)
    if len(rest):
        originals = values.to_pylist()
        for i in rest:
            value = originals[i]
            if value is None:
                out[i] = None
            elif entity is None:
                out[i] = normalize_text(value)
            else:
                out[i] = normalize_value(entity, value)
    return out
