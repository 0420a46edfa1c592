"""Reading policy YAML strictly, and error messages that name the file, line and field path."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from govkit._config import field_path, locate, message_of
from govkit.errors import PolicyError

M = TypeVar("M", bound=BaseModel)
Loc = Sequence[str | int]
__all__ = ["Loc", "fail", "field_path", "locate", "parse", "read_yaml"]


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that rejects duplicate mapping keys (PyYAML keeps the last silently)."""


class _FastStrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same on libyaml, when present; errors are re-read with the Python loader."""


def _no_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Hashable] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


for _loader in (_StrictLoader, _FastStrictLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def fail(file: str, text: str | None, loc: Loc, message: str) -> PolicyError:
    """Build the PolicyError for ``file`` at field ``loc``: ``file:line: path: message``."""
    line = locate(text, loc) if text is not None and loc else None
    where = f"{file}:{line}" if line else file
    return PolicyError(f"{where}: {field_path(loc)}: {message}")


def read_yaml(path: Path) -> tuple[Any, str]:
    """Parse a YAML file; return (data, text). Raises PolicyError naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: cannot read: {type(exc).__name__}") from exc
    try:
        data = yaml.load(text, Loader=_FastStrictLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        data = _slow_load(path, text)  # the same error, worded the same with or without libyaml
    return data, text


def _slow_load(path: Path, text: str) -> Any:
    """Parse with the pure-Python loader; raise PolicyError naming file and line."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise PolicyError(f"{where}: invalid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: invalid YAML") from exc


def parse(model: type[M], path: Path, data: Any, text: str) -> M:
    """Validate ``data`` as ``model``; the first error becomes a PolicyError with its path."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError(f"{path}: expected a mapping at the top, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        message = message_of(err)
        if err["type"] == "extra_forbidden":
            message = "unknown field (not allowed here)"
        raise fail(str(path), text, err["loc"], message) from exc
