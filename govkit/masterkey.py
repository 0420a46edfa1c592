"""The master key: from ``GOVKIT_MASTER_KEY`` (base64) or a key file only its owner can read.

Everything keyed in govkit (data keys in the keyring, the audit HMAC and signing
keys) is wrapped by or derived from this key. It is never printed or logged.
"""

from __future__ import annotations

import base64
import binascii
import stat
from pathlib import Path

from govkit.errors import KeyMaterialError
from govkit.settings import GovkitSettings

MASTER_KEY_BYTES = 32


def _decode(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyMaterialError(f"{where}: master key is not valid base64") from exc
    if len(key) != MASTER_KEY_BYTES:
        raise KeyMaterialError(
            f"{where}: master key must be {MASTER_KEY_BYTES} bytes, got {len(key)}"
        )
    return key


def read_key_file(path: Path) -> bytes:
    """Read a base64 master key file, refusing one readable by group or others (as ssh does)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise KeyMaterialError(f"{path}: master key file not found") from exc
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyMaterialError(
            f"{path}: master key file is accessible by group or others "
            f"(mode {stat.S_IMODE(mode):o}); run: chmod 600 {path}"
        )
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except OSError as exc:
        raise KeyMaterialError(f"{path}: cannot read master key file ({exc.strerror})") from exc
    return _decode(text, str(path))


def load_master_key(settings: GovkitSettings, *, required: bool = True) -> bytes | None:
    """Return the master key from settings (environment first, then the key file).

    Raises:
        KeyMaterialError: no key configured (when ``required``), or the key is unusable.
    """
    if settings.master_key is not None:
        key = _decode(settings.master_key.get_secret_value(), "GOVKIT_MASTER_KEY")
        if settings.master_key_file is not None and settings.master_key_file.exists():
            if read_key_file(settings.master_key_file) != key:
                raise KeyMaterialError(
                    f"GOVKIT_MASTER_KEY and GOVKIT_MASTER_KEY_FILE ({settings.master_key_file}) "
                    "hold different keys; unset one of them"
                )
        return key
    if settings.master_key_file is not None:
        return read_key_file(settings.master_key_file)
    if required:
        raise KeyMaterialError(
            "no master key: set GOVKIT_MASTER_KEY (32 random bytes, base64) or "
            "GOVKIT_MASTER_KEY_FILE, or master_key_file in govkit.yaml (govkit init makes one)"
        )
    return None
