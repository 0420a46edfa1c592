"""govkit's recognizers, one per file, as Presidio recognizers (imports Presidio)."""

from __future__ import annotations

from govkit.detect.recognizers.base import (
    GovkitPatternRecognizer,
    GovkitSpanRecognizer,
    GovkitVocabRecognizer,
)
from govkit.detect.recognizers.cn_hk_macau_permit import CnHkMacauPermitRecognizer
from govkit.detect.recognizers.cn_license_plate import CnLicensePlateRecognizer
from govkit.detect.recognizers.cn_passport import CnPassportRecognizer
from govkit.detect.recognizers.cn_resident_id import CnResidentIdRecognizer
from govkit.detect.recognizers.cn_uscc import CnUsccRecognizer
from govkit.detect.recognizers.credit_card import CreditCardRecognizer
from govkit.detect.recognizers.date_of_birth import DateOfBirthRecognizer
from govkit.detect.recognizers.email import EmailRecognizer
from govkit.detect.recognizers.ethnicity import EthnicityRecognizer
from govkit.detect.recognizers.health import HealthRecognizer
from govkit.detect.recognizers.iban import IbanRecognizer
from govkit.detect.recognizers.ip_address import IpAddressRecognizer
from govkit.detect.recognizers.location import LocationRecognizer
from govkit.detect.recognizers.person import PersonRecognizer
from govkit.detect.recognizers.phone import PhoneRecognizer
from govkit.detect.recognizers.religion import ReligionRecognizer
from govkit.detect.recognizers.us_ssn import UsSsnRecognizer

BUILTIN: tuple[type[GovkitPatternRecognizer] | type[GovkitSpanRecognizer], ...] = (
    CnResidentIdRecognizer,
    CnUsccRecognizer,
    CreditCardRecognizer,
    IbanRecognizer,
    UsSsnRecognizer,
    PhoneRecognizer,
    EmailRecognizer,
    CnPassportRecognizer,
    CnHkMacauPermitRecognizer,
    CnLicensePlateRecognizer,
    IpAddressRecognizer,
    LocationRecognizer,
    DateOfBirthRecognizer,
    PersonRecognizer,
    EthnicityRecognizer,
    ReligionRecognizer,
    HealthRecognizer,
)
"""Every built-in recognizer class, in govkit's priority order."""

__all__ = [
    "BUILTIN",
    "CnHkMacauPermitRecognizer",
    "CnLicensePlateRecognizer",
    "CnPassportRecognizer",
    "CnResidentIdRecognizer",
    "CnUsccRecognizer",
    "CreditCardRecognizer",
    "DateOfBirthRecognizer",
    "EmailRecognizer",
    "EthnicityRecognizer",
    "GovkitPatternRecognizer",
    "GovkitSpanRecognizer",
    "GovkitVocabRecognizer",
    "HealthRecognizer",
    "IbanRecognizer",
    "IpAddressRecognizer",
    "LocationRecognizer",
    "PersonRecognizer",
    "PhoneRecognizer",
    "ReligionRecognizer",
    "UsSsnRecognizer",
]
