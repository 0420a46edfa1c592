r"""The hash chain: what each row's hashes cover and how they link.

For event *n* of chain *c*::

    projection = "\\x1f".join(ts, actor, role, action, outcome, dataset)   # "\\x00" for NULL
    leaf[n]    = SHA-256(0x00 || body || 0x1e || projection)
    hash[n]    = SHA-256(0x01 || hash[n-1] || leaf[n])                   # all raw 32-byte digests
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
_NULL = "\x00"

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
            text = (
                str(value)
                .replace(_SEP, "\ufffd")
                .replace(_NULL, "\ufffd")
                .replace("\x1e", "\ufffd")
            )
            out[name] = text[: PROJECTION_LIMITS[name]]
    return out


def projection_bytes(values: Sequence[str | None]) -> bytes:
    """Return the hashed form of the projection values (in ``PROJECTION`` order)."""
    return _SEP.join(_NULL if v is None else v for v in values).encode("utf-8")


def leaf_hash(body: str, projection: Sequence[str | None]) -> bytes:
    """Return the 32-byte leaf digest of one event."""
    return _sha256(b"\x00" + body.encode("utf-8") + b"\x1e" + projection_bytes(projection)).digest()


def link_hash(prev_hex: str, leaf: bytes) -> str:
    """Return the hex chain hash of an event given its predecessor's."""
    return _sha256(b"\x01" + bytes.fromhex(prev_hex) + leaf).hexdigest()


def row_hash(prev_hex: str, body: str, projection: Sequence[str | None]) -> str:
    """Return the hex chain hash of a stored row (what writers store and verifiers recompute)."""
    return link_hash(prev_hex, leaf_hash(body, projection))


def row_mac(key: bytes, hash_hex: str) -> str:
    """Return the hex HMAC of a chain hash under the audit key."""
    return _hmac(key, b"\x02" + bytes.fromhex(hash_hex), "sha256").hex()
