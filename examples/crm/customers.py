"""The customers table: people, their identifiers, and the deliberate quality problems."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from examples.crm.arrays import (
    date_digits,
    digits_to_strings,
    exact_mask,
    int_digits,
    join,
    luhn_check_digits,
    null_where,
    pick,
    random_digits,
    serials,
    timestamps,
    unix,
    weighted_index,
    weighted_pick,
    when,
    with_id_check,
)
from examples.crm.contact import (
    MOBILE_FORMATS,
    addresses,
    emails,
    malformed,
    mobile_digits,
    phone_layouts,
    phones,
)
from examples.crm.vocab import ETHNICITIES, Vocab

UNIONPAY_BINS = ("622202", "621700", "622848", "621661", "622588", "623668", "621226", "625911")
VISA_BINS = ("438088", "476134", "427020", "400360")
MASTERCARD_BINS = ("552233", "524070", "518600", "545616")
PERMIT_REGIONS = ("810000", "820000", "830000")
BIRTH_FIRST, BIRTH_LAST = np.datetime64("1950-01-01"), np.datetime64("2006-12-31")


@dataclass(frozen=True)
class Customers:
    """The table plus facts later tables need (row-aligned numpy arrays)."""

    table: pa.Table
    zh: np.ndarray
    created: np.ndarray


def _names(rng: np.random.Generator, v: Vocab, male: np.ndarray) -> tuple[pa.Array, ...]:
    """Return (Chinese name, English first name, English last name) for every row."""
    rows = len(male)
    surname = pick(v.zh_surnames, weighted_index(rng, v.zh_surname_weights, rows))
    given = [
        when(
            male,
            pick(v.zh_given_male, rng.integers(0, len(v.zh_given_male), rows)),
            pick(v.zh_given_female, rng.integers(0, len(v.zh_given_female), rows)),
        )
        for _ in range(2)
    ]
    two = (rng.random(rows) < 0.55) & pc.equal(pc.utf8_length(given[0]), 1).to_numpy(False)
    zh_name = join(surname, given[0], when(two, pc.utf8_slice_codeunits(given[1], 0, 1), ""))
    first = when(
        male,
        pick(v.en_first_male, weighted_index(rng, v.en_first_male_weights, rows)),
        pick(v.en_first_female, weighted_index(rng, v.en_first_female_weights, rows)),
    )
    last = pick(v.en_last, weighted_index(rng, v.en_last_weights, rows))
    return zh_name, first, last


def _id_numbers(
    rng: np.random.Generator, v: Vocab, zh: np.ndarray, male: np.ndarray, birth: np.ndarray
) -> pa.Array:
    """Resident IDs consistent with birth date and gender (odd sequence = male).

    Chinese names: 18 characters with a valid MOD 11-2 check, ~1 % legacy 15-digit,
    a few HK/Macau/Taiwan residence permits. English names: 90 % have none.
    """
    rows = len(zh)
    ymd = date_digits(birth)
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    seq = int_digits(rng.integers(0, 500, rows) * 2 + male, 3)
    region_pool = np.array([int(r) for r in v.id_regions])
    region = int_digits(region_pool[rng.integers(0, len(region_pool), rows)], 6)
    zh_rows = np.flatnonzero(zh)
    legacy = np.zeros(rows, dtype=bool)
    old = zh_rows[year[zh_rows] < 1985]
    legacy[
        rng.choice(old, size=min(len(old), max(1, round(len(zh_rows) * 0.01))), replace=False)
    ] = True
    permit = np.zeros(rows, dtype=bool)
    young = np.setdiff1d(zh_rows, np.flatnonzero(legacy))
    permit[
        rng.choice(young, size=min(len(young), max(2, round(len(zh_rows) * 0.003))), replace=False)
    ] = True
    region[permit] = int_digits(np.array([int(p) for p in PERMIT_REGIONS]), 6)[
        rng.integers(0, len(PERMIT_REGIONS), int(permit.sum()))
    ]
    body = np.concatenate([region, ymd, seq], axis=1)
    id18 = with_id_check(body)
    id15 = digits_to_strings(np.concatenate([region, body[:, 8:14], seq], axis=1))
    ids = when(legacy, id15, id18)
    return null_where(ids, ~zh & (rng.random(rows) < 0.9))


def _bank_cards(rng: np.random.Generator, rows: int) -> pa.Array:
    """UnionPay (16/19 digits) and Visa/Mastercard (16), all Luhn-valid; 10 % have none."""
    bins = UNIONPAY_BINS + VISA_BINS + MASTERCARD_BINS
    bin_digits = np.array([[int(c) for c in b] for b in bins])
    kind = weighted_index(rng, (50, 20, 15, 15), rows)  # UP16, UP19, Visa, MC
    lo = np.array([0, 0, len(UNIONPAY_BINS), len(UNIONPAY_BINS) + len(VISA_BINS)])
    size = np.array([len(UNIONPAY_BINS), len(UNIONPAY_BINS), len(VISA_BINS), len(MASTERCARD_BINS)])
    head = bin_digits[lo[kind] + (rng.random(rows) * size[kind]).astype(np.int64)]
    cards = []
    for length in (16, 19):
        body = np.concatenate([head, random_digits(rng, rows, length - 7)], axis=1)
        full = np.concatenate([body, luhn_check_digits(body)[:, None]], axis=1)
        cards.append(digits_to_strings(full))
    return null_where(when(kind == 1, cards[1], cards[0]), rng.random(rows) < 0.1)


def _duplicates(rng: np.random.Generator, zh: np.ndarray, layout: np.ndarray) -> np.ndarray:
    """Return a row map: ~1 % of rows repeat an earlier-drawn person (Chinese name, mobile)."""
    rows = len(zh)
    perm = np.arange(rows)
    count = round(rows * 0.01) if rows >= 50 else 0
    if count:
        dups = rng.choice(rows, size=count, replace=False)
        eligible = zh & (layout < MOBILE_FORMATS)
        eligible[dups] = False
        perm[dups] = rng.choice(np.flatnonzero(eligible), size=count, replace=False)
    return perm


def build_customers(rng: np.random.Generator, v: Vocab, rows: int) -> Customers:
    """Build the customers table (see the module docstring of examples/generate.py)."""
    zh = rng.random(rows) < 0.8
    male = rng.random(rows) < 0.5
    layout = phone_layouts(rng, zh)
    perm = _duplicates(rng, zh, layout)
    zh, male, dup = zh[perm], male[perm], perm != np.arange(rows)
    # A duplicate is the same person typing the same mobile in another layout.
    layout[dup] = (
        layout[perm][dup] + rng.integers(1, MOBILE_FORMATS, int(dup.sum()))
    ) % MOBILE_FORMATS
    birth = BIRTH_FIRST + rng.integers(0, int((BIRTH_LAST - BIRTH_FIRST).astype(int)) + 1, rows)
    zh_name, first, last = _names(rng, v, male)
    address, region = addresses(rng, v, zh)
    person = pa.table(
        {
            "name": when(zh, zh_name, join(first, " ", last)),
            "gender": when(zh, when(male, "男", "女"), when(male, "M", "F")),
            "id_number": _id_numbers(rng, v, zh, male, birth),
            "email": emails(rng, v, zh, first, last),
            "birth_date": pc.strftime(pa.array(birth, pa.date32()), format="%Y-%m-%d"),
            "address": address,
            "region": region,
            "bank_card": _bank_cards(rng, rows),
            "ethnicity": null_where(weighted_pick(rng, ETHNICITIES, rows), ~zh),
        }
    ).take(pa.array(perm))
    phone = phones(rng, mobile_digits(rng, v, rows)[perm], layout)
    involved = np.zeros(rows, dtype=bool)
    involved[perm[dup]] = involved[dup] = True
    clean = np.flatnonzero(~involved)
    blank_phone, blank_email, bad_email = (np.zeros(rows, dtype=bool) for _ in range(3))
    for mask, share in ((blank_phone, 0.02), (blank_email, 0.02), (bad_email, 0.003)):
        mask[clean[exact_mask(rng, len(clean), share, minimum=3)]] = True
    email = malformed(rng, person.column("email").combine_chunks(), bad_email & ~blank_email)
    created = rng.integers(unix("2019-01-01"), unix("2025-10-01"), rows)
    table = pa.table(
        {
            "customer_id": serials("C", 1, rows, 7),
            "name": person.column("name"),
            "gender": person.column("gender"),
            "id_number": person.column("id_number"),
            "phone": null_where(phone, blank_phone),
            "email": null_where(email, blank_email),
            "birth_date": person.column("birth_date"),
            "address": person.column("address"),
            "region": person.column("region"),
            "bank_card": person.column("bank_card"),
            "ethnicity": person.column("ethnicity"),
            "consent_marketing": when(rng.random(rows) < 0.62, "true", "false"),
            "consent_analytics": when(rng.random(rows) < 0.81, "true", "false"),
            "created_at": timestamps(created),
        }
    )
    return Customers(table=table.combine_chunks(), zh=zh, created=created)
