r"""The hash chain: what each row's hashes cover and how they link.

For event *n* of chain *c* (hashes are written as lower-case hex, and the hex
text is what the next link hashes)::

    projection = "\\x1f".join(ts, actor, role, action, outcome, dataset)   # "\\x1d" for NULL
    hash[n]    = SHA-256(0x01 || hash[n-1] || body || 0x1e || projection)
    mac[n]     = HMAC-SHA256(audit key, 0x02 || hash[n])
    hash[0]    = SHA-256("govkit-audit-genesis" || 0x00 || chain id)

``body`` is the canonical JSON of the whole event; the projection columns are
copies kept for SQL filtering and are hashed too, so editing either is caught.
The plain chain lets anyone holding an export recompute it; the MAC stops
someone without the audit key from recomputing it after an edit.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

PROJECTION = ("ts", "actor", "role", "action", "outcome", "dataset")
PROJECTION_LIMITS = {
    "ts": 32,
    "actor": 255,
    "role": 255,
    "action": 64,
    "outcome": 16,
    "dataset": 1024,
}
_SEP = "\x1f"
_NULL = "\x1d"
_CONTROL = ("\x1f", "\x1e", "\x1d", "\x00")

_sha256 = hashlib.sha256
_hmac = hmac.digest


def genesis(chain_id: str) -> str:
    """Return the hex hash that the first event of ``chain_id`` links to."""
    return _sha256(b"govkit-audit-genesis\x00" + chain_id.encode("utf-8")).hexdigest()


def project(event: dict[str, object]) -> dict[str, str | None]:
    """Return the projection columns of an event.

    Separator characters are replaced, values capped to their column width and
    empty strings stored as NULL (so an empty string and NULL hash alike).
    """
    out: dict[str, str | None] = {}
    for name in PROJECTION:
        value = event.get(name)
        if value is None or value == "":
            out[name] = None
        else:
            text = str(value)
            for char in _CONTROL:
                text = text.replace(char, "\ufffd")
            out[name] = text[: PROJECTION_LIMITS[name]]
    return out


def projection_bytes(values: Sequence[str | None]) -> bytes:
    """Return the hashed form of the projection values (in ``PROJECTION`` order)."""
    return _SEP.join(_NULL if v is None else v for v in values).encode("utf-8")


def row_hash(prev_hex: str, body: str, projection: Sequence[str | None]) -> str:
    """Return the hex chain hash of a row (what writers store and verifiers recompute)."""
    data = b"\x01" + prev_hex.encode("ascii") + body.encode("utf-8") + b"\x1e"
    return _sha256(data + projection_bytes(projection)).hexdigest()


def row_mac(key: bytes, hash_hex: str) -> str:
    """Return the hex HMAC of a chain hash under the audit key."""
    return _hmac(key, b"\x02" + hash_hex.encode("ascii"), "sha256").hex()
