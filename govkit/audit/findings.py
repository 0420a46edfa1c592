"""Typed verification findings and the verification result."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from govkit.audit.checkpoints import Checkpoint

FindingKind = Literal[
    "MODIFIED", "MISSING", "REORDERED", "FORGED", "TRUNCATED", "BAD_SIGNATURE", "UNANCHORED"
]
WARNINGS: frozenset[str] = frozenset({"UNANCHORED"})

EXPLAIN: dict[str, str] = {
    "MODIFIED": "the event's content no longer matches its hash (edited after it was written)",
    "MISSING": "events are absent from the chain (deleted)",
    "REORDERED": "events are out of chain order",
    "FORGED": "events or history not written by govkit under the audit key",
    "TRUNCATED": "the chain is shorter than a signed checkpoint or its head row (tail deleted)",
    "BAD_SIGNATURE": "a checkpoint or event MAC does not verify under the configured audit key",
    "UNANCHORED": "events after the newest checkpoint; they verify, but no signature covers them yet",
}


class Finding(BaseModel):
    """One verification finding over a seq range."""

    model_config = ConfigDict(extra="forbid")

    kind: FindingKind
    seq: int
    seq_end: int
    severity: Literal["error", "warning"]
    message: str


class VerifyResult(BaseModel):
    """What ``govkit audit verify`` found (JSON schema in docs/audit.md)."""

    model_config = ConfigDict(extra="forbid")

    store: str
    chain_id: str
    events: int = 0
    """Events read and checked."""
    head_seq: int = 0
    head_hash: str | None = None
    key_id: str
    checkpoints: list[Checkpoint] = Field(default_factory=list)
    anchored: int = 0
    """Events covered by a valid checkpoint."""
    findings: list[Finding] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        """True when no integrity finding (warnings allowed)."""
        return not any(f.severity == "error" for f in self.findings)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def errors(self) -> int:
        """Number of integrity findings."""
        return sum(1 for f in self.findings if f.severity == "error")


class FindingLog:
    """Collects findings, merging consecutive seqs of the same kind into ranges."""

    def __init__(self, limit: int = 10_000) -> None:
        self.items: list[Finding] = []
        self.limit = limit
        self.dropped = 0

    def add(self, kind: FindingKind, seq: int, message: str, seq_end: int | None = None) -> None:
        """Record a finding (merged with the previous one when it continues its range)."""
        end = seq if seq_end is None else seq_end
        for last in reversed(self.items[-4:]):
            if last.kind == kind and last.message == message and last.seq_end + 1 >= seq:
                last.seq_end = max(last.seq_end, end)
                return
        if len(self.items) >= self.limit:
            self.dropped += 1
            return
        severity: Literal["error", "warning"] = "warning" if kind in WARNINGS else "error"
        self.items.append(
            Finding(kind=kind, seq=seq, seq_end=end, severity=severity, message=message)
        )

    def sorted(self) -> list[Finding]:
        """Findings ordered by seq."""
        return sorted(self.items, key=lambda f: (f.seq, f.kind))
