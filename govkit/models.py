"""Result models shared by stages.

Stage-specific results live beside their stage (``govkit.detect``, ``govkit.protect`` …)
and are re-exported from the package root. This module holds what every stage uses.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Outcome = Literal["success", "failure", "denied"]
DetailValue = str | int | float | bool | None


class AuditEvent(BaseModel):
    """What a stage tells the Governor to record.

    The Governor stamps who/when/where (actor, UTC time, host, govkit version)
    before appending. Never put a raw personal value here: column names, counts
    and entity types only; a value, where unavoidable, only as a keyed hash.
    """

    model_config = ConfigDict(extra="forbid")

    action: str
    outcome: Outcome = "success"
    reason: str | None = None
    dataset: str | None = None
    fingerprint: str | None = None
    columns: list[str] = Field(default_factory=list)
    role: str | None = None
    purpose: str | None = None
    rule_ids: list[str] = Field(default_factory=list)
    policy_hash: str | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    details: dict[str, DetailValue] = Field(default_factory=dict)
