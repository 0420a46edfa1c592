"""Tickets, transactions and feedback: activity tables keyed by customer_id."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from examples.crm.arrays import (
    Digits,
    bytes_to_strings,
    date_digits,
    digits_to_strings,
    exact_mask,
    id_check_bytes,
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
)
from examples.crm.customers import Customers
from examples.crm.text import COMMENTS_EN, COMMENTS_ZH, COMPLAINTS_EN, COMPLAINTS_ZH, free_text

CHANNELS = {"phone": 30, "wechat": 25, "app": 20, "email": 10, "门店": 15}
CATEGORIES = {"物流配送": 25, "退换货": 20, "产品质量": 18, "账户与登录": 12, "发票": 8,
              "服务态度": 10, "会员积分": 7}  # fmt: skip
STATUSES = ("open", "in_progress", "resolved", "closed")
CURRENCIES = {"CNY": 85, "USD": 7, "HKD": 5, "EUR": 3}
STORES = ("上海徐家汇店", "北京三里屯店", "广州天河店", "深圳南山店", "杭州西湖店", "成都春熙路店",
          "天猫旗舰店", "京东自营店", "微信小程序", "Online Store")  # fmt: skip
LETTERS = np.frombuffer(b"ABCDEFGHJKLMNPQRSTUVWXYZ", dtype=np.uint8)
END = unix("2025-11-01")


def _after(rng: np.random.Generator, start: np.ndarray, mean_hours: float) -> np.ndarray:
    """Times after ``start`` (lognormal gap around ``mean_hours``), capped at the data's end."""
    gap = rng.lognormal(np.log(mean_hours * 3600), 1.0, len(start)).astype(np.int64)
    return np.minimum(start + gap + 60, END)


def _slot_values(customers: Customers, who: np.ndarray) -> dict[str, pa.Array]:
    index = pa.array(who)
    return {
        col: customers.table.column(col).take(index).combine_chunks()
        for col in ("name", "phone", "id_number", "email")
    }


@dataclass(frozen=True)
class Tickets:
    """The tickets table plus its row-aligned customer index and creation times."""

    table: pa.Table
    who: np.ndarray
    created: np.ndarray


def build_tickets(rng: np.random.Generator, customers: Customers, rows: int) -> Tickets:
    """Service tickets; ~30 % of complaints embed the customer's name, phone, ID or email."""
    who = rng.integers(0, customers.table.num_rows, rows)
    created = _after(rng, customers.created[who], 24 * 90)
    status = weighted_index(rng, (10, 10, 50, 30), rows)
    resolved = null_where(timestamps(_after(rng, created, 20)), status < 2)
    complaint = free_text(
        rng, customers.zh[who], _slot_values(customers, who), (COMPLAINTS_ZH, COMPLAINTS_EN)
    )
    table = pa.table(
        {
            "ticket_id": serials("T", 1, rows, 8),
            "customer_id": customers.table.column("customer_id").take(pa.array(who)),
            "channel": weighted_pick(rng, CHANNELS, rows),
            "category": weighted_pick(rng, CATEGORIES, rows),
            "status": pick(STATUSES, status),
            "created_at": timestamps(created),
            "resolved_at": resolved,
            "complaint": complaint,
        }
    )
    return Tickets(table=table, who=who, created=created)


def failing_checks(rng: np.random.Generator, body: Digits) -> np.ndarray:
    """A last digit per row that makes the number fail both Luhn and (at 18 digits) MOD 11-2."""
    luhn = luhn_check_digits(body)
    avoid_id = (id_check_bytes(body) - ord("0")) if body.shape[1] == 17 else luhn
    last = rng.integers(0, 10, len(body))
    for _ in range(3):  # at most two digits are forbidden, so three steps suffice
        clash = (last == luhn) | (last == avoid_id)
        last = np.where(clash, (last + 1) % 10, last)
    return last


def _decoy(rng: np.random.Generator, times: np.ndarray, length: int) -> pa.Array:
    """Serials ``YYYYMMDD…`` of ``length`` digits that fail ID and Luhn checks (decoys)."""
    ymd = date_digits(times.astype("datetime64[s]"))
    body = np.concatenate([ymd, random_digits(rng, len(times), length - 9)], axis=1)
    return digits_to_strings(np.concatenate([body, failing_checks(rng, body)[:, None]], axis=1))


def build_transactions(rng: np.random.Generator, customers: Customers, rows: int) -> pa.Table:
    """Purchases: amounts as decimal text, decoy serial numbers, SKUs and stores."""
    who = rng.integers(0, customers.table.num_rows, rows)
    when_ = _after(rng, customers.created[who], 24 * 200)
    length = np.where(rng.random(rows) < 0.5, 18, 19)
    txn = pc.if_else(pa.array(length == 18), _decoy(rng, when_, 18), _decoy(rng, when_, 19))
    cents = np.round(rng.lognormal(np.log(15_000), 1.1, rows)).astype(np.int64) + 100
    amount = join(
        pc.cast(pa.array(cents // 100), pa.string()),
        ".",
        digits_to_strings(int_digits(cents % 100, 2)),
    )
    letters = np.stack([LETTERS[rng.integers(0, len(LETTERS), rows)] for _ in range(2)], axis=1)
    sku = join(
        "SKU-",
        bytes_to_strings(letters),
        "-",
        digits_to_strings(int_digits(rng.integers(10_000, 99_999, rows), 5)),
    )
    return pa.table(
        {
            "txn_id": txn,
            "customer_id": customers.table.column("customer_id").take(pa.array(who)),
            "order_no": _decoy(rng, when_, 18),
            "amount": amount,
            "currency": weighted_pick(rng, CURRENCIES, rows),
            "sku": sku,
            "txn_time": timestamps(when_),
            "store": pick(STORES, rng.integers(0, len(STORES), rows)),
        }
    )


def build_feedback(
    rng: np.random.Generator, customers: Customers, tickets: Tickets, rows: int
) -> pa.Table:
    """Satisfaction feedback on tickets; ~0.5 % out-of-range scores and negative times."""
    rows = min(rows, tickets.table.num_rows)
    chosen = np.sort(rng.choice(tickets.table.num_rows, size=rows, replace=False))
    who = tickets.who[chosen]
    score = weighted_index(rng, (5, 8, 17, 35, 35), rows) + 1
    bad = exact_mask(rng, rows, 0.005)
    score[bad] = np.array([0, 6, 9])[rng.integers(0, 3, int(bad.sum()))]
    minutes = np.round(rng.lognormal(np.log(45), 1.2, rows)).astype(np.int64) + 1
    negative = exact_mask(rng, rows, 0.005)
    minutes[negative] = -rng.integers(1, 600, int(negative.sum()))
    comment = free_text(
        rng, customers.zh[who], _slot_values(customers, who), (COMMENTS_ZH, COMMENTS_EN)
    )
    return pa.table(
        {
            "feedback_id": serials("F", 1, rows, 8),
            "customer_id": customers.table.column("customer_id").take(pa.array(who)),
            "ticket_id": tickets.table.column("ticket_id").take(pa.array(chosen)),
            "score": pc.cast(pa.array(score), pa.string()),
            "response_minutes": pc.cast(pa.array(minutes), pa.string()),
            "comment": null_where(comment, rng.random(rows) < 0.25),
            "submitted_at": timestamps(_after(rng, tickets.created[chosen], 48)),
        }
    )
