"""Whole-value matchers: for a batch of values, which have an entity's shape and which validate.

Everything is vectorised over Arrow arrays (RE2 via ``pyarrow.compute``, numpy
checksums); Python runs per value only where a primitive demands it and only on
values that already have the shape (phone numbers outside the common mobile
form, USCC, IBAN, IPv6), with results cached.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from govkit.detect.names import _SURNAME
from govkit.detect.patterns import iban_ok, ip_ok, ssn_ok
from govkit.detect.validators import is_cn_uscc, valid_cn_resident_ids, valid_luhn
from govkit.detect.vocab import ETHNICITY_VALUES, HEALTH_VALUES, PROVINCES_ZH, RELIGION_VALUES
from govkit.normalize import phone_numbers

Bools = npt.NDArray[np.bool_]

_PLATE_CHARS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_STREET = (
    r"(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    r"terrace|parkway|pkwy|square|sq|highway|hwy|suite|apt)"
)
_DATE = r"^(?P<y>(?:19|20)[0-9]{2})[-/.年]?(?P<m>[01]?[0-9])[-/.月]?(?P<d>[0-3]?[0-9])日?$"


def _rx(values: pa.Array, pattern: str) -> Bools:
    mask = pc.fill_null(pc.match_substring_regex(values, pattern), False)
    out: Bools = mask.to_numpy(zero_copy_only=False)
    return out


def _per_value(values: pa.Array, shape: Bools, check: Callable[[str], bool]) -> Bools:
    """Run a Python check on the values that have the shape only."""
    out: Bools = np.zeros(len(values), dtype=bool)
    idx = np.flatnonzero(shape)
    if idx.size:
        texts = values.take(pa.array(idx)).to_pylist()
        out[idx] = [bool(check(t)) for t in texts]
    return out


def _phone(values: pa.Array) -> tuple[Bools, Bools]:
    """Shape and validity from :func:`govkit.normalize.phone_numbers` (the one phone validator).

    A bare run of digits that is valid only as another region's national number
    (``23456789`` is a Hong Kong number, and an order number) has the shape but
    does not count as valid here: the header decides such a column.
    """
    found = phone_numbers(values, exact=False)
    valid: Bools = found.valid & ~(found.national & found.bare)
    return found.shape | found.valid, valid


def _dates(values: pa.Array) -> tuple[Bools, Bools]:
    parts = pc.extract_regex(values, _DATE)
    shape = pc.fill_null(pc.is_valid(parts), False).to_numpy(zero_copy_only=False)
    valid: Bools = np.zeros(len(values), dtype=bool)
    if shape.any():
        from govkit.detect.validators import _valid_dates

        def num(i: int) -> npt.NDArray[np.int64]:
            field = pc.fill_null(pc.cast(pc.struct_field(parts, [i]), pa.int64()), 0)
            arr: npt.NDArray[np.int64] = field.to_numpy(zero_copy_only=False).astype(np.int64)
            return arr

        valid = shape & _valid_dates(num(0), num(1), num(2))
    return shape, valid


def _in(values: pa.Array, vocab: frozenset[str]) -> Bools:
    lowered = pc.utf8_lower(values)
    mask = pc.fill_null(pc.is_in(lowered, pa.array(sorted(vocab), pa.string())), False)
    out: Bools = mask.to_numpy(zero_copy_only=False)
    return out


@dataclass(frozen=True)
class MatchResult:
    """Per entity, which values have its shape and which validate."""

    shape: dict[str, Bools]
    valid: dict[str, Bools]


VALIDATORS = {
    "CN_RESIDENT_ID": "GB 11643 MOD 11-2 + birth date + province",
    "CREDIT_CARD": "Luhn + issuer prefix",
    "PHONE_NUMBER": "phonenumbers",
    "EMAIL_ADDRESS": "e-mail syntax",
    "DATE_OF_BIRTH": "calendar date",
    "IP_ADDRESS": "ipaddress",
    "CN_USCC": "GB 32100 mod 31",
    "IBAN_CODE": "ISO 13616 mod 97",
    "US_SSN": "SSA area/group/serial rules",
    "ETHNICITY": "ethnic-group vocabulary",
    "RELIGION": "religion vocabulary",
    "HEALTH": "health-term vocabulary",
}


_EMAIL = r"^[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9\-]{2,59})$"  # fmt: skip
_IPV4 = r"^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$"  # fmt: skip
_EN_NAME = (
    r"^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?: [A-Z]\.?)?(?: (?:[A-Z][a-z]*['-])?[A-Z][a-z]+){1,2}$"
)
_ZH_ADDRESS = (
    r"(?:省|市|自治区|区|县|旗|"
    + "|".join(PROVINCES_ZH)
    + r").*(?:路|街|道|巷|弄|村|镇|乡|号|大厦|小区|花园)"
)
_SIMPLE = {
    "CN_PASSPORT": r"^(?:E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8})$",
    "CN_HK_MACAU_PERMIT": r"^[HM][0-9]{8}(?:[0-9]{2})?$",
    "CN_LICENSE_PLATE": "^[" + _PLATE_CHARS + r"][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}$",
}


class _Values:
    """The values under test, with the derived forms several matchers share (computed once)."""

    def __init__(self, values: pa.Array) -> None:
        self.values = values

    @cached_property
    def compact(self) -> pa.Array:
        return pc.utf8_upper(pc.replace_substring_regex(self.values, r"[\s\-().·]+", ""))

    @cached_property
    def id_shape(self) -> Bools:
        return _rx(self.compact, r"^(?:[0-9]{17}[0-9X]|[0-9]{15})$")

    @cached_property
    def card_shape(self) -> Bools:
        return _rx(self.compact, r"^[0-9]{12,19}$")

    @cached_property
    def card_valid(self) -> Bools:
        """Luhn, an ISO/IEC 7812 payment MII (1 = UATP, 15 digits; 2–6), not a valid ID."""
        prefix = _rx(self.compact, r"^(?:1[0-9]{14}$|[2-6])")
        out: Bools = self.card_shape & prefix & valid_luhn(self.compact) & ~self.id_valid
        return out

    @cached_property
    def id_valid(self) -> Bools:
        out: Bools = self.id_shape & valid_cn_resident_ids(self.compact)
        return out


Pair = tuple[Bools, Bools]


def _resident_id(v: _Values) -> Pair:
    return v.id_shape, v.id_valid


def _card(v: _Values) -> Pair:
    return v.card_shape, v.card_valid


def _email(v: _Values) -> Pair:
    email = _rx(v.values, _EMAIL)
    return _rx(v.values, r"^[^@\s]+@[^@\s]+$") | email, email


def _ip(v: _Values) -> Pair:
    ipv6 = _per_value(v.values, _rx(v.values, r"^[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]{2,}$"), ip_ok)
    both = _rx(v.values, _IPV4) | ipv6
    return both, both


def _uscc(v: _Values) -> Pair:
    """GB 32100; a valid resident ID is not a USCC.

    An all-digit value can pass both GB 32100 and Luhn (1 in 31 random card numbers
    of 18 digits do): the column decides between card and USCC by share and header
    (:func:`govkit.detect.columns._pick`), as text decides by cue word.
    """
    shape = _rx(v.compact, r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
    return shape, _per_value(v.compact, shape & ~v.id_valid, is_cn_uscc)


def _iban(v: _Values) -> Pair:
    shape = _rx(v.compact, r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
    return shape, _per_value(v.compact, shape, iban_ok)


def _ssn(v: _Values) -> Pair:
    shape = _rx(v.values, r"^[0-9]{3}-[0-9]{2}-[0-9]{4}$")
    return shape, _per_value(v.values, shape, ssn_ok)


def _location(v: _Values) -> Pair:
    en = _rx(v.values, r"^[0-9]{1,6}[A-Za-z]?\s+\S.*\b" + _STREET + r"\b") | _rx(
        v.values, r"(?i:p\.?\s?o\.?\s?box)|, [A-Z]{2} [0-9]{5}(?:-[0-9]{4})?$"
    )
    both = _rx(v.values, _ZH_ADDRESS) | en
    return both, both


def _person(v: _Values) -> Pair:
    zh = _rx(v.values, "^" + _SURNAME + r"[\x{4e00}-\x{9fff}]{1,2}$") | _rx(
        v.values, r"^[\x{4e00}-\x{9fff}]{2,6}·[\x{4e00}-\x{9fff}]{2,6}$"
    )
    both = zh | _rx(v.values, _EN_NAME)
    return both, both


def _simple(entity: str) -> Callable[[_Values], Pair]:
    def match(v: _Values) -> Pair:
        hit = _rx(v.compact, _SIMPLE[entity])
        return hit, hit

    return match


def _vocab(words: frozenset[str]) -> Callable[[_Values], Pair]:
    def match(v: _Values) -> Pair:
        hit = _in(v.values, words)
        return hit, hit

    return match


MATCHERS: dict[str, Callable[[_Values], Pair]] = {
    "CN_RESIDENT_ID": _resident_id,
    "CREDIT_CARD": _card,
    "PHONE_NUMBER": lambda v: _phone(v.values),
    "EMAIL_ADDRESS": _email,
    "DATE_OF_BIRTH": lambda v: _dates(v.values),
    "IP_ADDRESS": _ip,
    "CN_USCC": _uscc,
    "IBAN_CODE": _iban,
    "US_SSN": _ssn,
    **{entity: _simple(entity) for entity in _SIMPLE},
    "LOCATION": _location,
    "PERSON": _person,
    "ETHNICITY": _vocab(ETHNICITY_VALUES),
    "RELIGION": _vocab(RELIGION_VALUES),
    "HEALTH": _vocab(HEALTH_VALUES),
}
"""Whole-value matcher per entity: values → (has the shape, validates)."""


def match_values(values: pa.Array, entities: Iterable[str] | None = None) -> MatchResult:
    """Match normalised (NFKC, trimmed), non-null string values against entities.

    Args:
        values: the values.
        entities: only these entities (default: all). ``--full`` confirms only the
            entities a column's sample showed any sign of.
    """
    prepared = _Values(values)
    shape: dict[str, Bools] = {}
    valid: dict[str, Bools] = {}
    for entity in MATCHERS if entities is None else entities:
        shape[entity], valid[entity] = MATCHERS[entity](prepared)
    return MatchResult(shape, valid)
