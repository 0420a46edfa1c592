"""Tamper-evident audit log: hash-chained SQL store, signed checkpoints, verify, query, export.

``from govkit.audit import AuditStore`` — names are loaded on first use, so importing
the package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govkit.audit.findings import Finding, VerifyResult
    from govkit.audit.query import AuditQuery, AuditRecord
    from govkit.audit.store import AuditStore

__all__ = ["AuditQuery", "AuditRecord", "AuditStore", "Finding", "VerifyResult"]

_WHERE = {
    "AuditQuery": "govkit.audit.query",
    "AuditRecord": "govkit.audit.query",
    "AuditStore": "govkit.audit.store",
    "Finding": "govkit.audit.findings",
    "VerifyResult": "govkit.audit.findings",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'govkit.audit' has no attribute {name!r}")
