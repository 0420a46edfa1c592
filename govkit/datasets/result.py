"""What a write produced."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WriteResult:
    """Where the data went and how much of it."""

    uri: str
    rows: int
