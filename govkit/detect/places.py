"""Chinese addresses inside text that the road-plus-number pattern misses.

People write an address as a place more often than as a postal line:
``北京市朝阳区国贸大厦``, ``成都市高新区天府软件园D区``, ``建国路 88 号``. An
address here is a province and/or city from the gazetteer (:mod:`.vocab`),
optional districts (``…区``, ``…县``), then a road with a number or a named
place (``大厦``, ``软件园``, ``小区`` …) and its building parts (``D区``,
``3号楼``, ``501室``). A bare city name is not an address: without the
``省``/``市`` suffix or a district after it (``白银首饰中心``) nothing is reported.
"""

from __future__ import annotations

import re

from govkit.detect.vocab import CITIES_ZH, PROVINCES_ZH

__all__ = ["zh_addresses"]

_HAN = "\u4e00-\u9fff"
_NAMES = sorted(set(PROVINCES_ZH) | set(CITIES_ZH), key=len, reverse=True)
_PROV = "|".join(sorted(PROVINCES_ZH, key=len, reverse=True))
_CITY = "|".join(sorted(CITIES_ZH, key=len, reverse=True))
_FIRST = "".join(sorted({n[0] for n in _NAMES}))
_PLACE = "大厦|大楼|广场|中心|小区|花园|公寓|商城|家园|新村|大院|苑"
_PARK = "软件园|产业园|科技园|工业园|工业区|开发区|园区"
"""Named places that need no name before them once a district is given (``南山区科技园``)."""
_ROAD = "大道|路|街|巷|弄|胡同"
_PART = r"(?:\s?[0-9A-Za-z]{1,5}\s?(?:区|座|栋|幢|号楼|单元|层|楼|室|号|期|院))*"
_ADDRESS = re.compile(
    rf"(?=[{_FIRST}])"
    rf"(?:(?P<prov>{_PROV})(?P<ps>省|市|自治区|特别行政区)?(?:(?P<city>{_CITY})(?P<cs>市)?)?"
    rf"|(?P<city2>{_CITY})(?P<cs2>市)?)"
    rf"(?P<units>(?:[{_HAN}]{{0,5}}?(?:区|县|旗|镇|乡))*)"
    r"\s?"
    rf"(?:[{_HAN}0-9A-Za-z]{{0,12}}?(?:{_ROAD})\s?[0-9]{{1,5}}\s?(?:号|弄)"
    rf"|[{_HAN}0-9A-Za-z]{{1,12}}?(?:{_PLACE})|[{_HAN}0-9A-Za-z]{{0,12}}?(?:{_PARK}))" + _PART
)
_HINT = re.compile(rf"(?:{_ROAD})\s?[0-9]|{_PLACE}|{_PARK}")


def zh_addresses(text: str) -> list[tuple[int, int]]:
    """Return spans of Chinese addresses (gazetteer head + road number or named place)."""
    if text.isascii() or not _HINT.search(text):
        return []
    spans = []
    for m in _ADDRESS.finditer(text):
        if any(m.group(g) for g in ("ps", "cs", "cs2", "units")):
            spans.append(m.span())
    return spans
