"""Normalising values before they are matched, validated or protected.

Values arrive typed the way people type them: full-width digits (``１３８``),
spaces and dashes inside phone numbers, ``+86`` / ``0086`` prefixes, a lower-case
``x`` at the end of a resident ID. Every detector and transform sees the value
through these functions first, so ``138-1234-5678`` and ``+86 138 1234 5678``
are the same phone number to govkit.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

__all__ = [
    "normalize_id",
    "normalize_phone",
    "normalize_text",
    "normalize_value",
]

_PHONE_SEPARATORS = re.compile(r"[\s\-().·/]+")
_CN_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_CN_LANDLINE = re.compile(r"0[1-9][0-9]{8,10}")
_EXTENSION = re.compile(r"(?:ext\.?|x|转|分机)\s*[0-9]{1,6}$", re.IGNORECASE)
_ID_SPACES = re.compile(r"[\s\-]+")


def normalize_text(s: str) -> str:
    """Return ``s`` in NFKC form (full-width letters and digits become ASCII), trimmed.

    Example: ``normalize_text(" １３８ ")`` → ``"138"``.
    """
    return unicodedata.normalize("NFKC", s).strip()


def _parse(number: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None


def normalize_phone(s: str) -> str | None:
    """Return the canonical form of a phone number, or None when ``s`` is not one.

    Chinese numbers (with or without ``+86`` / ``0086``) become the national
    significant number: ``13812345678`` for a mobile, ``1012345678`` for
    ``010-12345678``. Other countries' numbers become E.164 (``+442079460958``).
    A number must be valid for its country per ``phonenumbers``.

    Examples:
        ``normalize_phone("+86 138-1234-5678")`` → ``"13812345678"``;
        ``normalize_phone("order 12")`` → ``None``.
    """
    text = _EXTENSION.sub("", normalize_text(s))
    compact = _PHONE_SEPARATORS.sub("", text)
    if not compact or len(compact) > 20:
        return None
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+"):
        if not compact[1:].isdigit():
            return None
        number = _parse(compact, None)
        if number is None or not phonenumbers.is_valid_number(number):
            return None
        if number.country_code == 86:
            return str(number.national_number)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not compact.isdigit():
        return None
    if compact.startswith("86") and len(compact) == 13 and _CN_MOBILE.fullmatch(compact[2:]):
        compact = compact[2:]
    if not (_CN_MOBILE.fullmatch(compact) or _CN_LANDLINE.fullmatch(compact)):
        return None
    number = _parse(compact, "CN")
    if number is None or not phonenumbers.is_valid_number(number):
        return None
    return str(number.national_number)


def normalize_id(s: str) -> str:
    """Return an identifier in NFKC form, without spaces or dashes, upper-cased.

    Example: ``normalize_id("１１０１０１ 19900307 775x")`` → ``"11010119900307775X"``.
    """
    return _ID_SPACES.sub("", unicodedata.normalize("NFKC", s)).upper()


ID_ENTITIES: frozenset[str] = frozenset(
    {
        "CN_RESIDENT_ID",
        "CN_USCC",
        "CREDIT_CARD",
        "IBAN_CODE",
        "CN_PASSPORT",
        "CN_HK_MACAU_PERMIT",
        "US_SSN",
    }
)
"""Entities normalised as identifiers (``normalize_id``); protect's column fast path uses it too."""


def normalize_value(entity: str, value: str) -> str:
    """Normalise ``value`` the way entity ``entity`` is matched.

    Phone numbers use :func:`normalize_phone` (the text form when it is not a
    phone), identifiers :func:`normalize_id`, e-mail addresses are lower-cased;
    everything else goes through :func:`normalize_text`.
    """
    if entity == "PHONE_NUMBER":
        return normalize_phone(value) or normalize_text(value)
    if entity in ID_ENTITIES:
        return normalize_id(value)
    if entity == "EMAIL_ADDRESS":
        return normalize_text(value).lower()
    return normalize_text(value)
