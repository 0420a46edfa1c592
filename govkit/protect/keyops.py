"""Key administration with audit: ``govkit keys init|list|rotate|retire|destroy``.

Each change is recorded before it is made (a destroy that cannot be audited does
not happen); a change that then fails is recorded as a failure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from govkit.errors import GovkitError, KeyMaterialError, UsageError
from govkit.masterkey import load_master_key
from govkit.models import AuditEvent
from govkit.protect.keys import PURPOSES, KeyInfo, KeyProvider, Purpose, open_keyring

if TYPE_CHECKING:
    from govkit.context import StageContext


def _audited(
    governor: StageContext, action: str, subject: str, change: Callable[[], list[KeyInfo]]
) -> list[KeyInfo]:
    governor.record(AuditEvent(action=action, details={"key": subject}))
    try:
        return change()
    except GovkitError as exc:
        governor.record(
            AuditEvent(
                action=action,
                outcome="failure",
                reason=type(exc).__name__,
                details={"key": subject},
            )
        )
        raise


def keys_init(governor: StageContext) -> list[KeyInfo]:
    """Create the keyring with one active key per purpose."""
    if governor.settings.keyring.exists():
        raise UsageError(
            f"{governor.settings.keyring}: keyring already exists (use `govkit keys rotate`)"
        )
    load_master_key(governor.settings)  # no master key: nothing to record, nothing to do
    return _audited(
        governor, "keys.init", "all", lambda: open_keyring(governor.settings, create=True).list()
    )


def keys_list(governor: StageContext) -> list[KeyInfo]:
    """Every key's id, purpose, status and dates (never material)."""
    return open_keyring(governor.settings).list()


def _purpose(name: str) -> Purpose:
    for purpose in PURPOSES:
        if purpose == name:
            return purpose
    raise UsageError(f"unknown key purpose {name!r} (one of: {', '.join(PURPOSES)})")


def keys_rotate(governor: StageContext, purpose: str) -> KeyInfo:
    """New active key for ``purpose``; the old one stays for reveal (retired)."""
    ring = open_keyring(governor.settings)
    chosen = _purpose(purpose)
    return _audited(governor, "keys.rotate", chosen, lambda: [ring.rotate(chosen)])[0]


def _known(ring: KeyProvider, key_id: str) -> None:
    if not any(k.id == key_id for k in ring.list()):
        raise KeyMaterialError(f"no key {key_id!r} in the keyring")


def keys_retire(governor: StageContext, key_id: str) -> KeyInfo:
    """Stop using a key for new data (it still reveals)."""
    ring = open_keyring(governor.settings)
    _known(ring, key_id)
    return _audited(governor, "keys.retire", key_id, lambda: [ring.retire(key_id)])[0]


def keys_destroy(governor: StageContext, key_id: str) -> KeyInfo:
    """Crypto-shred a key: what it protected can never be revealed again."""
    ring = open_keyring(governor.settings)
    _known(ring, key_id)
    return _audited(governor, "keys.destroy", key_id, lambda: [ring.destroy(key_id)])[0]
