"""Entity → sensitivity tier and recommended action, from ``policies/classification.yaml``.

Defaults come from the tier table in :mod:`govkit.entities`; the file may change
any tier, add entities and name the action ``scan`` recommends.
"""

from __future__ import annotations

from collections.abc import Iterator
from difflib import get_close_matches
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from govkit._config import Problem, load_yaml_model, unknown_name
from govkit.entities import DEFAULT_TIERS, ENTITIES, Sensitivity, max_tier
from govkit.errors import PolicyError

FILE_NAME = "classification.yaml"
_DEFAULT_ACTIONS: dict[Sensitivity, str] = {"high": "tokenize", "medium": "mask", "low": "none"}


class Classification(BaseModel):
    """Tiers and actions per entity.

    Attributes:
        tiers: entity → tier (unlisted entities use the defaults).
        actions: entity → recommended protection (unlisted: by tier).
        presidio_recognizers: Presidio predefined recognizer classes to switch on.
    """

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    tiers: dict[str, Sensitivity] = Field(default_factory=dict)
    actions: dict[str, str] = Field(default_factory=dict)
    presidio_recognizers: list[str] = Field(default_factory=list)

    def tier(self, entity: str | None) -> Sensitivity:
        """Return the tier of an entity (``low`` for None or unknown entities)."""
        if entity is None:
            return "low"
        return self.tiers.get(entity) or DEFAULT_TIERS.get(entity, "low")

    def tier_of(self, entities: list[str]) -> Sensitivity:
        """Return the highest tier among ``entities`` (free text: what it embeds)."""
        return max_tier([self.tier(e) for e in entities])

    def action(self, entity: str | None, *, free_text: bool = False) -> str:
        """Return the recommended protection for a column holding ``entity``."""
        if entity is None:
            return "none"
        if free_text:
            return "redact"
        return self.actions.get(entity) or _DEFAULT_ACTIONS[self.tier(entity)]


TYPO_RATIO = 0.85
"""A new entity name this close to a built-in one is taken for a misspelling and refused."""


def _problems(classification: Classification) -> Iterator[Problem]:
    """Unknown names: a tier for a misspelt built-in entity, an action no transform has."""
    for name in classification.tiers:
        close = get_close_matches(name, ENTITIES, n=1, cutoff=TYPO_RATIO)
        if name not in DEFAULT_TIERS and close:
            yield (
                ("tiers", name),
                unknown_name("entity", name, ENTITIES)
                + ("; a new entity needs a name not this close to a built-in one"),
            )
    known = set(DEFAULT_TIERS) | set(classification.tiers)
    actions = {"none", *_builtin_transforms()}
    for name, action in classification.actions.items():
        if action not in actions and name in known:
            actions |= set(_transform_names())  # user transforms: load the registry now
        if name not in known:
            yield (
                ("actions", name),
                unknown_name("entity", name, known)
                + (" (give a new entity a tier under 'tiers' first)"),
            )
        elif action not in actions:
            yield ("actions", name), unknown_name("action", action, actions)


def _builtin_transforms() -> tuple[str, ...]:
    from govkit.protect.registry import BUILTINS  # names only: no transform module loads

    return BUILTINS


def _transform_names() -> list[str]:
    from govkit.protect.registry import names  # the transforms a rule may name

    return names()


def known_entities(policy_dir: Path | None) -> frozenset[str]:
    """Built-in entities plus those ``classification.yaml`` in ``policy_dir`` gives a tier."""
    if policy_dir is None:
        return frozenset(ENTITIES)
    return frozenset(ENTITIES) | set(load_classification(policy_dir).tiers)


def load_classification(policy_dir: Path) -> Classification:
    """Load ``classification.yaml`` from ``policy_dir``; defaults when the file is absent.

    Raises:
        PolicyError: the file is not valid YAML, has unknown fields or tiers, a misspelt
            entity or an unknown action (names file, line, field and the closest name).
    """
    path = Path(policy_dir) / FILE_NAME
    if not path.exists():
        return Classification()
    return load_yaml_model(
        path, Classification, error=PolicyError, what="classification", check=_problems
    )
