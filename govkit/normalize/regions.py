"""Which countries' national phone formats count as phone numbers.

A number written with its country code (``+44 …``, ``0044 …``) is judged by
that country's plan whatever the regions. A number written without one
(``(646) 786-8997``, ``2345 6789``, ``020 7946 0958``) is a phone when it is
valid in one of the regions, tried in order; the default is
:data:`DEFAULT_REGIONS`. Settings (``regions`` / ``GOVKIT_REGIONS``) and the
``--region`` option set them with :func:`set_regions`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from phonenumbers import SUPPORTED_REGIONS

__all__ = ["DEFAULT_REGIONS", "current_regions", "parse_regions", "set_regions"]

DEFAULT_REGIONS: tuple[str, ...] = ("CN", "HK", "MO", "TW", "US", "GB")
"""Mainland China first (its national numbers keep their national form), then HK, MO, TW, US, GB."""

_current: tuple[str, ...] | None = None


def parse_regions(regions: str | Iterable[str]) -> tuple[str, ...]:
    """Return ISO 3166 region codes from ``"CN,US"`` or an iterable, upper-cased, deduplicated.

    Raises:
        ValueError: a code ``phonenumbers`` does not know (the message names it).
    """
    items = regions.split(",") if isinstance(regions, str) else list(regions)
    out: list[str] = []
    for item in items:
        code = item.strip().upper()
        if not code:
            continue
        if code not in SUPPORTED_REGIONS:
            raise ValueError(
                f"unknown phone region {code!r}: use ISO 3166 codes such as CN, US, GB"
            )
        if code not in out:
            out.append(code)
    if not out:
        raise ValueError("no phone region given: name at least one, e.g. CN")
    return tuple(out)


def set_regions(regions: str | Iterable[str] | None) -> tuple[str, ...]:
    """Set the regions for this process (None: back to settings/default); returns them."""
    global _current
    _current = None if regions is None else parse_regions(regions)
    return current_regions()


def current_regions() -> tuple[str, ...]:
    """The regions in force: :func:`set_regions`, else ``GOVKIT_REGIONS``, else the default."""
    if _current is not None:
        return _current
    env = os.environ.get("GOVKIT_REGIONS")
    return parse_regions(env) if env else DEFAULT_REGIONS
