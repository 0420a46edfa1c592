"""Normalisation and phone validity: one home, below detect, protect and quality.

``detect`` (scan), ``quality`` (validate) and ``protect`` import these
functions; this package imports none of them. See ``docs/scan.md`` for the
regions and the canonical phone form.
"""

from govkit.normalize.phones import PhoneNumbers, is_phone, normalize_phone, phone_numbers
from govkit.normalize.regions import DEFAULT_REGIONS, current_regions, parse_regions, set_regions
from govkit.normalize.text import ID_ENTITIES, normalize_id, normalize_text
from govkit.normalize.values import (
    normalize_value,
    normalized,
    normalized_array,
    normalized_bytes,
)

__all__ = [
    "DEFAULT_REGIONS",
    "ID_ENTITIES",
    "PhoneNumbers",
    "current_regions",
    "is_phone",
    "normalize_id",
    "normalize_phone",
    "normalize_text",
    "normalize_value",
    "normalized",
    "normalized_array",
    "normalized_bytes",
    "parse_regions",
    "phone_numbers",
    "set_regions",
]
