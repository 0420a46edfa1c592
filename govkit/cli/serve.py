"""CLI: ``govkit serve`` — the read-only web console for stewards and auditors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from govkit.cli._output import say

if TYPE_CHECKING:
    from govkit.console.config import ConsoleConfig

PipelineOption = Annotated[
    Path | None,
    typer.Option(
        "--pipeline",
        help="Pipeline file whose catalog, policies, audit store, keys and reports to serve.",
    ),
]


def console_config(
    pipeline: Path | None,
    *,
    catalog: Path | None = None,
    reports_dir: Path | None = None,
    scan_report: list[Path] | None = None,
    oidc: Path | None = None,
    secure_cookies: bool = False,
    idle_timeout: int = 900,
    absolute_timeout: int = 28800,
) -> ConsoleConfig:
    """The console's configuration from global flags, a pipeline file and serve's own flags."""
    from govkit.cli._state import STATE
    from govkit.console.config import ConsoleConfig, from_project, load_oidc, state_dir_for

    settings, catalog, reports_dir = from_project(
        STATE.settings(), pipeline=pipeline, catalog=catalog, reports_dir=reports_dir
    )
    return ConsoleConfig(
        settings=settings,
        state_dir=state_dir_for(settings),
        catalog=catalog,
        reports_dir=reports_dir,
        scan_reports=list(scan_report or []),
        title=pipeline.stem if pipeline else "govkit",
        secure_cookies=secure_cookies,
        idle_timeout=idle_timeout,
        absolute_timeout=absolute_timeout,
        oidc=load_oidc(oidc) if oidc else None,
    )


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    pipeline: PipelineOption = None,
    catalog: Annotated[Path | None, typer.Option(help="Catalog file to show.")] = None,
    reports_dir: Annotated[Path | None, typer.Option(help="Folder of run reports.")] = None,
    scan_report: Annotated[
        list[Path] | None,
        typer.Option(
            help="'govkit scan --format json' output: confidence, evidence, masked samples."
        ),
    ] = None,
    oidc: Annotated[Path | None, typer.Option(help="OpenID Connect settings file (YAML).")] = None,
    tls_cert: Annotated[
        Path | None, typer.Option(help="Serve HTTPS with this certificate.")
    ] = None,
    tls_key: Annotated[Path | None, typer.Option(help="The certificate's private key.")] = None,
    behind_tls_proxy: Annotated[
        bool, typer.Option(help="A TLS-terminating reverse proxy is in front: Secure cookies.")
    ] = False,
    forwarded_allow_ips: Annotated[
        str | None, typer.Option(help="Proxy addresses whose X-Forwarded-* headers are trusted.")
    ] = None,
    idle_timeout: Annotated[int, typer.Option(help="Sign out after this many idle seconds.")] = 900,
    absolute_timeout: Annotated[
        int, typer.Option(help="Sign out this many seconds after sign-in.")
    ] = 28800,
) -> None:
    """Serve the web console (sign in with 'govkit users add' accounts or OIDC).

    Example: govkit serve --pipeline examples/pipeline.yaml --port 8765
    """
    from govkit.errors import UsageError

    try:
        import uvicorn

        from govkit.console.app import create_app
    except ImportError as exc:
        raise UsageError(
            "govkit serve needs the console extra: pip install 'govkit[console]'"
        ) from exc
    from govkit.audit.store import AuditStore

    if (tls_cert is None) != (tls_key is None):
        raise UsageError("--tls-cert and --tls-key go together")
    config = console_config(
        pipeline, catalog=catalog, reports_dir=reports_dir, scan_report=scan_report, oidc=oidc,
        secure_cookies=tls_cert is not None or behind_tls_proxy,
        idle_timeout=idle_timeout, absolute_timeout=absolute_timeout,
    )  # fmt: skip
    store = AuditStore.open(config.settings, create=False)
    app = create_app(config, store)
    scheme = "https" if tls_cert else "http"
    say(f"govkit console on {scheme}://{host}:{port}/ (audit store {store.url}); Ctrl-C stops it")
    try:
        uvicorn.run(
            app, host=host, port=port, log_level="warning", access_log=False,
            ssl_certfile=str(tls_cert) if tls_cert else None,
            ssl_keyfile=str(tls_key) if tls_key else None,
            proxy_headers=forwarded_allow_ips is not None,
            forwarded_allow_ips=forwarded_allow_ips,
        )  # fmt: skip
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the app."""
    app.command("serve")(serve)
