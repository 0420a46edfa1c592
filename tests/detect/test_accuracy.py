"""Accuracy suite: column-level precision and recall ≥ 0.95 per entity type.

Labelled data: hand-made tricky columns (misleading and empty headers, decoys:
18–19 digit serials failing the checks, timestamps, SKUs, amounts, customer
numbers), a GB18030 file, the examples generator's tables (committed copy and a
fresh seed in Parquet and JSON Lines) and a SQL table.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from govkit.datasets import open_dataset, write_dataset
from govkit.detect.scan import scan_dataset

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scan"
ROOT = FIXTURES.parents[2]
EXPECTED: dict[str, dict[str, str | None]] = json.loads(
    (FIXTURES / "expected.json").read_text(encoding="utf-8")
)


def _predicted(uri: str, *, full: bool, table: str | None = None) -> dict[str, str | None]:
    scan = scan_dataset(open_dataset(uri, table=table), full=full)
    return {c.name: "FREE_TEXT" if c.kind == "free_text" else c.entity for c in scan.columns}


@pytest.fixture(scope="module")
def labelled(
    tmp_path_factory: pytest.TempPathFactory,
) -> list[tuple[str, str | None, dict[str, str | None]]]:
    """(uri, table, expected labels) for every labelled dataset."""
    sys.path.insert(0, str(ROOT))
    from examples.generate import EXPECTED as GENERATED
    from examples.generate import generate, write

    out = tmp_path_factory.mktemp("scan-accuracy")
    cases: list[tuple[str, str | None, dict[str, str | None]]] = [
        (str(FIXTURES / f"{name}.csv"), None, cols) for name, cols in EXPECTED.items()
    ]
    tables = generate(400, seed=99)
    for fmt in ("parquet", "jsonl"):
        for table, path in write(tables, out / fmt, fmt).items():
            cases.append((str(path), None, GENERATED[table]))
    url = f"sqlite:///{out / 'crm.db'}"
    tricky = open_dataset(str(FIXTURES / "tricky.csv"))
    write_dataset(tricky.batches(), tricky.schema, url, table="tricky")
    cases.append((url, "tricky", EXPECTED["tricky"]))
    return cases


def _scores(pairs: list[tuple[str | None, str | None]]) -> dict[str, tuple[float, float]]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for expected, got in pairs:
        if expected == got and expected is not None:
            tp[expected] += 1
            continue
        if got is not None:
            fp[got] += 1
        if expected is not None:
            fn[expected] += 1
    types = set(tp) | set(fp) | set(fn)
    return {
        t: (tp[t] / ((tp[t] + fp[t]) or 1), tp[t] / ((tp[t] + fn[t]) or 1)) for t in sorted(types)
    }


@pytest.mark.parametrize("full", [False, True], ids=["sampled", "full"])
def test_column_precision_and_recall_per_entity(
    labelled: list[tuple[str, str | None, dict[str, str | None]]], full: bool
) -> None:
    pairs: list[tuple[str | None, str | None]] = []
    misses: list[str] = []
    for uri, table, expected in labelled:
        got = _predicted(uri, full=full, table=table)
        assert set(got) == set(expected), uri
        for column, label in expected.items():
            pairs.append((label, got[column]))
            if label != got[column]:
                misses.append(f"{Path(uri).name}:{column}: expected {label}, got {got[column]}")
    scores = _scores(pairs)
    low = {t: s for t, s in scores.items() if min(s) < 0.95}
    assert not low, (low, misses)
    every_entity = {"CN_RESIDENT_ID", "PHONE_NUMBER", "CREDIT_CARD", "PERSON", "FREE_TEXT"}
    assert every_entity <= set(scores)
