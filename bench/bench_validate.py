"""govkit validate (GX) on the WHOLE customers suite against the same 21 checks hand-written in pandas.

Run: .venv/bin/python bench/bench_validate.py [--customers 1000000] [--rounds 3]

Every rule of the default customers suite (expectations/customers.json), phone rules
included: completeness, uniqueness, regex formats, CN resident ID and bank-card
checksums, dates not in the future, ID vs birth date / gender, phone validity
(CUST-009) and customers unique after phone normalisation (CUST-018). The pandas
reference is what a competent hand implementation does: vectorised ``str`` methods,
the same Arrow checksum helpers, and for phones a vectorised mobile regex whose
numbers are judged by ``phonenumbers`` once per distinct 5-digit prefix, everything
else by ``phonenumbers`` once per distinct value.

The two sides alternate for ``--rounds`` rounds after a warm-up; each ratio is the
median of the per-round ratios, so load from other jobs on the shared machine hits
both alike. Prints the load average at start, per round and at the end; (1) the engine
alone on a frame already in memory, (2) the library call end to end (read CSV through
the datasets layer + validate) against read + pandas; whether the unexpected counts
agree rule by rule; (3) peak RSS and wall time of a fresh process for each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import ROOT, child_peak_rss_mb, generated, ratio_line
from govkit.datasets import open_dataset
from govkit.quality.expectations import checks

SUITE = ROOT / "expectations" / "customers.json"
COLUMNS = [
    "customer_id", "name", "gender", "id_number", "phone", "email", "birth_date", "address",
    "region", "bank_card", "ethnicity", "consent_marketing", "consent_analytics", "created_at",
]  # fmt: skip
EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
PHONE = r"^(1[3-9][0-9]{9}|0[1-9][0-9]{9,10}|\+[1-9][0-9]{6,14})$"


def _regex_bad(s: pd.Series, pattern: str) -> int:
    v = s.dropna()
    return int((~v.str.contains(pattern, regex=True)).sum())


def _pair_bad(df: pd.DataFrame, a: str, b: str, fn: Any) -> int:
    both = df[df[a].notna() & df[b].notna()]
    return int((~fn(both[a], both[b])).sum())


_SEP = r"[\s\-().·/]+"
_MOBILE = r"^(?:\+86|0086|86)?(1[3-9][0-9]{9})$"


def _phone_key(value: str) -> tuple[str, bool]:
    """(canonical number — CN national, else E.164 — or the NFKC-stripped text, valid)."""
    import phonenumbers

    text = unicodedata.normalize("NFKC", value).strip()
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return text, False
    if not phonenumbers.is_valid_number(number):
        return text, False
    if number.country_code == 86:
        return str(phonenumbers.national_significant_number(number)), True
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), True


def _phones(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(canonical key, valid) per value: mobiles vectorised, the rest once per distinct value."""
    compact = s.str.normalize("NFKC").str.replace(_SEP, "", regex=True)
    mobile = compact.str.extract(_MOBILE, expand=False)
    prefixes = mobile.dropna().str.slice(0, 5).unique()
    ok = {p: _phone_key(p + "000000")[1] for p in prefixes}
    valid = mobile.str.slice(0, 5).map(ok).fillna(False).astype(bool)
    key = mobile.where(valid)
    rest = s[key.isna()]
    codes, uniques = pd.factorize(rest)
    done = [_phone_key(u) for u in uniques]
    keys = np.array([k for k, _ in done] + [None], dtype=object)
    oks = np.array([v for _, v in done] + [False], dtype=bool)
    key[rest.index] = keys[codes]
    valid[rest.index] = oks[codes]
    return key, valid


def pandas_checks(df: pd.DataFrame) -> dict[str, int]:
    """The same 21 rules by hand: rule id -> unexpected count (0/1 for the table rule)."""
    ids = df["customer_id"].dropna()
    phone_key, phone_ok = _phones(df["phone"].dropna())
    both = df[["name", "phone"]].dropna()
    names = both["name"].str.normalize("NFKC").str.strip()
    dupes = pd.DataFrame({"n": names, "p": phone_key[both.index]}).duplicated(keep=False)
    return {
        "CUST-001": int(sorted(df.columns) != sorted(COLUMNS)),
        "CUST-002": int(df["customer_id"].isna().sum()),
        "CUST-003": int(ids.duplicated(keep=False).sum()),
        "CUST-004": _regex_bad(df["customer_id"], r"^C[0-9]{7}$"),
        "CUST-005": int(df["name"].isna().sum()),
        "CUST-006": int(df["phone"].isna().sum()),
        "CUST-007": int(df["email"].isna().sum()),
        "CUST-008": _regex_bad(df["email"], EMAIL),
        "CUST-009": int((~phone_ok).sum()),
        "CUST-010": _regex_bad(df["phone"], PHONE),
        "CUST-011": int((~checks.valid_cn_resident_id(df["id_number"].dropna())).sum()),
        "CUST-012": int((~checks.valid_bank_card(df["bank_card"].dropna())).sum()),
        "CUST-013": int((~df["gender"].dropna().isin(["男", "女", "M", "F"])).sum()),
        "CUST-014": _regex_bad(df["birth_date"], r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        "CUST-015": int((~checks.not_in_future(df["birth_date"].dropna())).sum()),
        "CUST-016": _pair_bad(df, "id_number", "birth_date", checks.id_matches_birth_date),
        "CUST-017": _pair_bad(df, "id_number", "gender", checks.id_matches_gender),
        "CUST-018": int(dupes.sum()),
        "CUST-019": int((~df["consent_marketing"].dropna().isin(["true", "false"])).sum()),
        "CUST-020": int((~df["consent_analytics"].dropna().isin(["true", "false"])).sum()),
        "CUST-021": int((~checks.not_in_future(df["created_at"].dropna())).sum()),
    }


def gx_counts(frame: pd.DataFrame, suite_path: Path) -> dict[str, int]:
    """Run the suite with govkit's GX runner on an in-memory frame."""
    from govkit.quality.suites import load_suite
    from govkit.quality.validate import run_pandas

    suite = load_suite(suite_path)
    results = run_pandas(frame, suite, suite.expectations)
    return {
        r.rule_id: int(r.unexpected_count if r.unexpected_count is not None else not r.success)
        for r in results
    }


def read_frame(path: Path) -> pd.DataFrame:
    frame: pd.DataFrame = open_dataset(str(path)).read_all().to_pandas()
    return frame


CHILD_GX = """
from pathlib import Path
from govkit.datasets import open_dataset
from govkit.quality import validate_dataset
r = validate_dataset(open_dataset(sys.argv[1]), Path(sys.argv[2]))
print(r.statistics.evaluated_expectations)
"""
CHILD_PANDAS = """
sys.path.insert(0, "bench")
from bench_validate import pandas_checks, read_frame
from pathlib import Path
print(len(pandas_checks(read_frame(Path(sys.argv[1])))))
"""


def _child(code: str, *args: str) -> tuple[float, float]:
    """Wall time and peak RSS (MiB) of ``code`` in a fresh interpreter."""
    start = time.perf_counter()
    rss, _ = child_peak_rss_mb(code, *args)
    return time.perf_counter() - start, rss


def load() -> str:
    """The 1/5/15-minute load averages."""
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def paired(ours: Callable[[], object], ref: Callable[[], object], rounds: int) -> str:
    """Alternate both sides (one warm-up each); medians and the median per-round ratio."""
    ours()
    ref()
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        ours()
        mine.append(time.perf_counter() - start)
        start = time.perf_counter()
        ref()
        theirs.append(time.perf_counter() - start)
    ratio = statistics.median(m / t for m, t in zip(mine, theirs, strict=True))
    return (
        f"{statistics.median(mine):8.3f} s vs {statistics.median(theirs):8.3f} s  "
        f"median per-round ratio {ratio:6.2f}  (target <= 2; {load()})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"start: {load()} (2 cores shared with other jobs: rely on the same-run ratios)")

    csv_path = generated(args.customers, "csv")["customers"]
    frame = read_frame(csv_path)
    rules = len(json.loads(SUITE.read_text(encoding="utf-8"))["expectations"])
    print(f"customers: {len(frame):,} rows x {frame.shape[1]} columns; {rules} expectations")

    mine, theirs = gx_counts(frame, SUITE), pandas_checks(frame)
    agree = mine == theirs
    print(f"unexpected counts agree with pandas on all {len(theirs)} rules: {agree}")
    if not agree:
        diff = {k: (mine.get(k), theirs.get(k)) for k in theirs if mine.get(k) != theirs[k]}
        print(f"  differing rules (govkit, pandas): {diff}")

    line = paired(lambda: gx_counts(frame, SUITE), lambda: pandas_checks(frame), args.rounds)
    print(f"{'engine only: whole suite vs pandas (in memory)':<48} {line}")

    from govkit.quality import validate_dataset

    line = paired(
        lambda: validate_dataset(open_dataset(str(csv_path)), SUITE),
        lambda: pandas_checks(read_frame(csv_path)),
        args.rounds,
    )
    print(f"{'read CSV + validate vs read CSV + pandas':<48} {line}")

    wall_gx, rss_gx = _child(CHILD_GX, str(csv_path), str(SUITE))
    wall_pd, rss_pd = _child(CHILD_PANDAS, str(csv_path))
    print(ratio_line("fresh process (import GX + read + validate)", wall_gx, wall_pd))
    print(f"peak RSS: govkit validate {rss_gx:,.0f} MiB, pandas reference {rss_pd:,.0f} MiB")
    print(f"end: {load()}")


if __name__ == "__main__":
    main()
