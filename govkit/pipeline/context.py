"""What a run needs before it touches data: settings, the Governor, policies, rules, catalog.

:class:`RunContext` is the :class:`~govkit.context.StageContext` the run hands to
the stage functions: it delegates to the Governor and tags every event with the
run id and the source or output it concerns. A dry run's context records nothing.
"""

from __future__ import annotations

import json
import secrets
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit._version import __version__
from govkit.datasets.uri import redact_url
from govkit.governor import Governor
from govkit.pipeline.model import Pipeline, load_pipeline
from govkit.report.model import RunReport, RunStatus
from govkit.settings import GovkitSettings

if TYPE_CHECKING:
    from govkit.catalog import Catalog
    from govkit.classify import Classification
    from govkit.models import AuditEvent
    from govkit.policy.models import PolicySet
    from govkit.policy.views import AccessDecision, ColumnLabel
    from govkit.protect.keys import KeyProvider
    from govkit.protect.plan import ProtectionRules


def as_pipeline(pipeline: Pipeline | str | Path) -> Pipeline:
    """Accept a loaded pipeline or the path of a pipeline file."""
    return pipeline if isinstance(pipeline, Pipeline) else load_pipeline(pipeline)


_DERIVED: weakref.WeakKeyDictionary[Governor, dict[str, Governor]] = weakref.WeakKeyDictionary()
"""Governors re-pointed by pipeline files, per caller's Governor (so their stores stay open)."""


def _overrides(pipeline: Pipeline) -> dict[str, Any]:
    update: dict[str, Any] = {}
    if pipeline.policies:
        update["policy_dir"] = Path(pipeline.path(pipeline.policies))
    if pipeline.expectations:
        update["expectations_dir"] = Path(pipeline.path(pipeline.expectations))
    if pipeline.audit.url:
        update["audit_url"] = pipeline.sqlite_resolved(pipeline.audit.url)
    if pipeline.keys.keyring:
        update["keyring"] = Path(pipeline.path(pipeline.keys.keyring))
    if pipeline.keys.master_key_file:
        # The file the pipeline names is the key, also when GOVKIT_MASTER_KEY is set:
        # mixing the two would write one run's audit events under two keys.
        update["master_key_file"] = Path(pipeline.path(pipeline.keys.master_key_file))
        update["master_key"] = None
    return update


def pipeline_settings(pipeline: Pipeline, base: GovkitSettings) -> GovkitSettings:
    """Settings with what the pipeline file names (policies, suites, audit, keys) put first."""
    update = _overrides(pipeline)
    return base.model_copy(update=update) if update else base


def pipeline_governor(pipeline: Pipeline, governor: Governor | None) -> Governor:
    """The Governor a run works through: the caller's, re-pointed where the file says so.

    The caller's audit store is reused unless the pipeline names another one; a
    re-pointed Governor is kept with the caller's, so repeated runs of the same
    pipeline reuse its store and caches too.
    """
    if governor is None:
        return Governor(pipeline_settings(pipeline, GovkitSettings()))
    update = _overrides(pipeline)
    if not update:
        return governor
    key = json.dumps(update, default=str, sort_keys=True)
    derived = _DERIVED.setdefault(governor, {})
    if key not in derived:
        settings = governor.settings.model_copy(update=update)
        same_store = settings.audit_url == governor.settings.audit_url
        derived[key] = Governor(settings, audit_store=governor.audit_store if same_store else None)
    return derived[key]


def new_report(pipeline: Pipeline, governor: Governor, status: RunStatus) -> RunReport:
    """A fresh run report: id, times, actor, version."""
    now = datetime.now(UTC)
    run_id = now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
    return RunReport(
        run_id=run_id,
        pipeline=str(pipeline.source_file or "<in memory>"),
        name=pipeline.name,
        status=status,
        started_at=now.isoformat(timespec="seconds").replace("+00:00", "Z"),
        actor=governor.actor,
        govkit_version=__version__,
    )


def utc_now() -> str:
    """The current UTC time, ISO 8601 with ``Z``."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class Loaded:
    """Policies, classification, protection rules and the reviewed catalog, loaded once."""

    policies: PolicySet
    classification: Classification
    rules: ProtectionRules
    catalog: Catalog | None


def load_governance(pipeline: Pipeline, governor: Governor) -> Loaded:
    """Load everything the run decides by (before any data is read).

    The access policies come from the Governor, which loads them once for all its runs.

    Raises:
        PolicyError: a policy file is invalid.
        ConfigError: the catalog or the protection rules are invalid.
    """
    from govkit.pipeline.classify import load_pipeline_catalog
    from govkit.protect.plan import load_protection_rules

    settings = governor.settings
    return Loaded(
        policies=governor.policies(),
        classification=governor.classification(),
        rules=load_protection_rules(settings.policy_dir),
        catalog=load_pipeline_catalog(pipeline),
    )


def store_name(settings: GovkitSettings) -> str:
    """The audit store URL without credentials."""
    return redact_url(settings.audit_url)


class RunContext:
    """The stage context of one run: the Governor's, with events tagged and counted.

    Args:
        governor: the Governor the run works through.
        run_id: added to every event's details.
        record: False for a dry run (nothing is logged, access is still decided).
    """

    def __init__(self, governor: Governor, run_id: str, *, record: bool = True) -> None:
        self.governor = governor
        self.run_id = run_id
        self.recording = record
        self.events = 0
        self._scope: dict[str, str] = {}
        self._held: list[list[AuditEvent]] | None = None

    @property
    def settings(self) -> GovkitSettings:
        """The Governor's settings."""
        return self.governor.settings

    def policies(self) -> PolicySet:
        """The Governor's policies (loaded once for all its runs)."""
        return self.governor.policies()

    def classification(self) -> Classification:
        """The Governor's classification."""
        return self.governor.classification()

    def keys(self) -> KeyProvider:
        """The Governor's keys."""
        return self.governor.keys()

    @contextmanager
    def scope(self, **details: str) -> Iterator[None]:
        """Tag the events recorded inside with ``details`` (``source=…``, ``output_name=…``)."""
        saved = self._scope
        self._scope = {**saved, **details}
        try:
            yield
        finally:
            self._scope = saved

    def tag(self, event: AuditEvent) -> AuditEvent:
        """The event with the run id and the current scope in its details."""
        details = {**event.details, **self._scope, "run_id": self.run_id}
        return event.model_copy(update={"details": details})

    def record(self, *events: AuditEvent) -> None:
        """Record tagged events through the Governor (a dry run records nothing).

        While the context holds (:meth:`hold`), the tagged events wait in memory.
        """
        if not self.recording:
            return
        tagged = [self.tag(e) for e in events]
        if self._held is not None:
            self._held.append(tagged)
            return
        self.governor.record(*tagged)
        self.events += len(events)

    def hold(self) -> None:
        """Keep the events recorded from now on in memory until :meth:`stop_holding`.

        ``govkit run`` holds its access and protect events while its sources are still
        being validated beside them, so the log reads as if validation came first.
        Nothing is published while events are held.
        """
        self._held = []

    @property
    def holding(self) -> bool:
        """Whether recorded events are being held."""
        return self._held is not None

    def stop_holding(self) -> list[list[AuditEvent]]:
        """Stop holding; return the held events (not recorded: :meth:`record_held` does)."""
        held, self._held = self._held, None
        return held or []

    def record_held(self, held: list[list[AuditEvent]]) -> None:
        """Record events :meth:`stop_holding` returned, in the order they came.

        Raises:
            AuditError: the log could not be written (nothing may be published).
        """
        for events in held:
            self.governor.record(*events)
            self.events += len(events)

    def decide(
        self,
        *,
        role: str,
        purpose: str,
        dataset: str,
        columns: Sequence[ColumnLabel],
        uri: str | None = None,
    ) -> AccessDecision:
        """Decide access; record ``access.decide`` (tagged) unless this is a dry run."""
        from govkit.policy.audit import decide_recorded

        return decide_recorded(
            self, role=role, purpose=purpose, dataset=dataset, columns=columns, uri=uri
        )
