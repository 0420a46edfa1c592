"""Entity types govkit detects (a stable contract) and their default sensitivity tiers.

The defaults implement the tier table of the domain reference; an organisation
changes them in ``policies/classification.yaml``.
"""

from __future__ import annotations

from typing import Literal

Sensitivity = Literal["high", "medium", "low"]
TIER_ORDER: dict[Sensitivity, int] = {"low": 0, "medium": 1, "high": 2}

DEFAULT_TIERS: dict[str, Sensitivity] = {
    "CN_RESIDENT_ID": "high",
    "CREDIT_CARD": "high",
    "IBAN_CODE": "high",
    "CN_PASSPORT": "high",
    "CN_HK_MACAU_PERMIT": "high",
    "US_SSN": "high",
    "HEALTH": "high",
    "RELIGION": "high",
    "ETHNICITY": "high",
    "PHONE_NUMBER": "medium",
    "EMAIL_ADDRESS": "medium",
    "LOCATION": "medium",
    "PERSON": "medium",
    "DATE_OF_BIRTH": "medium",
    "IP_ADDRESS": "medium",
    "CN_LICENSE_PLATE": "medium",
    "CN_USCC": "low",
}
"""Every entity name govkit emits, with its default tier. ``CN_USCC`` identifies an
organisation, not a person, hence ``low`` by default."""

ENTITIES: tuple[str, ...] = tuple(sorted(DEFAULT_TIERS))


def max_tier(tiers: list[Sensitivity]) -> Sensitivity:
    """Return the highest of the given tiers (``low`` for none)."""
    return max(tiers, key=TIER_ORDER.__getitem__, default="low")
