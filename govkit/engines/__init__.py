"""Engines execute stage tasks over Arrow batches: :class:`LocalEngine` here, Spark elsewhere.

See :mod:`govkit.engines.base` for the protocol and docs/architecture.md for the seam.
"""

from __future__ import annotations

from govkit.engines.base import Engine, ProfileColumn, ProfileTask, ProtectExecution, ProtectTask
from govkit.engines.local import LocalEngine, Workers, machine_workers, parse_workers

__all__ = [
    "Engine",
    "LocalEngine",
    "ProfileColumn",
    "ProfileTask",
    "ProtectExecution",
    "ProtectTask",
    "Workers",
    "machine_workers",
    "parse_workers",
]
