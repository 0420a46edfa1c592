"""Protection: policy-driven masking, pseudonymisation and encryption with managed keys.

``protect`` and ``reveal`` are the library functions behind the commands of the
same name; transforms register by name in :mod:`govkit.protect.registry`.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


# Public name → submodule. Loaded on first use: importing a submodule (the transform
# registry, which ``classification.yaml`` checks consult) must not load pandas and every
# transform, which a default ``govkit scan`` never needs.
_LAZY = {
    "ProtectResult": "api",
    "protect": "api",
    "DataKey": "keys",
    "KeyInfo": "keys",
    "KeyProvider": "keys",
    "LocalKeyring": "keys",
    "open_keyring": "keys",
    "ColumnManifest": "manifest",
    "Manifest": "manifest",
    "ProtectionPlan": "plan",
    "ProtectionRules": "plan",
    "load_protection_rules": "plan",
    "plan_protection": "plan",
    "RevealResult": "reveal",
    "reveal": "reveal",
}


def __getattr__(name: str) -> Any:
    """Load a public name's submodule on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


class _CallablePackage(types.ModuleType):
    """``govkit.protect`` names both this package and the public function.

    ``govkit/__init__`` exports the function as ``govkit.protect``, but the first
    import of this package (inside the first call) makes Python set that attribute
    to the package; calling the package runs the function, so ``govkit.protect(...)``
    keeps working on the second call.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> ProtectResult:
        from govkit.pipeline.api import protect as public_protect

        return public_protect(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
