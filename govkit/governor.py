"""The Governor: holds settings, policies, keys and the audit store; the stages' context.

The Governor implements :class:`govkit.context.StageContext`: stages receive it as
their context and never import it. It is the only writer of the audit log: stages
record their events through :meth:`Governor.record`; if that write fails, the
stage's result is not released (fail closed). Its stage methods (scan, protect,
reveal, validate, run) are thin doors onto the stage functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.models import AuditEvent
from govkit.settings import GovkitSettings

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from govkit.audit.store import AuditStore
    from govkit.catalog import DatasetCatalog
    from govkit.classify import Classification
    from govkit.datasets import Dataset
    from govkit.detect.report import ScanReport
    from govkit.engines.base import Engine
    from govkit.engines.local import Workers
    from govkit.entities import Sensitivity
    from govkit.pipeline.model import Pipeline
    from govkit.policy import PolicySet
    from govkit.policy.views import AccessDecision, ColumnLabel
    from govkit.protect.api import ProtectResult
    from govkit.protect.keys import KeyProvider
    from govkit.protect.reveal import RevealResult
    from govkit.quality.models import QualityResult
    from govkit.report.model import RunReport


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
        from govkit.audit.events import current_actor

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
        from govkit.audit.events import stamp

        return stamp(event, self.settings)

    def record(self, *events: AuditEvent) -> None:
        """Append events to the audit log in one batch.

        Raises:
            AuditError: the store could not be written; the caller must not
                release the stage's result.
        """
        self.audit_store.append([self.stamp(e) for e in events])

    # The StageContext protocol (govkit/context.py): what stages need from the Governor.

    def policies(self) -> PolicySet:
        """The access policies of ``settings.policy_dir``, loaded once."""
        if "policies" not in self._cache:
            from govkit.policy import load_policies

            self._cache["policies"] = load_policies(self.settings.policy_dir)
        policies: PolicySet = self._cache["policies"]
        return policies

    def classification(self) -> Classification:
        """Entity tiers and actions of ``settings.policy_dir``, loaded once."""
        if "classification" not in self._cache:
            from govkit.classify import load_classification

            self._cache["classification"] = load_classification(self.settings.policy_dir)
        classification: Classification = self._cache["classification"]
        return classification

    def keys(self) -> KeyProvider:
        """The local keyring of the settings (opened per call: rotations show at once)."""
        from govkit.protect.keys import open_keyring

        return open_keyring(self.settings)

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
        from govkit.policy.audit import decide_recorded

        return decide_recorded(
            self, role=role, purpose=purpose, dataset=dataset, columns=columns, uri=uri
        )

    # Stage methods: thin doors onto the stage functions (the twins of the commands),
    # with this Governor as the stage context.

    def scan(
        self,
        source: str | Dataset,
        *,
        table: str | None = None,
        query: str | None = None,
        sheet: str | None = None,
        encoding: str | None = None,
        sample_size: int | None = None,
        full: bool = False,
        catalog: Path | str | None = None,
        fail_on: Sensitivity | None = None,
    ) -> ScanReport:
        """Scan for personal data (``govkit scan``); raise PIIFoundError over ``fail_on``."""
        from govkit.detect.api import check_gate, scan

        report = scan(
            source,
            context=self,
            table=table,
            query=query,
            sheet=sheet,
            encoding=encoding,
            sample_size=sample_size,
            full=full,
            catalog=catalog,
            fail_on=fail_on,
        )
        check_gate(report)
        return report

    def protect(
        self,
        source: str | pa.Table | pd.DataFrame,
        output: str | None = None,
        *,
        catalog: Path | DatasetCatalog | None = None,
        role: str | None = None,
        purpose: str | None = None,
        table: str | None = None,
        query: str | None = None,
        output_table: str | None = None,
        overwrite: bool = False,
        keys: KeyProvider | None = None,
        manifest: Path | None = None,
        workers: Workers = "auto",
        output_encoding: str | None = None,
        dataset: str | None = None,
        engine: Engine | None = None,
    ) -> ProtectResult:
        """Protect a dataset by policy, optionally as one role's view (``govkit protect``).

        ``engine`` runs it (default ``LocalEngine(workers)``; e.g. a ``SparkEngine``).
        """
        from govkit.engines.local import LocalEngine
        from govkit.protect.api import protect

        return protect(
            source,
            output,
            context=self,
            catalog=catalog,
            role=role,
            purpose=purpose,
            table=table,
            query=query,
            output_table=output_table,
            overwrite=overwrite,
            keys=keys,
            manifest=manifest,
            engine=engine or LocalEngine(workers),
            output_encoding=output_encoding,
            dataset=dataset,
        )

    def reveal(
        self,
        source: str,
        output: str,
        *,
        columns: Sequence[str],
        role: str,
        purpose: str,
        manifest: Path | None = None,
        table: str | None = None,
        output_table: str | None = None,
        overwrite: bool = False,
    ) -> RevealResult:
        """Reverse protection for a role allowed to see raw values (``govkit reveal``)."""
        from govkit.protect.reveal import reveal

        return reveal(
            source,
            output,
            columns=columns,
            role=role,
            purpose=purpose,
            context=self,
            manifest=manifest,
            table=table,
            output_table=output_table,
            overwrite=overwrite,
        )

    def validate(
        self,
        source: str | Dataset,
        *,
        suite: Path | None = None,
        warn: Sequence[str] = (),
        table: str | None = None,
        query: str | None = None,
        sheet: str | None = None,
        encoding: str | None = None,
        raise_on_failure: bool = True,
    ) -> QualityResult:
        """Check a dataset against its suite (``govkit validate``); raise when it fails."""
        from govkit.quality.api import check, validate

        result = validate(
            source,
            context=self,
            suite=suite,
            warn=warn,
            table=table,
            query=query,
            sheet=sheet,
            encoding=encoding,
        )
        if raise_on_failure:
            check(result)
        return result

    def run(
        self,
        pipeline: Pipeline | str | Path,
        *,
        dry_run: bool = False,
        workers: Workers | None = None,
        overwrite: bool = False,
    ) -> RunReport:
        """Run a pipeline file: publish every output or none (``govkit run``)."""
        from govkit.pipeline.run import run_pipeline

        return run_pipeline(
            pipeline, governor=self, dry_run=dry_run, workers=workers, overwrite=overwrite
        )
