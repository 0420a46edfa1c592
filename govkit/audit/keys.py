"""Audit keys: the chain HMAC key and the Ed25519 checkpoint signing key.

Both come from one 32-byte secret through HKDF-SHA256 with distinct ``info``
labels, so neither key reveals the other or the secret:

* with a master key (``GOVKIT_MASTER_KEY`` / ``GOVKIT_MASTER_KEY_FILE``) the
  secret is the master key;
* without one, govkit generates a random seed once and keeps it in
  ``audit-signing.key`` (mode 0600) in the store's state directory.

A chain keeps the key it was started with (:func:`load_audit_keys` picks the
offered key whose id the chain head carries), so setting a master key later
does not lock a log out.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from govkit.errors import AuditError, KeyMaterialError
from govkit.masterkey import load_master_key
from govkit.settings import GovkitSettings

HMAC_INFO = b"govkit/audit/chain-hmac/v1"
SIGNING_INFO = b"govkit/audit/checkpoint-ed25519/v1"
KEY_FILE_NAME = "audit-signing.key"
SIGNER_NAME = "govkit-audit"


def _hkdf(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def public_key_id(public: Ed25519PublicKey) -> str:
    """Return the signed-note style key id: ``SHA-256(name || 0x0A || 0x01 || pubkey)[:4]`` in hex."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(SIGNER_NAME.encode() + b"\n\x01" + raw).hexdigest()[:8]


def public_key_b64(public: Ed25519PublicKey) -> str:
    """Return the raw public key, base64."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_public_key(text: str) -> Ed25519PublicKey:
    """Parse a base64 raw Ed25519 public key.

    Raises:
        KeyMaterialError: not a 32-byte base64 key.
    """
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise KeyMaterialError("audit public key is not a base64 Ed25519 key") from exc


@dataclass(frozen=True)
class AuditKeys:
    """The keys one store writes and verifies with (never printed)."""

    mac_key: bytes
    mac_key_id: str
    signer: Ed25519PrivateKey
    source: str
    """``master-key`` or the path of the generated key file."""

    @property
    def public(self) -> Ed25519PublicKey:
        """The checkpoint verification key."""
        return self.signer.public_key()

    @property
    def key_id(self) -> str:
        """Id of the signing key (as in checkpoints)."""
        return public_key_id(self.public)

    @classmethod
    def from_secret(cls, secret: bytes, source: str) -> AuditKeys:
        """Derive both keys from a 32-byte secret."""
        mac_key = _hkdf(secret, HMAC_INFO)
        mac_id = hmac.digest(mac_key, b"govkit audit key id", "sha256").hex()[:8]
        signer = Ed25519PrivateKey.from_private_bytes(_hkdf(secret, SIGNING_INFO))
        return cls(mac_key=mac_key, mac_key_id=mac_id, signer=signer, source=source)


def _read_seed(path: Path) -> bytes:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyMaterialError(
            f"{path}: audit key file is accessible by group or others "
            f"(mode {stat.S_IMODE(mode):o}); run: chmod 600 {path}"
        )
    try:
        seed = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise KeyMaterialError(f"{path}: audit key file is not valid base64") from exc
    if len(seed) != 32:
        raise KeyMaterialError(f"{path}: audit key file must hold 32 bytes, got {len(seed)}")
    return seed


def _create_seed(path: Path) -> None:
    """Write a fresh seed atomically; a concurrent creator's file wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(base64.b64encode(secrets.token_bytes(32)).decode("ascii") + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def load_audit_keys(
    settings: GovkitSettings,
    state_dir: Path,
    *,
    create: bool = True,
    ephemeral: bool = False,
    chain_key_id: str | None = None,
) -> AuditKeys:
    """Return the audit keys the chain was written under.

    A log keeps the key it was started with: the keys on offer are the master key
    (when configured) and the generated key file (when present); the one whose id
    the chain's head carries is used, so configuring a master key after a log was
    started without one changes nothing for that log. A new (empty) chain uses the
    master key when one is configured, else the key file (generated on first use).

    Args:
        settings: where the master key comes from.
        state_dir: directory of the generated key file.
        create: generate the key file when a new chain needs it.
        ephemeral: without a master key, use a random in-memory key (for in-memory
            SQLite stores, which vanish with the process anyway).
        chain_key_id: the key id of the chain's last event (None for an empty chain).

    Raises:
        KeyMaterialError: the master key or key file is unusable.
        AuditError: no key on offer fits, or none exists and ``create`` is false.
    """
    master = load_master_key(settings, required=False)
    offered: list[AuditKeys] = []
    if master is not None:
        offered.append(AuditKeys.from_secret(master, "master-key"))
    path = state_dir / KEY_FILE_NAME
    if path.exists():
        offered.append(AuditKeys.from_secret(_read_seed(path), str(path)))
    if chain_key_id is not None:
        for keys in offered:
            if keys.mac_key_id == chain_key_id:
                return keys
        if offered:
            return offered[0]  # appends are refused and verify reports BAD_SIGNATURE
        raise AuditError(
            f"{path.parent}: the audit log was written under audit key id {chain_key_id} and "
            "no audit key is configured; set the master key the log was written with "
            "(GOVKIT_MASTER_KEY / GOVKIT_MASTER_KEY_FILE or master_key_file in govkit.yaml) "
            f"or restore {path} (docs/audit.md, 'Audit keys')"
        )
    if offered:
        return offered[0]
    if ephemeral:
        return AuditKeys.from_secret(secrets.token_bytes(32), "ephemeral")
    if not create:
        raise AuditError(f"{path}: no audit key (set GOVKIT_MASTER_KEY or keep this file)")
    try:
        _create_seed(path)
    except OSError as exc:
        raise AuditError(f"{path}: cannot create the audit key file: {exc.strerror}") from exc
    return AuditKeys.from_secret(_read_seed(path), str(path))
