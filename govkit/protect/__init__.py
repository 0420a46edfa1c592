"""Protection: policy-driven masking, pseudonymisation and encryption with managed keys.

``protect`` and ``reveal`` are the library functions behind the commands of the
same name; transforms register by name in :mod:`govkit.protect.registry`.
"""

from __future__ import annotations

from govkit.protect.api import ProtectResult, protect
from govkit.protect.keys import DataKey, KeyInfo, KeyProvider, LocalKeyring, open_keyring
from govkit.protect.manifest import ColumnManifest, Manifest
from govkit.protect.plan import (
    ProtectionPlan,
    ProtectionRules,
    load_protection_rules,
    plan_protection,
)
from govkit.protect.reveal import RevealResult, reveal

__all__ = [
    "ColumnManifest",
    "DataKey",
    "KeyInfo",
    "KeyProvider",
    "LocalKeyring",
    "Manifest",
    "ProtectResult",
    "ProtectionPlan",
    "ProtectionRules",
    "RevealResult",
    "load_protection_rules",
    "open_keyring",
    "plan_protection",
    "protect",
    "reveal",
]
