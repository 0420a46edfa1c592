"""Generate a realistic bilingual CRM sample: customers, tickets, transactions, feedback.

Usage::

    python examples/generate.py --out DIR --customers N --seed S --format csv|parquet|jsonl

Writes ``DIR/<table>.<format>`` for the four tables (all columns text). The same
seed gives the same bytes. Faker (seeded) fills vocabularies once; rows are
assembled with numpy and pyarrow compute, so 1M customers take seconds, not minutes.

Deliberate quality problems: ~1 % duplicate customers (same person, new
customer_id, phone typed differently), ~2 % blank phones and emails, a few
malformed emails, ~0.5 % feedback scores out of 1–5 and negative response times.
Decoys: ``txn_id`` and ``order_no`` are 18/19-digit serials that fail the ID and
Luhn checks. ``EXPECTED`` is the ground truth of what each column holds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

if __package__ in (None, ""):  # run as a script: make ``examples.crm`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examples.crm.activity import build_feedback, build_tickets, build_transactions
from examples.crm.customers import build_customers
from examples.crm.vocab import build_vocab

TABLES = ("customers", "tickets", "transactions", "feedback")
FORMATS = ("csv", "parquet", "jsonl")
ROWS_PER_CUSTOMER = {"tickets": 0.6, "transactions": 1.5, "feedback": 0.4}
FREE_TEXT = "FREE_TEXT"

EXPECTED: dict[str, dict[str, str | None]] = {
    "customers": {
        "customer_id": None,
        "name": "PERSON",
        "gender": None,
        "id_number": "CN_RESIDENT_ID",
        "phone": "PHONE_NUMBER",
        "email": "EMAIL_ADDRESS",
        "birth_date": "DATE_OF_BIRTH",
        "address": "LOCATION",
        "region": None,
        "bank_card": "CREDIT_CARD",
        "ethnicity": "ETHNICITY",
        "consent_marketing": None,
        "consent_analytics": None,
        "created_at": None,
    },
    "tickets": {
        "ticket_id": None,
        "customer_id": None,
        "channel": None,
        "category": None,
        "status": None,
        "created_at": None,
        "resolved_at": None,
        "complaint": FREE_TEXT,
    },
    "transactions": {
        "txn_id": None,
        "customer_id": None,
        "order_no": None,
        "amount": None,
        "currency": None,
        "sku": None,
        "txn_time": None,
        "store": None,
    },
    "feedback": {
        "feedback_id": None,
        "customer_id": None,
        "ticket_id": None,
        "score": None,
        "response_minutes": None,
        "comment": FREE_TEXT,
        "submitted_at": None,
    },
}
"""Table → column → the entity it holds (govkit entity names), ``FREE_TEXT`` for
free text that sometimes embeds personal data, None for no personal data."""


def generate(customers: int, seed: int = 42) -> dict[str, pa.Table]:
    """Build the four tables in memory; the same arguments give the same tables."""
    if customers < 1:
        raise ValueError("customers must be at least 1")
    rng = np.random.default_rng(seed)
    vocab = build_vocab(seed)
    people = build_customers(rng, vocab, customers)
    sizes = {t: max(1, round(customers * share)) for t, share in ROWS_PER_CUSTOMER.items()}
    tickets = build_tickets(rng, people, sizes["tickets"])
    return {
        "customers": people.table,
        "tickets": tickets.table,
        "transactions": build_transactions(rng, people, sizes["transactions"]),
        "feedback": build_feedback(rng, people, tickets, sizes["feedback"]),
    }


def write(tables: dict[str, pa.Table], out: Path, fmt: str) -> dict[str, Path]:
    """Write each table to ``out/<table>.<fmt>`` atomically, replacing old copies."""
    from govkit.datasets import write_dataset
    from govkit.datasets.write import PARQUET_ROW_GROUP

    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, table in tables.items():
        path = out / f"{name}.{fmt}"
        batches = table.combine_chunks().to_batches(max_chunksize=PARQUET_ROW_GROUP)
        write_dataset(batches, table.schema, str(path), overwrite=True)
        paths[name] = path
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--customers", type=int, default=500, help="number of customers")
    parser.add_argument("--seed", type=int, default=42, help="random seed")
    parser.add_argument("--format", choices=FORMATS, default="csv", help="file format")
    args = parser.parse_args(argv)
    if args.customers < 1:
        parser.error("--customers must be at least 1")
    start = time.perf_counter()
    tables = generate(args.customers, args.seed)
    built = time.perf_counter() - start
    paths = write(tables, args.out, args.format)
    total = time.perf_counter() - start
    for name, path in paths.items():
        print(f"{path}  {tables[name].num_rows:>10,} rows  {path.stat().st_size / 2**20:8.1f} MiB")
    print(f"built in {built:.1f} s, written in {total - built:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
