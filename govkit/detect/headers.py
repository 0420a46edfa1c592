"""Column-header hints in Chinese, pinyin abbreviations and English.

A hint only tips a decision the values leave open (a name, an address, a
sensitive category) or lowers the share of values needed; clear values always
win over a misleading header.
"""

from __future__ import annotations

import re

_ZH: dict[str, tuple[str, ...]] = {
    "CN_RESIDENT_ID": ("身份证", "证件号", "公民身份号码"),
    "PHONE_NUMBER": ("手机", "电话", "联系方式", "座机", "移动号码"),
    "EMAIL_ADDRESS": ("邮箱", "邮件", "电邮"),
    "PERSON": ("姓名", "名字", "客户名称", "客户姓名", "联系人", "收件人", "持卡人", "收货人"),
    "LOCATION": ("地址", "住址", "住所", "通讯地"),
    "DATE_OF_BIRTH": ("出生", "生日"),
    "CREDIT_CARD": ("银行卡", "卡号", "信用卡", "借记卡", "银联"),
    "CN_PASSPORT": ("护照",),
    "CN_HK_MACAU_PERMIT": ("通行证", "回乡证"),
    "CN_LICENSE_PLATE": ("车牌",),
    "IP_ADDRESS": ("IP地址", "ip地址"),
    "CN_USCC": ("信用代码", "统一社会信用"),
    "ETHNICITY": ("民族", "族别"),
    "RELIGION": ("宗教", "信仰"),
    "HEALTH": ("健康", "病史", "诊断", "疾病", "病情", "体检"),
}
_PINYIN: dict[str, tuple[str, ...]] = {
    "CN_RESIDENT_ID": ("sfz", "sfzh", "sfzhm", "zjhm", "gmsfhm"),
    "PHONE_NUMBER": ("sjhm", "sjh", "sj", "lxdh", "dh", "dhhm", "gddh"),
    "EMAIL_ADDRESS": ("yx", "dzyx", "yxdz"),
    "PERSON": ("xm", "khmc", "khxm", "lxr", "sjr"),
    "LOCATION": ("dz", "zz", "jtzz", "lxdz", "txdz", "shdz"),
    "DATE_OF_BIRTH": ("csrq", "sr", "csny"),
    "CREDIT_CARD": ("yhk", "yhkh", "kh", "xyk", "xykh"),
    "CN_PASSPORT": ("hz", "hzh", "hzhm"),
    "CN_HK_MACAU_PERMIT": ("gatxz", "txz", "hxz"),
    "CN_LICENSE_PLATE": ("cph", "cphm"),
    "CN_USCC": ("tyshxydm", "xydm"),
    "ETHNICITY": ("mz",),
    "RELIGION": ("zjxy", "zj"),
    "HEALTH": ("jkzk", "bs", "jbs"),
}
_EN: dict[str, tuple[str, ...]] = {
    "CN_RESIDENT_ID": ("id number", "id no", "id card", "idcard", "idno", "national id", "resident id",
                       "citizen id", "identity", "id num", "id_number"),
    "PHONE_NUMBER": ("phone", "mobile", "tel", "telephone", "cell", "cellphone", "contact number",
                     "msisdn", "fax"),
    "EMAIL_ADDRESS": ("email", "e mail", "mail", "email address"),
    "PERSON": ("name", "full name", "first name", "last name", "surname", "given name",
               "customer name", "contact name", "holder", "cardholder"),
    "LOCATION": ("address", "addr", "street", "postal address", "home address", "shipping address"),
    "DATE_OF_BIRTH": ("birth", "birthday", "birthdate", "dob", "date of birth", "born"),
    "CREDIT_CARD": ("card", "card no", "card number", "bank card", "credit card", "cc", "pan",
                    "bankcard", "cardno"),
    "IBAN_CODE": ("iban",),
    "CN_PASSPORT": ("passport",),
    "CN_HK_MACAU_PERMIT": ("permit", "hk macau permit", "travel permit"),
    "CN_LICENSE_PLATE": ("plate", "license plate", "licence plate", "plate no", "vehicle"),
    "IP_ADDRESS": ("ip", "ip address", "ipaddr", "client ip", "remote addr"),
    "US_SSN": ("ssn", "social security"),
    "CN_USCC": ("uscc", "credit code", "social credit code"),
    "ETHNICITY": ("ethnicity", "ethnic", "race", "ethnic group"),
    "RELIGION": ("religion", "faith", "religious"),
    "HEALTH": ("health", "medical", "diagnosis", "disease", "condition", "allergies", "allergy",
               "illness", "medication"),
}  # fmt: skip
# A name or address header naming one of these is about a thing, not a person
# ("store_name", "product_name", "store_address"); other hints stand ("user_phone").
_NOT_PERSONAL = frozenset(
    ["product", "store", "shop", "company", "file", "sku", "item", "brand", "category", "org",
     "branch", "channel", "status", "merchant", "city", "region", "province", "host",
     "user", "created", "updated", "order", "ticket", "txn", "transaction", "customer id"]
)  # fmt: skip

_THING_SENSITIVE = frozenset(["PERSON", "LOCATION"])

_SPLIT = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _tokens(header: str) -> list[str]:
    return [t for t in _SPLIT.split(_CAMEL.sub(" ", header).lower()) if t]


def _contains(tokens: list[str], phrase: str) -> bool:
    words = phrase.split()
    n = len(words)
    return any(tokens[i : i + n] == words for i in range(len(tokens) - n + 1))


def header_hint(header: str) -> tuple[str, str] | None:
    """Return ``(entity, matched hint)`` for a column header, or None.

    Examples: ``身份证号`` → ``("CN_RESIDENT_ID", "身份证")``; ``sjhm`` →
    ``("PHONE_NUMBER", "sjhm")``; ``customer_name`` → ``("PERSON", "name")``;
    ``store_name`` → None; ``col_7`` → None.
    """
    for entity, words in _ZH.items():
        for word in words:
            if word in header:
                return entity, word
    tokens = _tokens(header)
    if not tokens:
        return None
    joined = "".join(tokens)
    for entity, abbrevs in _PINYIN.items():
        if joined in abbrevs:
            return entity, joined
    thing = any(_contains(tokens, w) for w in _NOT_PERSONAL)
    best: tuple[int, str, str] | None = None
    for entity, phrases in _EN.items():
        if thing and entity in _THING_SENSITIVE:
            continue
        for phrase in phrases:
            if _contains(tokens, phrase) or joined == phrase.replace(" ", ""):
                size = len(phrase)
                if best is None or size > best[0]:
                    best = (size, entity, phrase)
    return (best[1], best[2]) if best else None
