"""The Governor: holds settings, engines and stores; runs stages; records audit events.

The Governor is the only writer of the audit log. Stage methods (scan, protect,
reveal, validate, run …) do their work through the stage packages and record one
``AuditEvent`` each through :meth:`Governor.record`. If that write fails, the
stage's result is not released (fail closed).
"""

from __future__ import annotations

import getpass
import os
import socket
from typing import TYPE_CHECKING, Any

from govkit import __version__
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings

if TYPE_CHECKING:
    from govkit.audit.store import AuditStore


def current_actor(settings: GovkitSettings) -> str:
    """Return the actor: ``--actor`` / ``GOVKIT_ACTOR``, else the OS user."""
    if settings.actor:
        return settings.actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid:{os.getuid()}"


class Governor:
    """Loads engines, policies and keys once for repeated calls.

    Args:
        settings: runtime settings; defaults come from the environment.
        audit_store: an already opened audit store (tests, embedding); opened
            from ``settings.audit_url`` on first use otherwise.
    """

    def __init__(
        self,
        settings: GovkitSettings | None = None,
        *,
        audit_store: AuditStore | None = None,
    ) -> None:
        self.settings = settings or GovkitSettings()
        self._audit_store = audit_store
        self._cache: dict[str, Any] = {}

    @property
    def actor(self) -> str:
        """Who the audit log names for this Governor's actions."""
        return current_actor(self.settings)

    @property
    def audit_store(self) -> AuditStore:
        """The audit store, opened on first use."""
        if self._audit_store is None:
            from govkit.audit.store import AuditStore

            self._audit_store = AuditStore.open(self.settings)
        return self._audit_store

    def stamp(self, event: AuditEvent) -> dict[str, Any]:
        """Return the event with who/where added, ready for the store."""
        return {
            **event.model_dump(),
            "actor": self.actor,
            "host": socket.gethostname(),
            "govkit_version": __version__,
        }

    def record(self, *events: AuditEvent) -> None:
        """Append events to the audit log in one batch.

        Raises:
            AuditError: the store could not be written; the caller must not
                release the stage's result.
        """
        self.audit_store.append([self.stamp(e) for e in events])

    # Stage methods are added below by each capability (scan, protect, reveal,
    # validate, policy, run). Each opens what it needs, calls its stage package,
    # records one event and returns a pydantic result model.
