"""Audit store (filled by the audit-log issue)."""

from __future__ import annotations

from typing import Any

from govkit.errors import AuditError
from govkit.settings import GovkitSettings


class AuditStore:
    """Append-only, hash-chained audit store."""

    @classmethod
    def open(cls, settings: GovkitSettings) -> AuditStore:
        """Open the store named by ``settings.audit_url``."""
        raise AuditError(f"{settings.audit_url}: audit store not implemented yet")

    def append(self, events: list[dict[str, Any]]) -> None:
        """Append stamped events in one batch."""
        raise AuditError("audit store not implemented yet")
