"""Chinese addresses inside text that the road-plus-number pattern misses.

People write an address as a place more often than as a postal line:
``北京市朝阳区国贸大厦``, ``成都市高新区天府软件园D区``, ``建国路 88 号``. An
address here is a province and/or city from the gazetteer (:mod:`.vocab`),
optional districts (``…区``, ``…县``), then a road with a number or a named
place (``大厦``, ``软件园``, ``小区`` …) and its building parts (``D区``,
``3号楼``, ``501室``); or a city and district followed by any place name
(``广州市天河区珠江新城``, ``成都市武侯区人民南路四段``). A bare city name is not an
address: without the ``省``/``市`` suffix or a district after it (``白银首饰中心``)
nothing is reported. After an address cue (``地址``, ``住址``, ``寄到``, ``送到`` …)
the text up to the next punctuation is the address when it starts with a
gazetteer name or shows a road, village or district, a house number or a named
place within its first 12 characters: fail closed.
"""

from __future__ import annotations

import re

from govkit.detect.vocab import CITIES_ZH, PROVINCES_ZH

__all__ = ["ADDRESS_GATE", "ADDRESS_PREFILTER", "zh_addresses"]

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
    rf"(?P<units>(?:[{_HAN}]{{0,5}}?(?:区|县|旗|镇|乡)){{0,3}})"
    r"\s?"
    rf"(?:[{_HAN}0-9A-Za-z]{{0,12}}?(?:{_ROAD})\s?[0-9]{{1,5}}\s?(?:号|弄)"
    rf"|[{_HAN}0-9A-Za-z]{{1,12}}?(?:{_PLACE})|[{_HAN}0-9A-Za-z]{{0,12}}?(?:{_PARK}))" + _PART
)
_HEAD = (
    rf"(?=[{_FIRST}])(?:(?:{_PROV})(?:省|市|自治区|特别行政区)?(?:(?:{_CITY})市?)?|(?:{_CITY})市?)"
)
_LAND = f"(?:(?![的了是在吗呢吧啊呀很太也就还要已请您你我他她们])[{_HAN}0-9A-Za-z])"
_NOT_DISTRICT = "(?<![地社城郊辖片景专分全本该灾矿])"
"""Before 区 these make a word, not a district (``上海全部地区``, ``北京社区``)."""
_DISTRICT = re.compile(
    rf"{_HEAD}(?:(?!市){_LAND}{{1,5}}?{_NOT_DISTRICT}(?:区|县|旗)){{1,3}}(?:{_LAND}{{2,14}})?"
)
"""City + district (``北京市朝阳区``) + whatever names the place (``珠江新城``,
``人民南路四段``) up to a particle, no suffix needed."""
_CUE = re.compile(
    r"(?:收货地址|送货地址|家庭地址|联系地址|住址|地址|寄到|送到|寄往|发往)(?:是|为|在)?[:：]?\s?"
    r"(?![了的过])(?P<v>[^\s，。；;,!！?？、\n()（）][^，。；;,!！?？、\n()（）]{3,40})"
)
"""After an address cue, the text up to the next punctuation is the address (fail closed)."""
_HEAD_AT = re.compile(_HEAD)
_SIGN = re.compile(
    rf"[{_HAN}]{{2}}(?:{_ROAD}|村|镇|乡|{_NOT_DISTRICT}区|县)|[0-9]\s?(?:号|栋|幢|室|单元)|{_PLACE}|{_PARK}"
)
"""After a cue, an address starts with a gazetteer name or shows a road, district, house
number or named place within its first 12 characters (``收货地址因为搬到上海了`` is text)."""
ADDRESS_PREFILTER = f"{_PLACE}|{_PARK}|地址|住址|寄到|送到|寄往|发往"
"""RE2 pattern (pyarrow): with the road, number and district signs of the general
pre-filter, a cell that does not match holds no address :func:`zh_addresses` finds."""
_HINT = re.compile(rf"(?:{_ROAD})\s?[0-9]|{_PLACE}|{_PARK}|区|县|旗|地址|住址|寄到|送到|寄往|发往")
ADDRESS_GATE = f"{_ROAD}|{_PLACE}|{_PARK}|区|县|旗|地址|住址|寄到|送到|寄往|发往"
"""RE2 pattern (pyarrow) that every text :func:`zh_addresses` finds an address in
contains (``_HINT`` without the digit after a road): batch detection skips the others."""


def zh_addresses(text: str) -> list[tuple[int, int]]:
    """Return spans of Chinese addresses (gazetteer head + road number or named place)."""
    if text.isascii() or not _HINT.search(text):
        return []
    spans = [m.span() for m in _DISTRICT.finditer(text)]
    for m in _ADDRESS.finditer(text):
        if any(m.group(g) for g in ("ps", "cs", "cs2", "units")):
            spans.append(m.span())
    for m in _CUE.finditer(text):
        value = m.group("v")
        if _HEAD_AT.match(value) or _SIGN.search(value, 0, 12):
            spans.append((m.start("v"), m.start("v") + len(m.group("v").rstrip())))
    return spans
