"""Settings: flags, then ``GOVKIT_*`` environment variables, then the project file, then defaults.

The project file is ``govkit.yaml``, found in the working directory or the nearest
parent that has one (as git, ruff and dbt find theirs). Relative paths in it — and a
relative SQLite audit URL — are taken relative to the folder that holds it, so a
project works from any of its subfolders. It holds no secrets: ``master_key`` is
refused there (use ``master_key_file`` or ``GOVKIT_MASTER_KEY``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

PACKAGE_DEFAULTS = Path(__file__).parent / "defaults"
PROJECT_FILE = "govkit.yaml"
ENV_PREFIX = "GOVKIT_"
PATH_FIELDS = ("policy_dir", "expectations_dir", "keyring", "master_key_file")
SECRET_FIELDS = ("master_key",)


def _default_dir(name: str) -> Path:
    """Return ``./<name>`` when it exists, else the copy shipped in the package."""
    local = Path(name)
    return local if local.is_dir() else PACKAGE_DEFAULTS / name


def find_project_file(start: Path | None = None) -> Path | None:
    """Return the nearest ``govkit.yaml`` in ``start`` (default: the working directory) or above."""
    try:
        here = (start or Path.cwd()).resolve()
    except OSError:
        return None
    for folder in (here, *here.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


def _absolute_sqlite(url: str, root: Path) -> str:
    """Make a relative SQLite URL absolute against ``root`` (other URLs unchanged)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return url
    rest = url[len(prefix) :]
    if not rest or rest.startswith(("/", ":memory:", "file:")):
        return url
    return prefix + str((root / rest).resolve())


def load_project_file(path: Path) -> dict[str, Any]:
    """Read a project file: a mapping of setting names, relative paths resolved.

    Raises:
        ConfigError: the file is not YAML, not a mapping, names an unknown setting or holds a secret.
    """
    import yaml

    from govkit.errors import ConfigError

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the project file ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the project file must be a mapping of setting: value")
    known = set(GovkitSettings.model_fields)
    for key in data:
        if key in SECRET_FIELDS:
            raise ConfigError(
                f"{path}: '{key}' is a secret and does not belong in the project file; "
                "put the key in a 0600 file named by master_key_file, or set GOVKIT_MASTER_KEY"
            )
        if key not in known:
            raise ConfigError(
                f"{path}: unknown setting '{key}' (known: {', '.join(sorted(known - set(SECRET_FIELDS)))})"
            )
    root = path.parent
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if key in PATH_FIELDS:
            value = Path(str(value)).expanduser()
            value = value if value.is_absolute() else root / value
        elif key == "audit_url":
            value = _absolute_sqlite(str(value), root)
        out[key] = value
    return out


class _ProjectSource(PydanticBaseSettingsSource):
    """Settings from the discovered ``govkit.yaml`` (below the environment)."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        found = find_project_file()
        self.values = load_project_file(found) if found is not None else {}

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self.values)


class GovkitSettings(BaseSettings):
    """Runtime settings of govkit.

    Construct with keyword arguments to override (the CLI passes its flags
    this way); anything not given comes from ``GOVKIT_*`` variables, then the
    project file ``govkit.yaml``, then defaults.
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid")

    policy_dir: Path = Field(default_factory=lambda: _default_dir("policies"))
    expectations_dir: Path = Field(default_factory=lambda: _default_dir("expectations"))
    audit_url: str = "sqlite:///.govkit/audit.db"
    master_key: SecretStr | None = None
    master_key_file: Path | None = None
    keyring: Path = Path(".govkit/keyring")
    actor: str | None = None
    spacy_model: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Flags (keyword arguments), then environment, then ``govkit.yaml``."""
        return init_settings, env_settings, _ProjectSource(settings_cls)


def setting_sources(flags: dict[str, Any]) -> dict[str, str]:
    """Where each setting comes from: ``flag``, ``environment (GOVKIT_X)``, the project file or ``default``."""
    project = find_project_file()
    in_project = load_project_file(project) if project is not None else {}
    out: dict[str, str] = {}
    for name in GovkitSettings.model_fields:
        env = ENV_PREFIX + name.upper()
        if flags.get(name) is not None:
            out[name] = "flag"
        elif os.environ.get(env) is not None:
            out[name] = f"environment ({env})"
        elif name in in_project:
            out[name] = str(project)
        else:
            out[name] = "default"
    return out
