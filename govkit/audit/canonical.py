r"""Canonical JSON (RFC 8785 style) for audit events.

Keys are sorted by their UTF-16 code units, there is no insignificant
whitespace, strings are UTF-8 (not ``\\u`` escaped beyond what JSON needs) and
numbers follow the ECMAScript shortest form (``1.0`` is written ``1``).
Two equal events therefore always serialise to the same bytes, which is what
the hash chain covers.
"""

from __future__ import annotations

import json
import math
from typing import Any

from govkit.errors import AuditError

_encode_string = json.JSONEncoder(ensure_ascii=False).encode


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be")


def _number(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        raise AuditError("audit event: NaN and infinity cannot be serialised")
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"
    return text


def _write_object(value: dict[Any, Any], out: list[str]) -> None:
    if not all(isinstance(key, str) for key in value):
        raise AuditError("audit event: object keys must be strings")
    out.append("{")
    for i, key in enumerate(sorted(value, key=_utf16_key)):
        if i:
            out.append(",")
        out.append(_encode_string(key))
        out.append(":")
        _write(value[key], out)
    out.append("}")


def _write(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_encode_string(value))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(_number(value))
    elif isinstance(value, dict):
        _write_object(value, out)
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        raise AuditError(f"audit event: {type(value).__name__} values cannot be serialised")


def canonical_json(value: Any) -> str:
    """Return the canonical JSON text of ``value`` (dicts, lists, str, int, float, bool, None).

    Raises:
        AuditError: the value holds something JSON cannot express (NaN, bytes, objects).
    """
    out: list[str] = []
    _write(value, out)
    return "".join(out)
