"""Settings: flags, then ``GOVKIT_*`` environment variables, then defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DEFAULTS = Path(__file__).parent / "defaults"


def _default_dir(name: str) -> Path:
    """Return ``./<name>`` when it exists, else the copy shipped in the package."""
    local = Path(name)
    return local if local.is_dir() else PACKAGE_DEFAULTS / name


class GovkitSettings(BaseSettings):
    """Runtime settings of govkit.

    Construct with keyword arguments to override (the CLI passes its flags
    this way); anything not given comes from ``GOVKIT_*`` variables or defaults.
    """

    model_config = SettingsConfigDict(env_prefix="GOVKIT_", extra="forbid")

    policy_dir: Path = Field(default_factory=lambda: _default_dir("policies"))
    expectations_dir: Path = Field(default_factory=lambda: _default_dir("expectations"))
    audit_url: str = "sqlite:///.govkit/audit.db"
    master_key: SecretStr | None = None
    master_key_file: Path | None = None
    keyring: Path = Path(".govkit/keyring")
    actor: str | None = None
    spacy_model: str | None = None
