"""govkit validate (GX) against the same checks hand-written in pandas.

Run: .venv/bin/python bench/bench_validate.py [--customers 1000000] [--repeat 3]

Uses 15 rules of the default customers suite (expectations/customers.json):
completeness, uniqueness, regex formats, CN resident ID and bank-card checksums,
dates not in the future, ID vs birth date / gender. The two phone-number rules
(CUST-009 validity, CUST-018 duplicates after normalisation) are left out: both
spend their time in ``phonenumbers`` (≈ 22 µs per distinct value) in either
implementation, which would hide GX's own overhead; their cost is printed apart.

Prints (1) the engine alone on a frame already in memory, (2) the library call
end to end (read CSV through the datasets layer + validate), each against pandas
doing the same; checks the unexpected counts agree; (3) peak RSS and wall time
of a fresh process for each (GX's import is inside).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import ROOT, child_peak_rss_mb, generated, median_time, ratio_line  # noqa: E402
from govkit.datasets import open_dataset  # noqa: E402
from govkit.quality.expectations import checks  # noqa: E402

SUITE = ROOT / "expectations" / "customers.json"
LEFT_OUT = {"CUST-005", "CUST-009", "CUST-018", "CUST-019", "CUST-020", "CUST-021"}
COLUMNS = [
    "customer_id", "name", "gender", "id_number", "phone", "email", "birth_date", "address",
    "region", "bank_card", "ethnicity", "consent_marketing", "consent_analytics", "created_at",
]  # fmt: skip
EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
PHONE = r"^(1[3-9][0-9]{9}|0[1-9][0-9]{9,10}|\+[1-9][0-9]{6,14})$"


def bench_suite(directory: Path) -> Path:
    """Write the 15-rule subset of the default suite; return its path."""
    doc = json.loads(SUITE.read_text(encoding="utf-8"))
    doc["expectations"] = [e for e in doc["expectations"] if e["meta"]["rule_id"] not in LEFT_OUT]
    path = directory / "customers.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _regex_bad(s: pd.Series, pattern: str) -> int:
    v = s.dropna()
    return int((~v.str.contains(pattern, regex=True)).sum())


def _pair_bad(df: pd.DataFrame, a: str, b: str, fn: Any) -> int:
    both = df[df[a].notna() & df[b].notna()]
    return int((~fn(both[a], both[b])).sum())


def pandas_checks(df: pd.DataFrame) -> dict[str, int]:
    """The same 15 rules by hand: rule id -> unexpected count (0/1 for the table rule)."""
    ids = df["customer_id"].dropna()
    return {
        "CUST-001": int(sorted(df.columns) != sorted(COLUMNS)),
        "CUST-002": int(df["customer_id"].isna().sum()),
        "CUST-003": int(ids.duplicated(keep=False).sum()),
        "CUST-004": _regex_bad(df["customer_id"], r"^C[0-9]{7}$"),
        "CUST-006": int(df["phone"].isna().sum()),
        "CUST-007": int(df["email"].isna().sum()),
        "CUST-008": _regex_bad(df["email"], EMAIL),
        "CUST-010": _regex_bad(df["phone"], PHONE),
        "CUST-011": int((~checks.valid_cn_resident_id(df["id_number"].dropna())).sum()),
        "CUST-012": int((~checks.valid_bank_card(df["bank_card"].dropna())).sum()),
        "CUST-013": int((~df["gender"].dropna().isin(["男", "女", "M", "F"])).sum()),
        "CUST-014": _regex_bad(df["birth_date"], r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        "CUST-015": int((~checks.not_in_future(df["birth_date"].dropna())).sum()),
        "CUST-016": _pair_bad(df, "id_number", "birth_date", checks.id_matches_birth_date),
        "CUST-017": _pair_bad(df, "id_number", "gender", checks.id_matches_gender),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    csv_path = generated(args.customers, "csv")["customers"]
    with tempfile.TemporaryDirectory() as tmp:
        suite_path = bench_suite(Path(tmp))
        frame = read_frame(csv_path)
        print(f"customers: {len(frame):,} rows x {frame.shape[1]} columns; 15 expectations")

        mine, theirs = gx_counts(frame, suite_path), pandas_checks(frame)
        agree = mine == theirs
        print(f"unexpected counts agree with pandas: {agree}")
        if not agree:
            diff = {k: (mine.get(k), theirs.get(k)) for k in theirs if mine.get(k) != theirs[k]}
            print(f"  differing rules (govkit, pandas): {diff}")

        t_gx = median_time(lambda: gx_counts(frame, suite_path), repeat=args.repeat)
        t_pd = median_time(lambda: pandas_checks(frame), repeat=args.repeat)
        print(ratio_line("engine only: GX suite vs pandas (frame in memory)", t_gx, t_pd, "<= 2"))

        from govkit.quality import validate_dataset

        def end_to_end_gx() -> object:
            return validate_dataset(open_dataset(str(csv_path)), suite_path)

        t_gx2 = median_time(end_to_end_gx, repeat=args.repeat)
        t_pd2 = median_time(lambda: pandas_checks(read_frame(csv_path)), repeat=args.repeat)
        print(ratio_line("read CSV + validate vs read CSV + pandas", t_gx2, t_pd2, "<= 2"))

        wall_gx, rss_gx = _child(CHILD_GX, str(csv_path), str(suite_path))
        wall_pd, rss_pd = _child(CHILD_PANDAS, str(csv_path))
        print(ratio_line("fresh process (import GX + read + validate)", wall_gx, wall_pd))
        print(f"peak RSS: govkit validate {rss_gx:,.0f} MiB, pandas reference {rss_pd:,.0f} MiB")

        phones = frame[["name", "phone"]].dropna()
        start = time.perf_counter()
        checks.valid_cn_phone(phones["phone"], True)
        checks.unique_after_normalization(phones, {"phone": "PHONE_NUMBER"})
        checks.forget()
        print(
            f"left out, phone rules CUST-009 + CUST-018 (pandas, phonenumbers-bound): "
            f"{time.perf_counter() - start:.3f} s"
        )
        start = time.perf_counter()
        full = validate_dataset(open_dataset(str(csv_path)), SUITE)
        print(
            f"whole default customers suite ({full.statistics.evaluated_expectations} rules), "
            f"read + validate, one run: {time.perf_counter() - start:.3f} s"
        )


if __name__ == "__main__":
    main()
