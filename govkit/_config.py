"""Reading a YAML config file into a pydantic model, with one-line errors naming file and field."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from govkit.errors import ConfigError

ModelT = TypeVar("ModelT", bound=BaseModel)


def load_yaml_model(
    path: Path, model: type[ModelT], *, error: type[ConfigError] = ConfigError, what: str
) -> ModelT:
    """Parse ``path`` as YAML and validate it as ``model`` (an empty file is an empty mapping).

    Args:
        path: the file.
        model: the pydantic model (``extra="forbid"`` models reject unknown fields).
        error: the ConfigError subclass to raise (``PolicyError`` for files in ``policies/``).
        what: what the file holds, for messages (``"protection rules"``).

    Raises:
        ConfigError: (or ``error``) unreadable, not YAML, or not valid; the message names the
            file and the field path of the first problem, never a value from the file.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror})") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise error(f"{path}: not valid YAML ({what})") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise error(f"{path}: {where}: {first['msg']}") from None
