"""Pages for stewards and auditors: dashboard, catalog, runs (with the report), access explorer.

Every page that shows personal-data metadata (column names, entities, tiers,
views) records ``console.view`` with the actor, the page and the dataset before
it is shown; if the event cannot be written the page is not shown (fail closed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import Request, Response

from govkit.console import project
from govkit.console.app import console_of, roles, session_of
from govkit.errors import GovkitError
from govkit.models import AuditEvent

if TYPE_CHECKING:
    from fastapi import FastAPI

BOTH = ("steward", "auditor")
TIERS = ("high", "medium", "low")


def record_view(request: Request, page: str, dataset: str | None = None, **details: Any) -> None:
    """Record that the signed-in user viewed a page (and which dataset)."""
    session = session_of(request)
    console_of(request).record(
        session.user,
        AuditEvent(action="console.view", role=session.role, dataset=dataset,
                   details={"page": page, **{k: str(v) for k, v in details.items()}}),
    )  # fmt: skip


def _latest_quality_failures(run: Any) -> list[tuple[str, Any]]:
    return [
        (ds.name, result)
        for ds in run.datasets
        if ds.quality
        for result in ds.quality.results
        if not result.success
    ]


def register(app: FastAPI) -> None:
    """Add the dashboard, catalog, runs and access pages."""
    from fastapi import HTTPException

    @app.get("/")
    @roles(*BOTH)
    def dashboard(request: Request) -> Response:
        from govkit.console.auditview import last_event

        console = console_of(request)
        record_view(request, "dashboard")  # first, so the head below counts this view too
        runs = project.list_runs(console.config.reports_dir, limit=10)
        latest = runs[0] if runs else None
        head_seq, head_hash = console.store.head()
        verified = last_event(console.store, "audit.verify")
        return console.render(
            request, "dashboard.html", runs=runs[:5], latest=latest,
            failures=_latest_quality_failures(latest) if latest else [],
            head_seq=head_seq, head_hash=head_hash, verified=verified,
            checkpoint=_checkpoint(console.store),
        )  # fmt: skip

    @app.get("/catalog")
    @roles(*BOTH)
    def catalog(request: Request, tier: str = "") -> Response:
        console = console_of(request)
        cat = project.read_catalog(console.config.catalog)
        rows = []
        for name, ds in sorted(cat.datasets.items()):
            counts = {t: sum(1 for c in ds.columns.values() if c.sensitivity == t) for t in TIERS}
            drift = sum(1 for c in ds.columns.values() if c.drift)
            rows.append((name, len(ds.columns), counts, drift))
        record_view(request, "catalog")
        return console.render(request, "catalog.html", rows=rows, catalog=console.config.catalog)

    @app.get("/catalog/{dataset}")
    @roles(*BOTH)
    def catalog_dataset(request: Request, dataset: str, tier: str = "") -> Response:
        console = console_of(request)
        cat = project.read_catalog(console.config.catalog)
        ds = cat.datasets.get(dataset)
        if ds is None:
            raise HTTPException(404)
        scans = project.scan_columns(console.config.scan_reports).get(dataset, {})
        show_samples = "steward" in session_of(request).roles
        columns = [
            (name, col, scans.get(name))
            for name, col in ds.columns.items()
            if not tier or col.sensitivity == tier
        ]
        record_view(request, "catalog", dataset=dataset, tier=tier or "all")
        return console.render(
            request, "catalog_dataset.html", dataset=dataset, columns=columns, tier=tier,
            tiers=TIERS, show_samples=show_samples, has_scan=bool(scans),
        )  # fmt: skip

    _register_runs(app)


def _register_runs(app: FastAPI) -> None:
    from fastapi import HTTPException
    from fastapi.responses import HTMLResponse

    @app.get("/runs")
    @roles(*BOTH)
    def runs(request: Request) -> Response:
        console = console_of(request)
        found = project.list_runs(console.config.reports_dir)
        record_view(request, "runs")
        return console.render(
            request, "runs.html", runs=found, history=project.output_history(found)
        )

    @app.get("/runs/{run_id}")
    @roles(*BOTH)
    def run(request: Request, run_id: str) -> Response:
        console = console_of(request)
        report = project.find_run(console.config.reports_dir, run_id)
        if report is None:
            raise HTTPException(404)
        record_view(request, "run", run_id=run_id)
        return console.render(request, "run.html", run=report)

    @app.get("/runs/{run_id}/report")
    @roles(*BOTH)
    def run_report(request: Request, run_id: str) -> Response:
        console = console_of(request)
        report = project.find_run(console.config.reports_dir, run_id)
        if report is None:
            raise HTTPException(404)
        # Framed by /runs/{id} only (same origin, sandboxed); the page has no script.
        return HTMLResponse(
            project.run_html(report),
            headers={
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                "img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
                "X-Frame-Options": "SAMEORIGIN",
            },
        )

    @app.get("/access")
    @roles(*BOTH)
    def access(request: Request, role: str = "", purpose: str = "", dataset: str = "") -> Response:
        from govkit.policy.explain import explain
        from govkit.policy.loader import load_policies

        console = console_of(request)
        settings = console.config.settings
        policies = load_policies(settings.policy_dir)
        datasets = sorted(project.read_catalog(console.config.catalog).datasets)
        result, error = None, ""
        if dataset and dataset not in datasets:
            error = "choose a dataset of the catalog"
        elif role and purpose and dataset:
            try:
                result = explain(
                    policies, role=role, purpose=purpose, dataset=dataset,
                    catalog=console.config.catalog, policy_dir=settings.policy_dir,
                )  # fmt: skip
            except GovkitError as exc:
                error = str(exc)
            record_view(request, "access", dataset=dataset, role=role, purpose=purpose)
        return console.render(
            request, "access.html", roles_=sorted(policies.roles), purposes=sorted(policies.purposes),
            datasets=datasets, role=role, purpose=purpose, dataset=dataset, result=result,
            error=error,
        )  # fmt: skip


def _checkpoint(store: Any) -> Any:
    from govkit.audit.checkpoints import read_checkpoint

    path = store.checkpoint_path
    if path is None or not path.exists():
        return None
    try:
        return read_checkpoint(path)
    except (GovkitError, OSError, ValueError):
        return None
