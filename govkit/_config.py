"""Reading a YAML config file into a pydantic model, with one-line errors naming file and field.

Every config file (catalog, ``classification.yaml``, ``protection.yaml``, access
policies) reports a problem as ``FILE:LINE: field.path: message``; an unknown
name (entity, tier, kind, transform, role …) names the closest known one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from difflib import get_close_matches
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from govkit.errors import ConfigError

ModelT = TypeVar("ModelT", bound=BaseModel)
Loc = Sequence[str | int]
Problem = tuple[Loc, str]
"""A problem found after validation: the field path and the message."""


def field_path(loc: Loc) -> str:
    """``("rules", 0, "match", "tags", 1)`` → ``rules[0].match.tags[1]``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


def locate(text: str, loc: Loc) -> int | None:
    """Return the 1-based line of the YAML node at ``loc`` (or its nearest parent)."""
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = None if node is None else node.start_mark.line + 1
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    child = key if not isinstance(value, yaml.Node) else value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def unknown_name(kind: str, name: object, known: Collection[str]) -> str:
    """``unknown entity 'CN_RESIDENT_IDD' (did you mean 'CN_RESIDENT_ID'?)``."""
    close = get_close_matches(str(name), sorted(known), n=1, cutoff=0.5)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {kind} {str(name)!r}{hint}"


def where(path: Path | str, text: str | None, loc: Loc) -> str:
    """``FILE:LINE: field.path`` for the node at ``loc`` (``FILE: …`` when the line is unknown)."""
    line = locate(text, loc) if text is not None and loc else None
    return f"{path}:{line}: {field_path(loc)}" if line else f"{path}: {field_path(loc)}"


_KINDS = {
    "sensitivity": "tier",
    "tiers": "tier",
    "kind": "kind",
    "kinds": "kind",
    "views": "view",
    "view": "view",
    "effect": "effect",
}


def message_of(err: Any) -> str:
    """The message for one pydantic error (as from ``exc.errors()``)."""
    return _message(err, list(err["loc"]))


def _message(err: Any, loc: Loc) -> str:
    """A pydantic error as a message; an unknown literal names the closest allowed value."""
    if err["type"] == "literal_error":
        expected = str(err.get("ctx", {}).get("expected", ""))
        choices = [c.strip().strip("'\"") for c in expected.replace(" or ", ",").split(",")]
        value = err.get("input")
        kind = next((_KINDS[str(p)] for p in reversed(loc) if str(p) in _KINDS), "value")
        close = get_close_matches(str(value), [c for c in choices if c], n=1, cutoff=0.5)
        if isinstance(value, str | int) and close:
            return unknown_name(kind, value, [c for c in choices if c])
    return str(err["msg"]).removeprefix("Value error, ")


def load_yaml_model(
    path: Path,
    model: type[ModelT],
    *,
    error: type[ConfigError] = ConfigError,
    what: str,
    check: Callable[[ModelT], Iterable[Problem]] | None = None,
) -> ModelT:
    """Parse ``path`` as YAML and validate it as ``model`` (an empty file is an empty mapping).

    Args:
        path: the file.
        model: the pydantic model (``extra="forbid"`` models reject unknown fields).
        error: the ConfigError subclass to raise (``PolicyError`` for files in ``policies/``).
        what: what the file holds, for messages (``"protection rules"``).
        check: further checks on the validated model (unknown entity names …); the
            first problem it yields is raised.

    Raises:
        ConfigError: (or ``error``) unreadable, not YAML, or not valid; the message names the
            file, line and field path of the first problem, never a value from the file
            other than an unknown name.
    """
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror})") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise error(f"{path}: not valid YAML ({what})") from exc
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = list(first["loc"])
        at = where(path, text, loc) if loc else f"{path}: (top level)"
        raise error(f"{at}: {_message(first, loc)}") from None
    for bad, message in check(parsed) if check is not None else ():
        raise error(f"{where(path, text, bad)}: {message}")
    return parsed
