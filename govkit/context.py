"""What a stage needs from whoever runs it: the :class:`StageContext` protocol.

Stages (scan, validate, protect, reveal, run) take a context and never import or
build the :class:`~govkit.governor.Governor`, which implements this protocol (so
does the run's context, which tags every event with the run id). This module sits
in the bottom layer: it imports nothing at run time but the settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from govkit.classify import Classification
    from govkit.models import AuditEvent
    from govkit.policy.models import PolicySet
    from govkit.policy.views import AccessDecision, ColumnLabel
    from govkit.protect.keys import KeyProvider
    from govkit.settings import GovkitSettings


@runtime_checkable
class StageContext(Protocol):
    """Settings, governance files, keys and the audit log, as a stage sees them."""

    @property
    def settings(self) -> GovkitSettings:
        """Runtime settings (policy dir, expectations dir, keyring, audit URL …)."""
        ...

    def policies(self) -> PolicySet:
        """The access policies of ``settings.policy_dir`` (loaded once)."""
        ...

    def classification(self) -> Classification:
        """Entity → tier and action, from ``<policy_dir>/classification.yaml`` (loaded once)."""
        ...

    def keys(self) -> KeyProvider:
        """The key provider (the local keyring of the settings, opened once).

        Raises:
            KeyMaterialError: no master key or keyring.
        """
        ...

    def record(self, *events: AuditEvent) -> None:
        """Append events to the audit log in one batch.

        Raises:
            AuditError: the log could not be written; the stage must not release its result.
        """
        ...

    def decide(
        self,
        *,
        role: str,
        purpose: str,
        dataset: str,
        columns: Sequence[ColumnLabel],
        uri: str | None = None,
    ) -> AccessDecision:
        """Decide a role's access and record ``access.decide`` before anyone acts on it."""
        ...
