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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit import __version__
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings

if TYPE_CHECKING:
    from govkit.audit.store import AuditStore
    from govkit.detect.report import ScanReport
    from govkit.pipeline.model import Pipeline
    from govkit.policy import PolicySet
    from govkit.policy.views import AccessDecision, ColumnLabel
    from govkit.protect.api import ProtectResult
    from govkit.protect.reveal import RevealResult
    from govkit.quality.models import QualityResult
    from govkit.report.model import RunReport


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

    # Stage methods: each is the twin of the command of the same name. It calls its
    # stage package with this Governor (settings, cached policies, audit store) and
    # returns the stage's pydantic result; the stage records its own audit events.

    def scan(self, source: str, **options: Any) -> ScanReport:
        """Scan a file, directory or database for personal data (``govkit scan``)."""
        from govkit.detect.api import scan

        return scan(source, governor=self, **options)

    def protect(self, source: Any, output: str | None = None, **options: Any) -> ProtectResult:
        """Protect a dataset by policy, optionally as one role's view (``govkit protect``)."""
        from govkit.protect.api import protect

        return protect(source, output, governor=self, **options)

    def reveal(self, source: str, output: str, **options: Any) -> RevealResult:
        """Reverse protection for a role allowed to see raw values (``govkit reveal``)."""
        from govkit.protect.reveal import reveal

        return reveal(source, output, governor=self, **options)

    def validate(self, source: Any, **options: Any) -> QualityResult:
        """Check a dataset against its expectation suite (``govkit validate``)."""
        from govkit.quality.api import validate

        return validate(source, governor=self, **options)

    def run(self, pipeline: Pipeline | str | Path, *, dry_run: bool = False) -> RunReport:
        """Run a pipeline file: publish every output or none (``govkit run``)."""
        from govkit.pipeline.run import run_pipeline

        return run_pipeline(pipeline, governor=self, dry_run=dry_run)

    def policies(self) -> PolicySet:
        """The access policies of ``settings.policy_dir``, loaded once."""
        if "policies" not in self._cache:
            from govkit.policy import load_policies

            self._cache["policies"] = load_policies(self.settings.policy_dir)
        policies: PolicySet = self._cache["policies"]
        return policies

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
        from govkit.policy import decide, decision_event

        decision = decide(
            self.policies(), role=role, purpose=purpose, dataset=dataset, columns=columns
        )
        self.record(decision_event(decision, dataset=uri))
        return decision
