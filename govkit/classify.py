"""Entity → sensitivity tier and recommended action, from ``policies/classification.yaml``.

Defaults come from the tier table in :mod:`govkit.entities`; the file may change
any tier, add entities and name the action ``scan`` recommends.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from govkit._config import load_yaml_model
from govkit.entities import DEFAULT_TIERS, Sensitivity, max_tier
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


def load_classification(policy_dir: Path) -> Classification:
    """Load ``classification.yaml`` from ``policy_dir``; defaults when the file is absent.

    Raises:
        PolicyError: the file is not valid YAML or has unknown fields/tiers (names file and field).
    """
    path = Path(policy_dir) / FILE_NAME
    if not path.exists():
        return Classification()
    return load_yaml_model(path, Classification, error=PolicyError, what="classification")
