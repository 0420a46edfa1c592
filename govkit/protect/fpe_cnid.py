"""FF1 for resident IDs that stay valid: region kept, (birth date, sequence) encrypted.

The 17-digit body is ``RRRRRR YYYYMMDD SSS``. The date (days since 1900-01-01,
up to 2025-12-31) and the sequence form one number below 46,022,000; FF1 over 8
digits with cycle-walking maps it to another number in the same range, which is
read back as a real date and a sequence. The check character is then recomputed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

EPOCH = dt.date(1900, 1, 1)
LAST = dt.date(2025, 12, 31)
DOMAIN = ((LAST - EPOCH).days + 1) * 1000
WIDTH = 8


def _encode(body: str) -> int | None:
    try:
        born = dt.date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        return None
    if not EPOCH <= born <= LAST:
        return None
    return (born - EPOCH).days * 1000 + int(body[14:17])


def _decode(region: str, number: int) -> str:
    days, seq = divmod(number, 1000)
    born = EPOCH + dt.timedelta(days=days)
    return f"{region}{born:%Y%m%d}{seq:03d}"


def crypt(
    cipher: Callable[[str, str, str, str], str], key: str, tweak: str, body: str
) -> str | None:
    """Encrypt or decrypt (by ``cipher``) the date+sequence of a 17-digit body; None if it has no valid date."""
    number = _encode(body)
    if number is None:
        return None
    text = f"{number:0{WIDTH}d}"
    while True:  # cycle-walking: stays inside the domain, ~2.2 rounds on average
        text = cipher(key, tweak, "0123456789", text)
        if int(text) < DOMAIN:
            return _decode(body[:6], int(text))
