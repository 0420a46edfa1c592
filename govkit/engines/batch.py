"""Index of the batch functions every engine runs (they live with their stage).

- protect: :func:`govkit.protect.task.protect_partition` (the ``mapInArrow`` function),
  :func:`~govkit.protect.task.protector_for` (``.protect(batch, schema)``, ``.counts()``).
- scan --full: :func:`govkit.detect.profiling.profile_batch` (additive
  :class:`~govkit.detect.columns.ColumnProfile`, merged with ``merge``) and
  :func:`~govkit.detect.profiling.detector_for` (once per worker).
"""

from __future__ import annotations

from govkit.detect.profiling import detector_for, profile_batch, profile_batches
from govkit.protect.task import HandedKeys, bind, protect_partition, protector_for

__all__ = [
    "HandedKeys",
    "bind",
    "detector_for",
    "profile_batch",
    "profile_batches",
    "protect_partition",
    "protector_for",
]
