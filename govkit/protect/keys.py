"""Data keys: the ``KeyProvider`` interface and the local keyring behind it.

Each purpose (tokenize, encrypt, hash, fpe, audit) has its own data keys. A key
is ``active`` (used for new data), ``retired`` (still decrypts old data) or
``destroyed`` (its material is gone: crypto-shredding). Key ids travel with every
token and ciphertext, so reveal picks the right key after a rotation.

``LocalKeyring`` stores the data keys in one JSON file, each wrapped with
AES-256-GCM under the master key (``govkit.masterkey``); the file is written
atomically with mode 0600. Key material is never printed, logged or written
unwrapped. A cloud KMS or Vault plugs in by implementing :class:`KeyProvider`.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import json
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol, get_args, runtime_checkable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel

from govkit._files import write_text_atomic
from govkit.errors import KeyMaterialError, UsageError
from govkit.masterkey import load_master_key
from govkit.settings import GovkitSettings

Purpose = Literal["tokenize", "encrypt", "hash", "fpe", "audit"]
PURPOSES: tuple[Purpose, ...] = get_args(Purpose)
KeyStatus = Literal["active", "retired", "destroyed"]

KEY_BYTES: dict[Purpose, int] = {"tokenize": 64, "encrypt": 32, "hash": 32, "fpe": 32, "audit": 32}
"""AES-SIV takes a 512-bit key (two AES-256 halves); the others are 256-bit."""
ID_PREFIX: dict[Purpose, str] = {
    "tokenize": "tk",
    "encrypt": "ek",
    "hash": "hk",
    "fpe": "fk",
    "audit": "ak",
}


class KeyInfo(BaseModel):
    """What may be shown about a key: never its material."""

    id: str
    purpose: Purpose
    status: KeyStatus
    created: str
    changed: str | None = None


@dataclass(frozen=True)
class DataKey:
    """A usable data key. ``material`` is excluded from ``repr`` so it never reaches a log."""

    id: str
    purpose: Purpose
    material: bytes = field(repr=False)


@runtime_checkable
class KeyProvider(Protocol):
    """Where data keys come from: the local keyring, or a KMS/Vault adapter."""

    def active(self, purpose: Purpose) -> DataKey:
        """The key new data is protected with. Raises KeyMaterialError when there is none."""

    def get(self, key_id: str) -> DataKey:
        """A key by id, to reveal or verify. Raises KeyMaterialError if unknown or destroyed."""

    def list(self) -> list[KeyInfo]:
        """Every key the provider knows, destroyed ones included."""

    def rotate(self, purpose: Purpose) -> KeyInfo:
        """Make a new active key; the previous one is retired (still reveals)."""

    def retire(self, key_id: str) -> KeyInfo:
        """Stop using a key for new data; it still reveals."""

    def destroy(self, key_id: str) -> KeyInfo:
        """Erase a key's material for good (crypto-shredding)."""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _aad(key_id: str, purpose: str) -> bytes:
    return f"govkit-keyring-v1|{key_id}|{purpose}".encode()


def _well_formed(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and all(isinstance(entry.get(k), str) for k in ("id", "created", "wrapped"))
        and entry.get("purpose") in PURPOSES
        and entry.get("status") in get_args(KeyStatus)
    )


class LocalKeyring:
    """Data keys in a JSON file, wrapped by the master key.

    Args:
        path: the keyring file.
        master_key: 32 bytes that wrap every data key.
    """

    def __init__(self, path: Path, master_key: bytes) -> None:
        self.path = path
        self._wrap = AESGCM(master_key)
        self._entries: list[dict[str, str]] = []
        self._cache: dict[str, DataKey] = {}
        if path.exists():
            self._load()

    @classmethod
    def create(cls, path: Path, master_key: bytes) -> LocalKeyring:
        """Make a new keyring with one active key per purpose. Refuses to overwrite one."""
        ring = cls(path, master_key)
        with ring._locked():
            if path.exists():
                raise UsageError(f"{path}: keyring already exists (use `govkit keys rotate`)")
            for purpose in PURPOSES:
                ring._add(purpose)
            ring.save()
        return ring

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold an exclusive lock on the keyring while changing it, re-reading it first.

        Without it, two processes changing keys at once each save their own stale
        copy: a rotate could put back the wrapped key another one had just destroyed.
        """
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.path.exists():
                self._load()
            yield

    def _load(self) -> None:
        with contextlib.suppress(OSError):  # a missing file is reported below
            mode = self.path.stat().st_mode
            if mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise KeyMaterialError(
                    f"{self.path}: keyring is accessible by group or others "
                    f"(mode {stat.S_IMODE(mode):o}); run: chmod 600 {self.path}"
                )
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            entries = data["keys"]
            if data.get("version") != 1 or not isinstance(entries, list):
                raise ValueError("unsupported keyring version")
            if not all(_well_formed(e) for e in entries):
                raise ValueError("malformed key entry")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KeyMaterialError(
                f"{self.path}: keyring unreadable ({type(exc).__name__})"
            ) from exc
        self._entries = entries

    def save(self) -> None:
        """Write the keyring atomically with mode 0600 (directory 0700 when created)."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        text = json.dumps({"version": 1, "keys": self._entries}, indent=1)
        try:
            write_text_atomic(self.path, text, mode=0o600, fsync=True)
        except OSError as exc:
            raise KeyMaterialError(f"{self.path}: cannot write keyring ({exc.strerror})") from exc

    def _add(self, purpose: Purpose) -> dict[str, str]:
        key_id = f"{ID_PREFIX[purpose]}-{secrets.token_hex(4)}"
        nonce = os.urandom(12)
        wrapped = nonce + self._wrap.encrypt(
            nonce, secrets.token_bytes(KEY_BYTES[purpose]), _aad(key_id, purpose)
        )
        entry = {
            "id": key_id,
            "purpose": purpose,
            "status": "active",
            "created": _now(),
            "wrapped": base64.b64encode(wrapped).decode("ascii"),
        }
        self._entries.append(entry)
        return entry

    def _entry(self, key_id: str) -> dict[str, str]:
        for entry in self._entries:
            if entry["id"] == key_id:
                return entry
        raise KeyMaterialError(f"{self.path}: no key {key_id!r} in the keyring")

    def _unwrap(self, entry: dict[str, str]) -> DataKey:
        key_id = entry["id"]
        if entry["status"] == "destroyed" or not entry.get("wrapped"):
            raise KeyMaterialError(
                f"key {key_id} was destroyed on {entry.get('changed')}: "
                "data protected with it can no longer be revealed"
            )
        if key_id in self._cache:
            return self._cache[key_id]
        try:
            blob = base64.b64decode(entry["wrapped"], validate=True)
            material = self._wrap.decrypt(blob[:12], blob[12:], _aad(key_id, entry["purpose"]))
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise KeyMaterialError(
                f"{self.path}: key {key_id} does not unwrap: wrong master key or tampered keyring"
            ) from exc
        key = DataKey(key_id, entry["purpose"], material)  # type: ignore[arg-type]
        self._cache[key_id] = key
        return key

    def active(self, purpose: Purpose) -> DataKey:
        """The newest active key of ``purpose``."""
        for entry in reversed(self._entries):
            if entry["purpose"] == purpose and entry["status"] == "active":
                return self._unwrap(entry)
        raise KeyMaterialError(
            f"{self.path}: no active {purpose} key (run `govkit keys init` or `govkit keys rotate {purpose}`)"
        )

    def get(self, key_id: str) -> DataKey:
        """A key by id (active or retired)."""
        return self._unwrap(self._entry(key_id))

    def list(self) -> list[KeyInfo]:
        """Metadata of every key, oldest first."""
        fields = ("id", "purpose", "status", "created", "changed")
        return [KeyInfo(**{k: e[k] for k in fields if k in e}) for e in self._entries]  # type: ignore[arg-type]

    def _info(self, entry: dict[str, str]) -> KeyInfo:
        return next(i for i in self.list() if i.id == entry["id"])

    def rotate(self, purpose: Purpose) -> KeyInfo:
        """New active key for ``purpose``; earlier active ones become retired. Saves."""
        if purpose not in PURPOSES:
            raise UsageError(f"unknown key purpose {purpose!r} (one of: {', '.join(PURPOSES)})")
        with self._locked():
            self._check_master()
            for entry in self._entries:
                if entry["purpose"] == purpose and entry["status"] == "active":
                    entry.update(status="retired", changed=_now())
            entry = self._add(purpose)
            self.save()
        return self._info(entry)

    def _check_master(self) -> None:
        """Refuse to add a key unless the master key opens every key still held."""
        # else a rotate under a wrong master key adds a key the real one cannot open
        for entry in self._entries:
            if entry["status"] != "destroyed":
                self._unwrap(entry)

    def retire(self, key_id: str) -> KeyInfo:
        """Mark a key retired. Saves."""
        with self._locked():
            entry = self._entry(key_id)
            if entry["status"] == "destroyed":
                raise KeyMaterialError(f"key {key_id} is destroyed; it cannot be retired")
            self._unwrap(entry)  # refuses a master key that cannot open it
            entry.update(status="retired", changed=_now())
            self.save()
        return self._info(entry)

    def destroy(self, key_id: str) -> KeyInfo:
        """Erase the wrapped material; keep the id so reveal can say what happened. Saves."""
        with self._locked():
            entry = self._entry(key_id)
            if entry["status"] == "destroyed":  # keep the date reveal reports
                return self._info(entry)
            self._unwrap(entry)  # refuses a master key that cannot open it
            entry.update(status="destroyed", changed=_now(), wrapped="")
            self._cache.pop(key_id, None)
            self.save()
        return self._info(entry)


def open_keyring(settings: GovkitSettings, *, create: bool = False) -> KeyProvider:
    """Open (or, with ``create``, make) the local keyring named by the settings.

    Raises:
        KeyMaterialError: no master key, no keyring, or the keyring is unreadable.
    """
    master = load_master_key(settings)
    if master is None:  # required=True never returns None
        raise AssertionError("internal invariant broken: master is not None")
    path = Path(settings.keyring)
    if create:
        return LocalKeyring.create(path, master)
    if not path.exists():
        raise KeyMaterialError(f"{path}: no keyring (run `govkit keys init`)")
    return LocalKeyring(path, master)
