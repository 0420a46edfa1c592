"""What the console serves: the project's settings, catalog, reports, and its own options."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from govkit._config import load_yaml_model
from govkit._files import write_text_atomic
from govkit.errors import ConfigError, UsageError
from govkit.settings import GovkitSettings


class OidcConfig(BaseModel):
    """OpenID Connect sign-in (``--oidc FILE``, YAML); the secret comes from the environment.

    Attributes:
        metadata_url: the IdP's ``/.well-known/openid-configuration`` URL.
        client_id: the console's client id at the IdP.
        client_secret_env: the environment variable holding the client secret.
        scope: scopes requested.
        username_claim: the ID-token claim the audit log names the user by.
        roles_claim: the claim with the user's groups or roles (a list or a string).
        role_map: claim value → console role (``steward`` or ``auditor``); a user
            none of whose values is mapped cannot sign in.
        label: the text of the sign-in button.
    """

    model_config = ConfigDict(extra="forbid")

    metadata_url: str
    client_id: str
    client_secret_env: str = "GOVKIT_OIDC_CLIENT_SECRET"  # noqa: S105 - the name of the variable holding the secret
    scope: str = "openid email profile"
    username_claim: str = "preferred_username"
    roles_claim: str = "groups"
    role_map: dict[str, str] = Field(default_factory=dict)
    label: str = "Sign in with your identity provider"

    def client_secret(self) -> str:
        """The client secret from the environment.

        Raises:
            UsageError: the variable is not set.
        """
        value = os.environ.get(self.client_secret_env)
        if not value:
            raise UsageError(f"OIDC: set {self.client_secret_env} to the client secret")
        return value


@dataclass
class ConsoleConfig:
    """Everything ``create_app`` needs; ``govkit serve`` builds it from flags and the project."""

    settings: GovkitSettings
    state_dir: Path
    catalog: Path | None = None
    reports_dir: Path | None = None
    scan_reports: list[Path] = field(default_factory=list)
    title: str = "govkit"
    secure_cookies: bool = False
    idle_timeout: int = 15 * 60
    absolute_timeout: int = 8 * 3600
    max_failures: int = 5
    lockout_seconds: int = 15 * 60
    throttle_attempts: int = 20
    throttle_window: int = 5 * 60
    page_size: int = 50
    oidc: OidcConfig | None = None
    secret: bytes = b""

    @property
    def users_file(self) -> Path:
        """The local accounts file, beside the audit store."""
        return self.state_dir / "console-users.json"

    def load_secret(self) -> bytes:
        """The cookie-signing secret: ``console-secret`` beside the audit store, made once."""
        path = self.state_dir / "console-secret"
        try:
            if not path.exists():
                self.state_dir.mkdir(parents=True, exist_ok=True)
                write_text_atomic(path, secrets.token_hex(32) + "\n", mode=0o600)
            text = path.read_text(encoding="ascii").strip()
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the console secret ({exc.strerror})") from exc
        if len(text) < 32:
            raise ConfigError(f"{path}: the console secret is too short; delete it to make one")
        return text.encode("ascii")


def state_dir_for(settings: GovkitSettings) -> Path:
    """The directory beside the audit store (where its keys and checkpoint live)."""
    from govkit.audit.location import parse_location

    return parse_location(settings.audit_url).state_dir


def load_oidc(path: Path) -> OidcConfig:
    """Read an OIDC settings file.

    Raises:
        ConfigError: not valid YAML or not an OIDC settings mapping (names the field).
    """
    config: OidcConfig = load_yaml_model(path, OidcConfig, what="OIDC settings")
    return config


def from_project(
    settings: GovkitSettings,
    *,
    pipeline: Path | None = None,
    catalog: Path | None = None,
    reports_dir: Path | None = None,
) -> tuple[GovkitSettings, Path | None, Path | None]:
    """Settings, catalog and reports folder, with what a pipeline file names put first."""
    if pipeline is None:
        return settings, catalog, reports_dir
    from govkit.pipeline.context import pipeline_settings
    from govkit.pipeline.model import load_pipeline

    spec = load_pipeline(pipeline)
    settings = pipeline_settings(spec, settings)
    if catalog is None and spec.scan.catalog:
        catalog = Path(spec.path(spec.scan.catalog)).resolve()
    if reports_dir is None:
        reports_dir = Path(spec.path(spec.reports.dir)).resolve()
    return settings, catalog, reports_dir
