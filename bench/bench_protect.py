"""Protect: values/s per transform against a bare loop of the same primitive, and peak RSS.

Run: .venv/bin/python bench/bench_protect.py [--customers 1000000]

Each transform runs over its natural column of the generated customers table (Parquet,
streamed in 65k-row batches) and is compared with a bare Python loop of the same
`cryptography`/`fastfpe` primitive over the same values (already a list of str, so the
reference pays no Arrow conversion, normalisation or encoding). Target: ratio ≥ 0.7. The two
alternate for 5 rounds after a warm-up; the ratio is the median of the per-round ratios, so
load from other processes on a shared machine hits both sides alike.
Then the whole table goes through `govkit.protect` (all high and medium columns) in a
child process, with 1 and with 2 worker processes, reporting wall time and peak RSS while
streaming (workers' own RSS is not in the parent's figure). These run first, while this
process is still small: on Linux a child's peak RSS starts at its parent's.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import child_peak_rss_mb, generated, median_time
from govkit.protect.keys import DataKey
from govkit.protect.registry import build

KEYS = {
    "tokenize": DataKey("tk-bench0001", "tokenize", os.urandom(64)),
    "encrypt": DataKey("ek-bench0001", "encrypt", os.urandom(32)),
    "hash": DataKey("hk-bench0001", "hash", os.urandom(32)),
    "fpe": DataKey("fk-bench0001", "fpe", os.urandom(32)),
}


class Keys:
    def active(self, purpose: str) -> DataKey:
        return KEYS[purpose]  # type: ignore[index]

    def get(self, key_id: str) -> DataKey:
        return next(k for k in KEYS.values() if k.id == key_id)


def _siv(values: list[str]) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV

    enc = AESSIV(KEYS["tokenize"].material).encrypt
    for v in values:
        enc(v.encode(), None)


def _gcm(values: list[str]) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    enc = AESGCM(KEYS["encrypt"].material).encrypt
    pool = os.urandom(12 * len(values))
    for n, v in zip(range(0, 12 * len(values), 12), values, strict=True):
        enc(pool[n : n + 12], v.encode(), None)


def _hmac(values: list[str]) -> None:
    base = hmac.new(KEYS["hash"].material, digestmod=hashlib.sha256)
    for v in values:
        mac = base.copy()
        mac.update(v.encode())
        mac.digest()


def _siv_bulk(values: list[str]) -> None:
    from govkit.protect.siv import SivEncryptor

    SivEncryptor(KEYS["tokenize"].material).encrypt_array(pa.array(values, pa.binary()))


def _hmac_states(values: list[str]) -> None:
    from govkit.protect.hash import hmac_states

    inner, outer = hmac_states(KEYS["hash"].material)
    for v in values:
        mac = inner.copy()
        mac.update(v.encode())
        tag = outer.copy()
        tag.update(mac.digest())
        tag.digest()


def _ff1(values: list[str]) -> None:
    from fastfpe import ff1

    key = KEYS["fpe"].material.hex()
    for v in values:
        ff1.encrypt(key, "", "0123456789", v)


def _slice_mask(values: list[str]) -> None:
    for v in values:
        v[:3] + "*" * (len(v) - 7) + v[-4:]


CASES: list[tuple[str, str, str, dict[str, object], str, Callable[[list[str]], None]]] = [
    ("tokenize (AES-SIV)", "id_number", "CN_RESIDENT_ID", {}, "AESSIV.encrypt loop", _siv),
    ("tokenize (AES-SIV), phone", "phone", "PHONE_NUMBER", {}, "AESSIV.encrypt loop", _siv),
    (  # the same construction govkit uses, so the ratio shows its overhead alone
        "tokenize (AES-SIV), phone",
        "phone",
        "PHONE_NUMBER",
        {},
        "govkit's bulk AES-SIV, no normalising",
        _siv_bulk,
    ),
    (
        "encrypt (AES-256-GCM)",
        "id_number",
        "CN_RESIDENT_ID",
        {},
        "AESGCM.encrypt, pooled nonces",
        _gcm,
    ),
    ("hash (HMAC-SHA256)", "phone", "PHONE_NUMBER", {}, "hmac copy/update/digest loop", _hmac),
    (
        "hash (HMAC-SHA256)",
        "phone",
        "PHONE_NUMBER",
        {},
        "hashlib inner/outer loop (govkit's)",
        _hmac_states,
    ),
    (
        "fpe (FF1), card + Luhn",
        "bank_card",
        "CREDIT_CARD",
        {"check_digit": "luhn"},
        "fastfpe ff1.encrypt loop",
        _ff1,
    ),
    ("mask (phone)", "phone", "PHONE_NUMBER", {}, "Python slice loop", _slice_mask),
    (
        "generalize (birth date → year)",
        "birth_date",
        "DATE_OF_BIRTH",
        {},
        "Python slice loop",
        _slice_mask,
    ),
]


def _normalize_time(entity: str, batches: list[pa.Array]) -> float:
    from govkit.protect.normalize import normalized_bytes

    return median_time(lambda: [normalized_bytes(entity, b) for b in batches], repeat=3, warmup=1)


def _paired(
    name: str,
    entity: str,
    params: dict[str, object],
    batches: list[pa.Array],
    ref: Callable[[], object],
    rounds: int = 5,
) -> tuple[float, float, float]:
    """Median seconds of ours and of the primitive, and the median of per-round ratios.

    Rounds alternate ours/primitive so load from other processes hits both alike.
    """
    t = build(name, params, column="c", entity=entity, keys=Keys())  # type: ignore[arg-type]
    ours: list[float] = []
    prims: list[float] = []
    for _ in range(rounds + 1):  # the first round warms up
        start = time.perf_counter()
        for b in batches:
            t.apply(b)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        ref()
        prims.append(time.perf_counter() - start)
    ours, prims = ours[1:], prims[1:]
    ratios = [p / o for o, p in zip(ours, prims, strict=True)]
    return statistics.median(ours), statistics.median(prims), statistics.median(ratios)


E2E = """
import base64, os, sys, time, pathlib
from govkit.settings import GovkitSettings
from govkit.governor import Governor
from govkit.protect.keys import LocalKeyring
from govkit.protect.api import protect
from govkit.engines.local import LocalEngine
tmp = pathlib.Path(sys.argv[2])
os.environ.update(GOVKIT_MASTER_KEY=base64.b64encode(os.urandom(32)).decode(),
    GOVKIT_KEYRING=str(tmp / "keyring.json"), GOVKIT_AUDIT_URL=f"sqlite:///{tmp}/audit-{sys.argv[4]}.db")
settings = GovkitSettings()
LocalKeyring.create(settings.keyring, base64.b64decode(os.environ["GOVKIT_MASTER_KEY"]))
start = time.perf_counter()
result = protect(sys.argv[1], str(tmp / "out.parquet"), context=Governor(settings),
                 catalog=pathlib.Path(sys.argv[3]), engine=LocalEngine(int(sys.argv[4])))
print(f"{time.perf_counter() - start:.2f} {result.manifest.rows_out}")
"""
CATALOG = """version: 1
datasets:
  customers:
    columns:
      customer_id: {sensitivity: low}
      name: {entity: PERSON, sensitivity: medium}
      gender: {sensitivity: low}
      id_number: {entity: CN_RESIDENT_ID, sensitivity: high}
      phone: {entity: PHONE_NUMBER, sensitivity: medium}
      email: {entity: EMAIL_ADDRESS, sensitivity: medium}
      birth_date: {entity: DATE_OF_BIRTH, sensitivity: medium}
      address: {entity: LOCATION, sensitivity: medium}
      region: {sensitivity: low}
      bank_card: {entity: CREDIT_CARD, sensitivity: high}
      ethnicity: {entity: ETHNICITY, sensitivity: high}
      consent_marketing: {sensitivity: low}
      consent_analytics: {sensitivity: low}
      created_at: {sensitivity: low}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args()
    print("start: load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    path = generated(args.customers, "parquet")["customers"]
    # First, while this process is small: a child's ru_maxrss starts at its parent's peak.
    with tempfile.TemporaryDirectory(prefix="bench-protect-") as tmp:
        catalog = Path(tmp) / "catalog.yaml"
        catalog.write_text(CATALOG, encoding="utf-8")
        size = path.stat().st_size / 2**20
        for workers in (1, 2):
            rss, out = child_peak_rss_mb(E2E, str(path), tmp, str(catalog), str(workers))
            seconds, rows = out.split()
            print(
                f"govkit.protect, whole table, 8 protected columns, {workers} worker(s): "
                f"{int(rows):,} rows in {float(seconds):.1f} s = {int(rows) / float(seconds):,.0f} rows/s; "
                f"peak RSS of the parent {rss:.0f} MiB (input {size:.0f} MiB Parquet)"
            )
            for leftover in Path(tmp).glob("out.parquet*"):
                leftover.unlink()
            (Path(tmp) / "keyring.json").unlink()

    table = pq.read_table(path, columns=["id_number", "phone", "bank_card", "birth_date"])
    print(f"customers: {table.num_rows:,} rows ({path.name}); one process, 65k-row batches")
    print(
        f"{'transform':<34} {'column':<11} {'values/s':>10} {'primitive/s':>12} {'ratio':>6}  reference"
    )
    seen: set[str] = set()
    for label, column, entity, params, ref_label, ref in CASES:
        chunked = table.column(column).cast(pa.string())
        batches = [
            chunked.combine_chunks().slice(i, 65_536) for i in range(0, len(chunked), 65_536)
        ]
        values = [v for v in chunked.to_pylist() if v]
        name = label.split()[0]  # the transform's registry name
        own, prim, ratio = _paired(name, entity, params, batches, lambda: ref(values))  # noqa: B023
        speed, ref_speed = len(values) / own, len(values) / prim
        print(
            f"{label:<34} {column:<11} {speed:>10,.0f} {ref_speed:>12,.0f} {ratio:>6.2f}  {ref_label}"
        )
        if name in ("tokenize", "hash") and column not in seen:
            seen.add(column)
            norm = len(values) / _normalize_time(entity, batches)
            print(f"{'  of which normalize_value, vectorised':<34} {column:<11} {norm:>10,.0f}")
    print("end: load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
