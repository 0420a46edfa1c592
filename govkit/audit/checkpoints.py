"""Ed25519-signed checkpoints of a chain, kept outside the database.

A checkpoint says "chain C had SIZE events and its head hash was H", signed
with the audit signing key. The signed text follows the C2SP signed-note idea
(origin, size, hash on separate lines)::

    govkit-audit-checkpoint/1
    <chain id>
    <size>
    <head hash, hex>
    <signed at, RFC 3339 UTC>

The checkpoint file beside the store holds the newest checkpoint as one JSON
object; it only ever moves forward (a writer never replaces a larger size).
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict

from govkit._files import write_text_atomic as write_text_atomic_file
from govkit.audit.events import utc_now
from govkit.audit.keys import AuditKeys, public_key_b64
from govkit.errors import AuditError

FORMAT = "govkit-audit-checkpoint/1"


class Checkpoint(BaseModel):
    """A signed head of an audit chain (in run reports, exports and checkpoint files)."""

    model_config = ConfigDict(extra="forbid")

    chain_id: str | None = None
    size: int | None = None
    head_hash: str | None = None
    key_id: str | None = None
    signature: str | None = None
    signed_at: str | None = None


def signed_text(cp: Checkpoint) -> bytes:
    """Return the exact bytes a checkpoint signature covers."""
    return f"{FORMAT}\n{cp.chain_id}\n{cp.size}\n{cp.head_hash}\n{cp.signed_at}\n".encode()


def sign_checkpoint(keys: AuditKeys, chain_id: str, size: int, head_hash: str) -> Checkpoint:
    """Return a signed checkpoint of a chain head."""
    cp = Checkpoint(
        chain_id=chain_id, size=size, head_hash=head_hash, key_id=keys.key_id, signed_at=utc_now()
    )
    cp.signature = base64.b64encode(keys.signer.sign(signed_text(cp))).decode("ascii")
    return cp


def signature_ok(cp: Checkpoint, public: Ed25519PublicKey) -> bool:
    """Return True when the checkpoint's signature verifies under ``public``."""
    if not cp.signature:
        return False
    try:
        public.verify(base64.b64decode(cp.signature, validate=True), signed_text(cp))
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def to_json(cp: Checkpoint, keys: AuditKeys | None = None) -> dict[str, Any]:
    """Return the file form of a checkpoint (with the public key, for auditors)."""
    data: dict[str, Any] = {"format": FORMAT, **cp.model_dump()}
    if keys is not None:
        data["public_key"] = public_key_b64(keys.public)
    return data


def read_checkpoint(path: Path) -> Checkpoint:
    """Read a checkpoint file, or the checkpoint inside a run report JSON (``audit.checkpoint``).

    Raises:
        AuditError: unreadable or not a govkit checkpoint.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AuditError(f"{path}: cannot read the checkpoint: {exc.strerror}") from exc
    except ValueError as exc:
        raise AuditError(f"{path}: checkpoint is not valid JSON") from exc
    if isinstance(data, dict) and isinstance(data.get("audit"), dict):  # a run report
        if not isinstance(data["audit"].get("checkpoint"), dict):
            raise AuditError(f"{path}: run report holds no audit checkpoint")
        data = {"format": FORMAT, **data["audit"]["checkpoint"]}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise AuditError(f"{path}: not a govkit audit checkpoint ({FORMAT}) or run report")
    fields = {k: data.get(k) for k in Checkpoint.model_fields}
    try:
        return Checkpoint.model_validate(fields)
    except ValueError as exc:
        raise AuditError(f"{path}: checkpoint fields are invalid") from exc


def write_json_atomic(path: Path, data: dict[str, Any], *, fsync: bool = True) -> None:
    """Write JSON to a temporary file and rename it over ``path``."""
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", fsync=fsync)


def write_text_atomic(path: Path, text: str, *, fsync: bool = True) -> None:
    """Write text to a temporary file beside ``path`` (fsynced if asked) and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic_file(path, text, fsync=fsync)


def advance_checkpoint_file(
    path: Path,
    cp: Checkpoint,
    keys: AuditKeys,
    hash_at: Callable[[int], str | None] | None = None,
) -> None:
    """Store ``cp`` in the checkpoint file unless the file already holds a larger size.

    Args:
        path: the checkpoint file.
        cp: the new checkpoint.
        keys: the audit keys (the file records the public key).
        hash_at: the chain's hash at a seq; when given, a validly signed checkpoint in
            the file is replaced only if the chain still passes through its head, so
            events appended to an older copy of the database cannot overwrite it.

    Raises:
        AuditError: the file cannot be written, or it belongs to another chain or to
            another history of this chain (a replaced database — run ``govkit audit
            verify``; move the old checkpoint away deliberately to start over).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if path.exists():
                old = read_checkpoint(path)
                if old.chain_id != cp.chain_id:
                    raise AuditError(
                        f"{path}: checkpoint belongs to chain {old.chain_id}, the store is "
                        f"{cp.chain_id}; was the database replaced? (move the file away to start over)"
                    )
                if (old.size or 0) >= (cp.size or 0):
                    return
                if (
                    hash_at is not None
                    and old.size
                    and old.key_id == keys.key_id
                    and signature_ok(old, keys.public)
                    and hash_at(old.size) != old.head_hash
                ):
                    raise AuditError(
                        f"{path}: the chain no longer passes through the signed head at seq "
                        f"{old.size}; was the database replaced? (run govkit audit verify)"
                    )
            # No fsync: the commit it describes is already durable, so after a crash the
            # file can only be behind the database (UNANCHORED), never ahead of it; the
            # rename keeps it whole. It halves the cost of an append on this VM.
            write_json_atomic(path, to_json(cp, keys), fsync=False)
    except OSError as exc:
        raise AuditError(f"{path}: cannot write the checkpoint: {exc.strerror}") from exc
