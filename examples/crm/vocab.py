"""Vocabularies drawn from Faker once per run (seeded), then sampled with numpy.

Faker is slow per value (thousands of names a second), so it only fills pools
here: name parts with their frequency weights, street names, English postal
addresses, resident-ID region codes and mobile prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass

from faker import Faker
from faker.providers.address import zh_CN as addr_zh
from faker.providers.person import en_US as person_en
from faker.providers.person import zh_CN as person_zh
from faker.providers.phone_number import zh_CN as phone_zh
from faker.providers.ssn import zh_CN as ssn_zh

MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")
PROVINCES = (
    "北京市", "上海市", "天津市", "重庆市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省",
    "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "四川省", "贵州省", "云南省", "西藏自治区",
    "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
)  # fmt: skip
# Rough population weights so 广东/山东/河南 dominate and 西藏/青海 are rare.
PROVINCE_WEIGHTS = (
    22, 25, 14, 32, 75, 35, 24, 43, 24, 31, 85, 65, 61, 41, 45, 102, 99, 58, 66, 126, 50, 10, 84,
    39, 47, 4, 40, 25, 6, 7, 26,
)  # fmt: skip
ETHNICITIES = {
    "汉族": 91.1, "壮族": 1.4, "回族": 0.8, "满族": 0.8, "维吾尔族": 0.8, "苗族": 0.8, "彝族": 0.7,
    "土家族": 0.7, "藏族": 0.5, "蒙古族": 0.5, "侗族": 0.2, "朝鲜族": 0.1,
}  # fmt: skip
LANDLINE_AREAS = ("010", "021", "020", "022", "023", "024", "025", "027", "028", "029",
                  "0571", "0755", "0512", "0532", "0731", "0591", "0871")  # fmt: skip
MAIL_DOMAINS_ZH = {"qq.com": 30, "163.com": 25, "126.com": 10, "sina.com": 5, "foxmail.com": 5,
                   "gmail.com": 5, "outlook.com": 5, "139.com": 5}  # fmt: skip
MAIL_DOMAINS_EN = {"gmail.com": 40, "outlook.com": 20, "yahoo.com": 15, "hotmail.com": 10,
                   "icloud.com": 10, "example.org": 5}  # fmt: skip
US_AREAS = ("212", "415", "617", "206", "312", "646", "213", "512", "303", "404")


def short_province(name: str) -> str:
    """``广东省`` → ``广东``, ``广西壮族自治区`` → ``广西``, ``北京市`` → ``北京``."""
    for suffix in PROVINCE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


DATA_ONLY_PREFIXES = frozenset({"149"})
"""The one Faker prefix that phonenumbers rejects (a data-only range): nobody types
them as a callback number, and a validator rightly refuses them."""


def _dialable(prefix: str) -> str:
    """A voice-mobile prefix: data-only ranges become the 13x range with the same last digit.

    The list keeps its length, so the generator draws the same random stream as before.
    """
    return "13" + prefix[2] if prefix in DATA_ONLY_PREFIXES else prefix


@dataclass(frozen=True)
class Vocab:
    """Pools of values with their weights, all plain Python sequences."""

    zh_surnames: list[str]
    zh_surname_weights: list[float]
    zh_given_male: list[str]
    zh_given_female: list[str]
    zh_romanized_first: list[str]
    zh_romanized_last: list[str]
    en_first_male: list[str]
    en_first_male_weights: list[float]
    en_first_female: list[str]
    en_first_female_weights: list[float]
    en_last: list[str]
    en_last_weights: list[float]
    cities: list[str]
    districts: list[str]
    streets: list[str]
    en_addresses: list[str]
    id_regions: list[str]
    mobile_prefixes: list[str]


def build_vocab(seed: int, pool_size: int = 2000) -> Vocab:
    """Build the pools; ``seed`` fixes the Faker-generated parts."""
    zh = Faker("zh_CN")
    zh.seed_instance(seed)
    en = Faker("en_US")
    en.seed_instance(seed)
    zp, ep = person_zh.Provider, person_en.Provider
    streets = sorted({zh.street_name() for _ in range(pool_size)})
    en_addresses = [
        en.street_address() + ", " + en.city() + ", " + en.state_abbr() + " " + en.zipcode()
        for _ in range(pool_size)
    ]
    regions = [c for c in ssn_zh.Provider.area_codes if not c.endswith("00") and c[:2] < "71"]
    return Vocab(
        zh_surnames=list(zp.last_names),
        zh_surname_weights=[float(w) for w in zp.last_names.values()],
        zh_given_male=list(zp.first_names_male),
        zh_given_female=list(zp.first_names_female),
        zh_romanized_first=[s.lower() for s in zp.first_romanized_names],
        zh_romanized_last=[s.lower() for s in zp.last_romanized_names],
        en_first_male=list(ep.first_names_male),
        en_first_male_weights=[float(w) for w in ep.first_names_male.values()],
        en_first_female=list(ep.first_names_female),
        en_first_female_weights=[float(w) for w in ep.first_names_female.values()],
        en_last=list(ep.last_names),
        en_last_weights=[float(w) for w in ep.last_names.values()],
        cities=[c for c in addr_zh.Provider.cities if c + "市" not in MUNICIPALITIES],
        districts=list(addr_zh.Provider.districts),
        streets=streets,
        en_addresses=en_addresses,
        id_regions=regions,
        mobile_prefixes=[_dialable(str(p)) for p in phone_zh.Provider.phonenumber_prefixes],
    )
