"""Whole-value matchers: for a batch of values, which have an entity's shape and which validate.

Everything is vectorised over Arrow arrays (RE2 via ``pyarrow.compute``, numpy
checksums); Python runs per value only where a primitive demands it and only on
values that already have the shape (phone numbers outside the common mobile
form, USCC, IBAN, IPv6), with results cached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from govkit.detect.names import _SURNAME
from govkit.detect.normalize import normalize_phone
from govkit.detect.patterns import iban_ok, ip_ok, ssn_ok
from govkit.detect.validators import is_cn_uscc, valid_cn_resident_ids, valid_luhn
from govkit.detect.vocab import ETHNICITY_VALUES, HEALTH_VALUES, PROVINCES_ZH, RELIGION_VALUES

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


@lru_cache(maxsize=4096)
def _mobile_prefix_ok(prefix4: str) -> bool:
    return normalize_phone(prefix4 + "1234567") is not None


@lru_cache(maxsize=65536)
def _phone_ok(value: str) -> bool:
    return normalize_phone(value) is not None


def _phone(values: pa.Array, compact: pa.Array) -> tuple[Bools, Bools]:
    shape = _rx(compact, r"^(?:\+|00)?[0-9]{7,15}$")
    mobile = pc.extract_regex(compact, r"^(?:\+86|0086|86)?(?P<n>1[3-9][0-9]{9})$")
    national = pc.struct_field(mobile, [0])
    is_mobile = pc.fill_null(pc.is_valid(national), False).to_numpy(zero_copy_only=False)
    valid: Bools = np.zeros(len(values), dtype=bool)
    if is_mobile.any():
        prefixes = pc.utf8_slice_codeunits(national, 0, 4)
        known = pc.unique(pc.drop_null(prefixes)).to_pylist()
        good = [p for p in known if _mobile_prefix_ok(p)]
        ok = pc.fill_null(pc.is_in(prefixes, pa.array(good, pa.string())), False)
        valid |= ok.to_numpy(zero_copy_only=False)
    valid |= _per_value(values, shape & ~is_mobile, _phone_ok)
    return shape | valid, valid


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
    validators: dict[str, str]


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


def match_values(values: pa.Array) -> MatchResult:
    """Match normalised (NFKC, trimmed), non-null string values against every entity."""
    compact = pc.utf8_upper(pc.replace_substring_regex(values, r"[\s\-().·]+", ""))
    shape: dict[str, Bools] = {}
    valid: dict[str, Bools] = {}

    shape["CN_RESIDENT_ID"] = _rx(compact, r"^(?:[0-9]{17}[0-9X]|[0-9]{15})$")
    valid["CN_RESIDENT_ID"] = shape["CN_RESIDENT_ID"] & valid_cn_resident_ids(compact)
    shape["CREDIT_CARD"] = _rx(compact, r"^[0-9]{12,19}$")
    prefix = _rx(compact, r"^(?:4|5[1-5]|2[2-7]|3[47]|35|62|6011|65|30|36|38|81)")
    valid["CREDIT_CARD"] = (
        shape["CREDIT_CARD"] & prefix & valid_luhn(compact) & ~valid["CN_RESIDENT_ID"]
    )
    shape["PHONE_NUMBER"], valid["PHONE_NUMBER"] = _phone(values, compact)
    email = _rx(values, r"^[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$")  # fmt: skip
    shape["EMAIL_ADDRESS"], valid["EMAIL_ADDRESS"] = (
        _rx(values, r"^[^@\s]+@[^@\s]+$") | email,
        email,
    )
    shape["DATE_OF_BIRTH"], valid["DATE_OF_BIRTH"] = _dates(values)
    ipv4 = _rx(values, r"^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$")  # fmt: skip
    ipv6 = _per_value(values, _rx(values, r"^[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]{2,}$"), ip_ok)
    shape["IP_ADDRESS"] = valid["IP_ADDRESS"] = ipv4 | ipv6
    shape["CN_USCC"] = _rx(compact, r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
    valid["CN_USCC"] = _per_value(compact, shape["CN_USCC"] & ~shape["CN_RESIDENT_ID"], is_cn_uscc)
    shape["IBAN_CODE"] = _rx(compact, r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
    valid["IBAN_CODE"] = _per_value(compact, shape["IBAN_CODE"], iban_ok)
    shape["US_SSN"] = _rx(values, r"^[0-9]{3}-[0-9]{2}-[0-9]{4}$")
    valid["US_SSN"] = _per_value(values, shape["US_SSN"], ssn_ok)
    for entity, pattern in (
        ("CN_PASSPORT", r"^(?:E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8})$"),
        ("CN_HK_MACAU_PERMIT", r"^[HM][0-9]{8}(?:[0-9]{2})?$"),
        ("CN_LICENSE_PLATE", "^[" + _PLATE_CHARS + r"][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}$"),
    ):
        shape[entity] = valid[entity] = _rx(compact, pattern)
    provinces = "|".join(PROVINCES_ZH)
    zh_address = _rx(
        values,
        r"(?:省|市|自治区|区|县|旗|"
        + provinces
        + r").*(?:路|街|道|巷|弄|村|镇|乡|号|大厦|小区|花园)",
    )
    en_address = _rx(values, r"^[0-9]{1,6}[A-Za-z]?\s+\S.*\b" + _STREET + r"\b") | _rx(
        values, r"(?i:p\.?\s?o\.?\s?box)|, [A-Z]{2} [0-9]{5}(?:-[0-9]{4})?$"
    )
    shape["LOCATION"] = valid["LOCATION"] = zh_address | en_address
    zh_name = _rx(values, "^" + _SURNAME + r"[\x{4e00}-\x{9fff}]{1,2}$") | _rx(
        values, r"^[\x{4e00}-\x{9fff}]{2,6}·[\x{4e00}-\x{9fff}]{2,6}$"
    )
    en_name = _rx(
        values,
        r"^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?: [A-Z]\.?)?(?: (?:[A-Z][a-z]*['-])?[A-Z][a-z]+){1,2}$",
    )
    shape["PERSON"] = valid["PERSON"] = zh_name | en_name
    shape["ETHNICITY"] = valid["ETHNICITY"] = _in(values, ETHNICITY_VALUES)
    shape["RELIGION"] = valid["RELIGION"] = _in(values, RELIGION_VALUES)
    shape["HEALTH"] = valid["HEALTH"] = _in(values, HEALTH_VALUES)
    return MatchResult(shape, valid, VALIDATORS)
