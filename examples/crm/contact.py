"""Contact columns: phones typed the ways people type them, emails, postal addresses."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from examples.crm.arrays import (
    choose,
    digits_to_strings,
    fullwidth_strings,
    int_digits,
    join,
    pick,
    random_digits,
    weighted_index,
    weighted_pick,
    when,
)
from examples.crm.vocab import (
    LANDLINE_AREAS,
    MAIL_DOMAINS_EN,
    MAIL_DOMAINS_ZH,
    MUNICIPALITIES,
    PROVINCE_WEIGHTS,
    PROVINCES,
    US_AREAS,
    Vocab,
    short_province,
)

MOBILE_FORMATS = 7
"""Phone layouts 0–6 are a Chinese mobile: ``13812345678``, ``138-1234-5678``,
``138 1234 5678``, ``+86 138 1234 5678``, ``+8613812345678``, ``008613812345678``,
full-width digits. 7 is a landline ``010-12345678``, 8 a US and 9 a UK number."""
ZH_LAYOUT_WEIGHTS = (55, 12, 5, 8, 5, 4, 3, 8, 0, 0)
EN_LAYOUT_WEIGHTS = (25, 4, 2, 10, 4, 2, 0, 3, 30, 20)


def mobile_digits(rng: np.random.Generator, vocab: Vocab, rows: int) -> np.ndarray:
    """A (rows, 11) digit matrix of mainland mobile numbers from real carrier prefixes."""
    prefixes = np.array([int(p) for p in vocab.mobile_prefixes])
    head = int_digits(prefixes[rng.integers(0, len(prefixes), rows)], 3)
    return np.concatenate([head, random_digits(rng, rows, 8)], axis=1)


def phone_layouts(rng: np.random.Generator, zh: np.ndarray) -> np.ndarray:
    """Draw a layout (see MOBILE_FORMATS) per row; English-named customers get foreign numbers."""
    layout = weighted_index(rng, ZH_LAYOUT_WEIGHTS, len(zh))
    en_rows = np.flatnonzero(~zh)
    layout[en_rows] = weighted_index(rng, EN_LAYOUT_WEIGHTS, len(en_rows))
    return layout


def phones(rng: np.random.Generator, mobile: np.ndarray, layout: np.ndarray) -> pa.Array:
    """Render each row's number in its layout."""
    rows = len(layout)
    plain = digits_to_strings(mobile)
    head, mid, tail = (pc.utf8_slice_codeunits(plain, a, b) for a, b in ((0, 3), (3, 7), (7, 11)))
    area = pick(LANDLINE_AREAS, rng.integers(0, len(LANDLINE_AREAS), rows))
    local = digits_to_strings(
        np.concatenate([rng.integers(2, 9, (rows, 1)), random_digits(rng, rows, 7)], axis=1)
    )
    us = join(
        "+1 ",
        pick(US_AREAS, rng.integers(0, len(US_AREAS), rows)),
        "-",
        digits_to_strings(int_digits(rng.integers(201, 999, rows), 3)),
        "-",
        digits_to_strings(random_digits(rng, rows, 4)),
    )
    uk_block = rng.integers(100, 999, rows)
    uk_block = np.where(
        (uk_block >= 600) & (uk_block < 700), uk_block + 100, uk_block
    )  # 076 pagers
    uk = join(
        "+44 7",
        digits_to_strings(int_digits(uk_block, 3)),
        " ",
        digits_to_strings(random_digits(rng, rows, 6)),
    )
    options = [
        plain,
        join(head, "-", mid, "-", tail),
        join(head, " ", mid, " ", tail),
        join("+86 ", head, " ", mid, " ", tail),
        join("+86", plain),
        join("0086", plain),
        fullwidth_strings(mobile),
        join(area, "-", local),
        us,
        uk,
    ]
    return choose(layout, options)


def emails(
    rng: np.random.Generator, vocab: Vocab, zh: np.ndarray, en_first: pa.Array, en_last: pa.Array
) -> pa.Array:
    """Emails: pinyin or QQ numbers for Chinese names, first.last for English ones."""
    rows = len(zh)
    py_first = pick(vocab.zh_romanized_first, rng.integers(0, len(vocab.zh_romanized_first), rows))
    py_last = pick(vocab.zh_romanized_last, rng.integers(0, len(vocab.zh_romanized_last), rows))
    number = pc.cast(pa.array(rng.integers(1, 9999, rows)), pa.string())
    qq = pc.cast(pa.array(rng.integers(10_000, 3_999_999_999, rows)), pa.string())
    first, last = pc.utf8_lower(en_first), pc.utf8_lower(en_last)
    zh_domain = weighted_pick(rng, MAIL_DOMAINS_ZH, rows)
    en_domain = weighted_pick(rng, MAIL_DOMAINS_EN, rows)
    options = [
        join(py_last, py_first, number, "@", zh_domain),
        join(py_first, ".", py_last, "@", zh_domain),
        join(qq, "@qq.com"),
        join(first, ".", last, "@", en_domain),
        join(pc.utf8_slice_codeunits(first, 0, 1), last, number, "@", en_domain),
        join(first, "_", last, "@", en_domain),
    ]
    style = np.where(zh, rng.integers(0, 3, rows), rng.integers(3, 6, rows))
    return choose(style, options)


def malformed(rng: np.random.Generator, email: pa.Array, mask: np.ndarray) -> pa.Array:
    """Break the emails under ``mask`` the ways forms let them through."""
    options = [
        email,
        pc.replace_substring(email, "@", "@@", max_replacements=1),
        pc.replace_substring(email, "@", " at ", max_replacements=1),
        pc.replace_substring(email, "@", "", max_replacements=1),
        pc.replace_substring_regex(email, r"\.[a-z]+$", ""),
    ]
    how = np.where(mask, rng.integers(1, len(options), len(mask)), 0)
    return choose(how, options)


def addresses(rng: np.random.Generator, vocab: Vocab, zh: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """Return (address, region): ``省市区路号`` in China, US postal addresses for ~70 % of English names."""
    rows = len(zh)
    pidx = weighted_index(rng, PROVINCE_WEIGHTS, rows)
    province = pick(PROVINCES, pidx)
    region = pick([short_province(p) for p in PROVINCES], pidx)
    city = join(pick(vocab.cities, rng.integers(0, len(vocab.cities), rows)), "市")
    city = when(pidx < len(MUNICIPALITIES), "", city)
    building = join(
        pc.cast(pa.array(rng.integers(1, 30, rows)), pa.string()),
        "栋",
        pc.cast(pa.array(rng.integers(1, 6, rows)), pa.string()),
        "单元",
        pc.cast(pa.array(rng.integers(101, 2806, rows)), pa.string()),
        "室",
    )
    building = when(rng.random(rows) < 0.5, building, "")
    cn = join(
        province,
        city,
        pick(vocab.districts, rng.integers(0, len(vocab.districts), rows)),
        "区",
        pick(vocab.streets, rng.integers(0, len(vocab.streets), rows)),
        pc.cast(pa.array(rng.integers(1, 999, rows)), pa.string()),
        "号",
        building,
    )
    abroad = ~zh & (rng.random(rows) < 0.7)
    postal = pick(vocab.en_addresses, rng.integers(0, len(vocab.en_addresses), rows))
    address = when(abroad, postal, cn)
    region = when(abroad, "海外", region)
    return address, region
