"""The transform registry: built-ins register the same way users do.

A user transform is a :class:`~govkit.protect.base.Transform` subclass with a
``name``, decorated with :func:`register`; rules then name it like a built-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from govkit.errors import ConfigError, ProtectionError
from govkit.protect.base import Transform
from govkit.protect.keys import KeyProvider

_REGISTRY: dict[str, type[Transform]] = {}
T = TypeVar("T", bound=type[Transform])


def register(cls: T) -> T:
    """Class decorator: make a transform available by its ``name``."""
    _REGISTRY[cls.name] = cls
    return cls


BUILTINS = (
    "keep",
    "drop",
    "redact",
    "mask",
    "hash",
    "tokenize",
    "encrypt",
    "fpe",
    "generalize",
    "text",
)


_loaded: list[bool] = []


def _load_builtins() -> None:
    if not _loaded:
        import importlib

        for module in BUILTINS:
            importlib.import_module(f"govkit.protect.{module}")  # registers on import
        _loaded.append(True)


def transform_class(name: str) -> type[Transform]:
    """The class registered as ``name``.

    Raises:
        ConfigError: no such transform.
    """
    _load_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ConfigError(
            f"unknown transform {name!r} (one of: {', '.join(sorted(_REGISTRY))})"
        ) from None


def names() -> list[str]:
    """Registered transform names, sorted."""
    _load_builtins()
    return sorted(_REGISTRY)


def parse_params(cls: type[Transform], params: Mapping[str, Any], prefix: str) -> BaseModel:
    """The validated parameters; ConfigError names ``prefix`` + the first bad field."""
    try:
        return cls.Params.model_validate(dict(params))
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{prefix}{field}: {first['msg']}") from None


def check_params(name: str, params: Mapping[str, Any], where: str) -> None:
    """Validate parameters without building anything (policy load time).

    Raises:
        ConfigError: names ``where`` (file and field path) and the bad field.
    """
    try:
        cls = transform_class(name)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    parse_params(cls, params, f"{where}.params.")


def build(
    name: str,
    params: Mapping[str, Any],
    *,
    column: str,
    entity: str | None,
    keys: KeyProvider | None,
) -> Transform:
    """Validate parameters, fetch the active key the transform needs, and build it.

    Raises:
        ConfigError: unknown transform or bad parameters.
        KeyMaterialError: the needed key is missing.
    """
    cls = transform_class(name)
    parsed = parse_params(cls, params, f"column {column!r}: {name}.")
    key = None
    if cls.key_purpose is not None:
        if keys is None:
            raise ProtectionError(f"column {column!r}: {name} needs a keyring")
        key = keys.active(cls.key_purpose)
    return cls(parsed, column=column, entity=entity, key=key)
