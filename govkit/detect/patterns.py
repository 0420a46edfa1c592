r"""Regular expressions for personal data inside text, and the checks that confirm a match.

One table serves the free-text detector (:mod:`govkit.detect.text`) and the
Presidio recognizers (:mod:`govkit.detect.recognizers`). Patterns use digit
boundaries instead of ``\b``: CJK characters count as word characters, so
``\b1[3-9]`` would miss ``电话13812345678``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from govkit.detect.phone_checks import CUE_PREFIX, DATE_LIKE, phone_ok, phone_ok_many
from govkit.detect.validators import is_cn_resident_id, is_cn_uscc, is_email, is_luhn
from govkit.detect.vocab import PROVINCES_ZH
from govkit.normalize import normalize_id

_PROV = "|".join(sorted(PROVINCES_ZH, key=len, reverse=True))
_HAN = "\u4e00-\u9fff"

CARD_PREFIX = re.compile(r"[1-6]")
"""ISO/IEC 7812 major industry identifiers of payment cards: 1 (UATP), 2 (Mastercard 2-series),
3 (Amex, JCB, Diners), 4–5 (Visa, Mastercard, Dankort, Maestro), 6 (UnionPay, Discover, Maestro).
python-stdnum ships no issuer (IIN) table, and a hand-kept issuer list misses issuers; the MII
digit plus length 12–19 plus Luhn is the structure every issuer follows."""


def card_ok(text: str) -> bool:
    """Luhn, 12–19 digits, a payment-card industry digit (ISO/IEC 7812 MII 1–6), not a resident ID."""
    v = normalize_id(text)
    if v.startswith("1") and len(v) != 15:  # UATP (MII 1) numbers are 15 digits
        return False
    return is_luhn(v) and CARD_PREFIX.match(v) is not None and not is_cn_resident_id(v)


def uscc_ok(text: str) -> bool:
    """GB 32100 check, and not an all-digit number that is a valid card (1 in 31 pass both)."""
    v = normalize_id(text)
    return is_cn_uscc(v) and not (v.isdigit() and card_ok(v))


def iban_ok(text: str) -> bool:
    """ISO 13616 mod-97 check plus the country's length and BBAN format (python-stdnum's registry).

    The national account check inside some BBANs (Belgium's mod 97 …) is not applied: a
    mistyped or test account number in a well-formed IBAN is still an account number.
    """
    from stdnum import iban

    v = normalize_id(text)
    if not 15 <= len(v) <= 34 or not v.isascii() or not v.isalnum():
        return False
    return bool(iban.is_valid(v, check_country=False))


def ip_ok(text: str) -> bool:
    """A real IPv4/IPv6 address, optionally with a zone (``%eth0``) or CIDR prefix (``/24``)."""
    address, _, prefix = text.partition("/")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not prefix or (prefix.isdigit() and int(prefix) <= parsed.max_prefixlen)


def ssn_ok(text: str) -> bool:
    """US SSN area/group/serial rules (no 000, 666, 9xx areas; no 00 group; no 0000 serial)."""
    digits = re.sub(r"[^0-9]", "", text)
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


_VALUE_AFTER_CUE = re.compile(r"[0-9A-Za-z]+$")


def _after_cue(check: Callable[[str], bool]) -> Callable[[str], bool]:
    """``check`` applied to the value that ends a ``cue word + value`` match."""

    def checked(text: str) -> bool:
        value = _VALUE_AFTER_CUE.search(text)
        return value is not None and check(value.group())

    return checked


def not_a_date(text: str) -> bool:
    """True unless the digits after a cue word are a date (``call 2024-12-31``)."""
    cue = CUE_PREFIX.match(text)
    return DATE_LIKE.match(text[cue.end() :] if cue else text) is None


@dataclass(frozen=True)
class TextPattern:
    """One entity's pattern inside text.

    Attributes:
        entity: the entity name reported.
        regex: Python pattern; group ``v`` (or the whole match) is the value.
        check: validator of the matched value, or None.
        score: confidence of a validated match.
        validator: what confirms a match, in words (reported with each span).
        needs_han: every match holds a Chinese character (ASCII text is skipped).
        unless_after: a match right after this context (searched in the 24 characters
            before it, anchored at the match) is not this entity: ``订单号`` or
            ``order no.`` before a Luhn-valid number makes it an order number.
        gate: RE2 pattern (pyarrow) that every match of ``regex`` contains:
            :meth:`~govkit.detect.text.TextDetector.find_many` runs ``regex`` only on
            the texts of a batch the gate matches (None: on every text). A property
            test pins that each pattern's matches pass its gate.
        check_many: ``check`` of a batch of values at once, same answers (a test pins it);
            :meth:`spans_many` uses it.
    """

    entity: str
    regex: re.Pattern[str]
    check: Callable[[str], bool] | None
    score: float
    validator: str = "pattern"
    needs_han: bool = False
    unless_after: re.Pattern[str] | None = None
    gate: str | None = None
    check_many: Callable[[Sequence[str]], list[bool]] | None = None

    def spans(self, text: str) -> Iterator[tuple[int, int, bool | None]]:
        """``(start, end, validated)`` of each accepted match (``validated`` None: no check).

        When a match fails its check, its last one or two separated groups are dropped
        and the rest checked again (``…8741 ALL CAPS``: the word is not part of the IBAN).
        """
        for _, match in self._matches([text], (0,)):
            yield from self._accept(text, match, self.check)

    def spans_many(
        self,
        texts: Sequence[str],
        rows: Iterable[int],
        skip: Callable[[int, int, int], bool] | None = None,
    ) -> Iterator[tuple[int, int, int, bool | None]]:
        """``(row, start, end, validated)``: :meth:`spans` of ``texts[row]`` for each row.

        With :attr:`check_many`, every distinct matched value of the batch is checked
        at once first; the shorter values tried after a failed check go to :attr:`check`.
        A checked match for which ``skip(row, start, end)`` is true is left out unchecked.
        """
        found = self._matches(texts, rows)
        if self.check is not None and skip is not None:
            found = [(i, m) for i, m in found if not skip(i, m[0], m[1])]
        check = self.check
        if self.check_many is not None and check is not None:
            values = list(dict.fromkeys(texts[i][m[2] : m[3]] for i, m in found))
            verdicts = dict(zip(values, self.check_many(values), strict=True))
            scalar = check

            def known(value: str) -> bool:
                verdict = verdicts.get(value)
                return scalar(value) if verdict is None else verdict

            check = known
        for i, (start, end, whole_start, whole_end) in found:
            text = texts[i]
            if check is None:
                yield i, start, end, None
            elif check(text[whole_start:whole_end]):
                yield i, start, end, True
            else:
                shorter = self._shorter(text, start, end, whole_start, check)
                if shorter is not None:
                    yield i, start, shorter, True

    def _matches(
        self, texts: Sequence[str], rows: Iterable[int]
    ) -> list[tuple[int, tuple[int, int, int, int]]]:
        """Each match in ``texts[row]`` for each row not ruled out by its context.

        As ``(row, (start, end, whole start, whole end))``.
        """
        if self.needs_han:
            rows = [i for i in rows if not texts[i].isascii()]
        group = "v" if "v" in self.regex.groupindex else 0
        finditer, unless = self.regex.finditer, self.unless_after
        spans = [(i, m.span(group), m.span()) for i in rows for m in finditer(texts[i])]
        return [
            (i, (start, end, *whole))
            for i, (start, end), whole in spans
            if end > start
            and (unless is None or unless.search(texts[i], max(0, start - 24), start) is None)
        ]

    def _accept(
        self,
        text: str,
        match: tuple[int, int, int, int],
        check: Callable[[str], bool] | None,
    ) -> Iterator[tuple[int, int, bool | None]]:
        """The span a match gives once checked, after dropping up to two trailing groups."""
        start, end, whole_start, whole_end = match
        if check is None:
            yield start, end, None
        elif check(text[whole_start:whole_end]):
            yield start, end, True
        else:
            shorter = self._shorter(text, start, end, whole_start, check)
            if shorter is not None:
                yield start, shorter, True

    def _shorter(
        self, text: str, start: int, end: int, whole_start: int, check: Callable[[str], bool]
    ) -> int | None:
        """The end of a match that failed its check, without its last one or two groups.

        None: neither shorter match is a match of the pattern that passes the check.
        """
        for _ in range(2):
            cut = max(text.rfind(" ", start, end), text.rfind("-", start, end))
            if cut <= start or not self.regex.fullmatch(text, whole_start, cut):
                return None
            end = cut
            if check(text[whole_start:end]):
                return end
        return None


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE if "(?i)" in pattern else 0)


_D0, _D1 = r"(?<![0-9])", r"(?![0-9])"
_A0, _A1 = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
_A0_AFTER_FIRST = r"(?<![0-9A-Za-z].)"
_MY_NUMBER = (
    r"(?!(?i:order|account|tracking|case|ticket|invoice|reference|member|policy|customer|card|id)\b)"
    r"(?:[A-Za-z]+ )?(?:number|Number)(?: is)?"
)
"""``my [adjective] number [is]``: a phone cue, unless the number is an order, account … number.
Every cue alternative starts with a literal, so ``re`` skips to candidate positions."""
"""``_A0`` checked after the first character: a pattern that starts with a character class
lets ``re`` skip ahead to candidate positions instead of trying every one."""
_NOT_A_CARD_AFTER = re.compile(
    r"(?i:订单|单号|运单|快递|物流|流水|交易|发票|批次|工单|编号|order|tracking|invoice|ref|"
    r"reference|sku|serial|waybill|awb|shipment|transaction|parcel|package|ticket|case)"
    r"\s{0,2}(?i:no\.?|number|num|id|code|#|号码?|编号)?\s{0,2}[:：#]?\s{0,2}$"
)
"""Context that makes a Luhn-valid number an order, tracking or invoice number, not a card."""
_EXT = r"(?:\s{0,2}(?:转|分机|ext\.?|x)\s{0,2}[0-9]{1,6})?"

TEXT_PATTERNS: tuple[TextPattern, ...] = (
    TextPattern(
        "EMAIL_ADDRESS",
        _p(
            r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9\-]{2,59})(?![A-Za-z0-9\-])"
        ),
        is_email,
        0.95,
        gate="@",
    ),
    TextPattern(
        "CN_RESIDENT_ID",
        _p(
            r"[1-8]"
            + _A0_AFTER_FIRST
            + r"(?:[0-9]{5}[ \-]?(?:18|19|20)[0-9]{2}[ \-]?[01][0-9][0-3][0-9][ \-]?[0-9]{3}[0-9Xx]"
            + r"|(?: {0,2}[0-9]){16} {0,2}[0-9Xx]"
            + r"|[0-9]{5}[0-9]{2}[01][0-9][0-3][0-9]{4})"
            + _A1
        ),
        is_cn_resident_id,
        0.95,
        gate=r"[0-9](?:[ \-]{0,2}[0-9]){14}",
    ),
    TextPattern(
        "CN_USCC",
        _p(_A0 + r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}" + _A1),
        uscc_ok,
        0.9,
        gate=r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}",
    ),
    # After its own cue word a USCC is a USCC even when it is all digits and passes Luhn.
    TextPattern(
        "CN_USCC",
        _p(r"(?:统一社会信用代码|社会信用代码|信用代码|(?i:uscc))[号码]{0,2}[:：]?\s{0,2}(?P<v>(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{18}(?![0-9A-Za-z]))"),
        _after_cue(is_cn_uscc),
        0.9,
        "cue word + GB 32100 mod 31",
        gate=r"[0-9A-HJ-NPQRTUWXY]{18}",
    ),  # fmt: skip
    TextPattern(
        "IBAN_CODE",
        _p(_A0 + r"[A-Z]{2}[0-9]{2}(?:[ \-]?[A-Z0-9]{4}){2,7}(?:[ \-]?[A-Z0-9]{1,3})?" + _A1),
        iban_ok,
        0.9,
        gate=r"[A-Z]{2}[0-9]{2}(?:[ \-]?[A-Z0-9]{4}){2}",
    ),
    TextPattern(
        "CREDIT_CARD",
        _p(r"[1-6]" + _A0_AFTER_FIRST + r"[0-9]{3}(?:(?: {1,2}|-)?[0-9]){8,15}" + _A1),
        card_ok,
        0.9,
        unless_after=_NOT_A_CARD_AFTER,
        gate=r"[1-6][0-9]{3}(?:(?: {1,2}|-)?[0-9]){8}",
    ),
    TextPattern(
        "US_SSN",
        _p(_D0 + r"[0-9]{3}([ .\-])[0-9]{2}\1[0-9]{4}" + _D1),
        ssn_ok,
        0.6,
        gate=r"[0-9]{3}[ .\-][0-9]{2}[ .\-][0-9]{4}",
    ),
    # Nine bare digits are an SSN only after its cue word (else: any order or account number).
    TextPattern(
        "US_SSN",
        _p(r"(?i:ssn|social security(?: number| no\.?| #)?)(?:\s{1,2}is)?[:：#]?\s{0,2}(?P<v>(?<![0-9])[0-9]{9}(?![0-9]))"),
        _after_cue(ssn_ok),
        0.5,
        "cue word + SSA area/group/serial rules",
        gate=r"[0-9]{9}",
    ),  # fmt: skip
    TextPattern(
        "PHONE_NUMBER",
        _p(
            _D0
            + r"(?:(?:\(\+?86\)|\+86|0086|86)[ \-]?)?1[3-9][0-9](?:[ \-.]{0,2}[0-9]{4}){2}"
            + _D1
            + r"|"
            + _D0
            + r"(?:\(0[1-9][0-9]{1,2}\)|0[1-9][0-9]{1,2})[ \-]{0,2}[0-9]{3,4}[ \-]?[0-9]{4}"
            + _EXT
            + _D1
            + r"|(?<![0-9+])(?:\+|00)[1-9][0-9]{0,2}[ \-]?(?:\(?[0-9]{1,4}\)?[ \-]?){1,4}[0-9]{2,4}"
            + _D1
        ),
        phone_ok,
        0.85,
        check_many=phone_ok_many,
        gate=r"1[3-9][0-9](?:[ \-.]{0,2}[0-9]{4}){2}"
        r"|(?:\(0[1-9][0-9]{1,2}\)|0[1-9][0-9]{1,2})[ \-]{0,2}[0-9]{3,4}[ \-]?[0-9]{4}"
        r"|(?:\+|00)[1-9][0-9]{0,2}[ \-]?(?:\(?[0-9]{1,4}\)?[ \-]?){1,4}[0-9]{2,4}",
    ),
    TextPattern(
        "PHONE_NUMBER",
        _p(
            r"(?<![0-9+\-.])(?:\([0-9]{2,5}\)[ \-]?|[0-9]{2,5}[ \-.])[0-9]{2,4}(?:[ \-.]?[0-9]{2,4}){0,2}"
            + _EXT
            + r"(?![0-9]|[\-.][0-9])"
        ),
        phone_ok,
        0.6,
        check_many=phone_ok_many,
        gate=r"[0-9]{2}(?:\)[ \-]?|[ \-.])[0-9]{2}",
    ),
    TextPattern(
        "PHONE_NUMBER",
        _p(
            r"(?i:tel|phone|call|cell|mobile|office|fax|hk|macau|电话|手机|联系|传真|香港|澳门)"
            r"[:：]?\s{0,2}(?P<v>(?<![0-9])[0-9]{4}[ \-][0-9]{4})(?![0-9]|[\-.][0-9])"
        ),
        phone_ok,
        0.6,
        check_many=phone_ok_many,
        gate=r"[0-9]{4}[ \-][0-9]{4}",
    ),
    TextPattern(
        "CN_PASSPORT",
        _p(_A0 + r"(?:E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8})" + _A1),
        None,
        0.6,
        gate=r"E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8}",
    ),
    TextPattern(
        "CN_HK_MACAU_PERMIT", _p(_A0 + r"[HM][0-9]{10}" + _A1), None, 0.6, gate=r"[HM][0-9]{10}"
    ),
    # After its cue word, any passport series (D diplomatic, S service, P public affairs …)
    # and the C-series permit for travel to Hong Kong and Macau.
    TextPattern(
        "CN_PASSPORT",
        _p(r"(?:护照|(?i:passport))[号码]{0,2}[:：]?\s{0,2}(?P<v>(?<![0-9A-Za-z])[A-Z]{1,2}[0-9]{7,8}(?![0-9A-Za-z]))"),
        None,
        0.5,
        "cue word + shape, not validated",
        gate=r"[A-Z][0-9]{7}",
    ),
    TextPattern(
        "CN_HK_MACAU_PERMIT",
        _p(r"(?:通行证|港澳)[号码]{0,2}[:：]?\s{0,2}(?P<v>(?<![0-9A-Za-z])[CHM][0-9]{8,10}(?![0-9A-Za-z]))"),
        None,
        0.5,
        "cue word + shape, not validated",
        gate=r"[CHM][0-9]{8}",
    ),
    TextPattern(
        "CN_LICENSE_PLATE",
        _p(
            r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·• ]?(?:[A-HJ-NP-Z0-9]{5,6}|[A-HJ-NP-Z0-9]{4}[警学挂领港澳])"
            + _A1
        ),
        None,
        0.7,
        needs_han=True,
        gate=r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z]",
    ),
    TextPattern(
        "IP_ADDRESS",
        _p(
            r"(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:[0-9]{1,3}\.){3}[0-9]{1,3}|[0-9A-Fa-f]{1,4})?"
            r"(?:%[0-9A-Za-z_.\-]+)?(?:/[0-9]{1,3})?(?![0-9A-Za-z:]|\.[0-9])"
            r"|(?<![0-9A-Za-z.])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}"
            r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:/(?:3[0-2]|[12]?[0-9])(?![0-9]))?(?![0-9])"
        ),
        ip_ok,
        0.8,
        gate=r":[0-9A-Fa-f]{0,4}:|[0-9]\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]",
    ),
    TextPattern(
        "LOCATION",
        _p(
            r"(?:"
            + _PROV
            + r")(?:省|市|自治区|特别行政区)?["
            + _HAN
            + r"0-9]{0,24}?(?:路|街|道|巷|弄|村|里)[0-9]{1,5}(?:号|弄)(?:[0-9]{1,5}(?:室|楼|栋|号楼|单元))*"
            + r"|["
            + _HAN
            + r"]{2,4}(?:区|县)["
            + _HAN
            + r"]{1,10}?(?:路|街|大道|巷)[0-9]{1,5}号"
            + r"|(?:"
            + _PROV
            + r")(?:省|市|自治区|特别行政区)?["
            + _HAN
            + r"]{0,8}?(?:市|区|县|旗)["
            + _HAN
            + r"0-9A-Za-z]{1,12}?(?:大厦|大楼|广场|中心|小区|花园|公寓|软件园|产业园|科技园|工业园|号楼|商城|家园|新村)"
        ),
        None,
        0.7,
        needs_han=True,
        gate=r"(?:路|街|道|巷|弄|村|里)[0-9]{1,5}(?:号|弄)|大厦|大楼|广场|中心|小区|花园|公寓|软件园|产业园|科技园|工业园|号楼|商城|家园|新村",
    ),  # fmt: skip
    TextPattern(
        "LOCATION",
        _p(
            _D0
            + r"[0-9]{1,6} (?:[A-Z][a-z]+ ){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway)\.?(?:,? (?:Apt|Suite|Unit)\.? ?[0-9A-Z]+)?(?:, ?[A-Z][a-z]+(?: [A-Z][a-z]+)*)?(?:, ?[A-Z]{2} [0-9]{5}(?:-[0-9]{4})?)?"
        ),
        None,
        0.7,
        gate=r"[0-9] [A-Z][a-z]",
    ),  # fmt: skip
    TextPattern(
        "DATE_OF_BIRTH",
        _p(
            r"(?i)(?:出生(?:日期)?|生日|出生于|DOB|date of birth|born(?: on)?)[:：]?\s*(?P<v>(?:19|20)[0-9]{2}[-/.年][01]?[0-9][-/.月][0-3]?[0-9]日?)"
        ),
        None,
        0.8,
        gate=r"(?:19|20)[0-9]{2}[\-/.年]",
    ),  # fmt: skip
    # Fail closed: a number right after a cue word is that entity even when its number
    # plan or checksum says no (a typo, a test number, a foreign plan) — lower score.
    TextPattern(
        "CN_RESIDENT_ID",
        _p(r"(?:身份证|证件|id card|id no)[号码]{0,2}[:：]?\s{0,2}(?P<v>(?<![0-9])[0-9]{6}[ \-]?[0-9]{8}[ \-]?[0-9]{3}[0-9Xx](?![0-9A-Za-z]))"),
        None,
        0.5,
        "cue word + shape, not validated",
        gate=r"[0-9]{6}[ \-]?[0-9]{8}",
    ),
    TextPattern(
        "CREDIT_CARD",
        _p(r"(?:卡号|银行卡|信用卡|card number|card no|card)[号码]{0,2}[:：]?\s{0,2}(?P<v>(?<![0-9])[0-9]{4}(?:[ \-]?[0-9]){8,15}(?![0-9]))"),
        None,
        0.5,
        "cue word + shape, not validated",
        gate=r"[0-9]{4}(?:[ \-]?[0-9]){8}",
    ),
    TextPattern(
        "PHONE_NUMBER",
        _p(r"(?:联系电话|电话|手机|座机|传真|tel|Tel|TEL|phone|Phone|PHONE|mobile|Mobile|MOBILE|cell|Cell|fax|Fax|FAX|whatsapp|WhatsApp"
           r"|call(?: me)?(?: at| on)?|Call(?: me)?(?: at| on)?|my " + _MY_NUMBER + "|My " + _MY_NUMBER +
           r")[号码]{0,2}[:：.]?\s{0,2}(?P<v>(?<![0-9])\+?[0-9](?:[ \-]?[0-9]){6,14}(?![0-9]))"),
        not_a_date,
        0.5,
        "cue word + shape, not validated",
        gate=r"(?:电话|手机|座机|传真|tel|Tel|TEL|phone|Phone|PHONE|mobile|Mobile|MOBILE|cell|Cell|fax|Fax"
        r"|FAX|whatsapp|WhatsApp|call|Call|my |My )(?s:.)*[0-9](?:[ \-]?[0-9]){6}",
    ),
)  # fmt: skip
"""Text patterns in priority order: where two overlap, the earlier entity wins."""

_CHECKED = {
    "EMAIL_ADDRESS": "e-mail syntax",
    "CN_RESIDENT_ID": "GB 11643 MOD 11-2 + birth date + province",
    "CN_USCC": "GB 32100 mod 31",
    "CREDIT_CARD": "Luhn + issuer prefix",
    "IBAN_CODE": "ISO 13616 mod 97",
    "US_SSN": "SSA area/group/serial rules",
    "PHONE_NUMBER": "phonenumbers",
    "IP_ADDRESS": "ipaddress",
    "DATE_OF_BIRTH": "cue word + date",
}
TEXT_PATTERNS = tuple(
    p if p.validator != "pattern" else replace(p, validator=_CHECKED.get(p.entity, "pattern"))
    for p in TEXT_PATTERNS
)

# RE2-compatible prefilter (pyarrow.compute): a row that does not match cannot hold a span.
PREFILTER = (
    r"@|[0-9]{6}|[0-9]{2,4}[ \-.][0-9]{4}|[0-9]{2,5}[ \-.)][0-9]{2,4}[ \-.]?[0-9]{2,4}"
    r"|[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:"
    r"|[0-9]{3}[ .\-][0-9]{2}[ .\-][0-9]{4}|出生|生日|(?i:dob|date of birth|born)|路|街|号|区|县|Street|St\.|Ave|Road|Rd|Lane|Drive|Blvd"
    r"|[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z]"
    r"|[0-9]{2,4}  [0-9]{4}|[a-z,;] [A-Z][a-z]{2}"
)  # fmt: skip
