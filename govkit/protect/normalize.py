"""Protect's view of normalisation: the one definition lives in :mod:`govkit.normalize`.

Deterministic transforms normalise before they tokenize, hash or encrypt, so
``138-1234-5678`` and ``+86 13812345678`` give one token. This module only
re-exports the vectorised functions under the names protect's transforms import.
"""

from __future__ import annotations

from govkit.normalize.values import normalized, normalized_array, normalized_bytes

__all__ = ["normalized", "normalized_array", "normalized_bytes"]
