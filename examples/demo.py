"""The govkit demo: generate sample CRM data, then run the governed steps that exist.

Run with ``make demo`` (or ``.venv/bin/python examples/demo.py``). Data goes to
``examples/out/`` (git-ignored) and is generated only when missing. Today the demo
opens every table through the datasets layer and prints its shape; each further
stage (scan → protect → validate, audited) is one more step in ``main()``.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``examples`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examples.generate import EXPECTED, TABLES, generate, write  # noqa: E402
from govkit.datasets import open_dataset  # noqa: E402
from govkit.datasets.info import DatasetInfo, describe  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
DEMO_CUSTOMERS = 2_000
SEED = 42


def ensure_data(out: Path = OUT) -> dict[str, Path]:
    """Generate the sample tables into ``out/data`` unless they are already there."""
    data = out / "data"
    paths = {t: data / f"{t}.csv" for t in TABLES}
    if not all(p.exists() for p in paths.values()):
        print(f"generating {DEMO_CUSTOMERS:,} customers (seed {SEED}) into {data}")
        write(generate(DEMO_CUSTOMERS, SEED), data, "csv")
    return paths


def summary(info: DatasetInfo, table: str) -> str:
    """One line per table: rows, columns, the personal-data columns it holds, blanks."""
    personal = [c for c, entity in EXPECTED[table].items() if entity]
    blanks = ", ".join(f"{c.name} {c.nulls}" for c in info.columns if c.nulls) or "none"
    return (
        f"{table:<13} {info.rows:>6,} rows  {len(info.columns):>2} columns  "
        f"personal: {', '.join(personal) or '-'}  |  blanks: {blanks}"
    )


def main(out: Path = OUT) -> int:
    """Run the demo on the data in ``out`` (generated when missing); return the exit code."""
    paths = ensure_data(out)
    print("\n== datasets ==")
    for table, path in paths.items():
        info = describe(open_dataset(str(path)))
        print(summary(info, table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
