"""``protect`` without ``--catalog`` classifies with the project's classification.yaml.

Regression: protect scanned with the built-in tiers, so a steward's override
(``CN_USCC: high``) was ignored and the column went out raw (fail open).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from govkit.detect.api import scan
from govkit.governor import Governor
from govkit.protect.api import protect
from govkit.settings import GovkitSettings

ROOT = Path(__file__).resolve().parents[2]
TRICKY = ROOT / "tests" / "fixtures" / "scan" / "tricky.csv"


def _codes(path: Path) -> Path:
    """A two-column CSV: an order id and the fixture's valid USCC credit codes."""
    with TRICKY.open(encoding="utf-8", newline="") as fh:
        rows = [(f"O{i:04d}", r["credit_code"]) for i, r in enumerate(csv.DictReader(fh))]
    assert len(rows) >= 20
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["order_id", "credit_code"])
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("uscc_tier", "scan_tier", "transform"),
    [("high", "high", "tokenize"), ("medium", "medium", "mask"), (None, "low", "keep")],
    ids=["override-high", "override-medium", "default-low"],
)
def test_protect_without_catalog_uses_classification_overrides(
    tmp_path: Path,
    env: dict[str, str],
    ring: object,
    uscc_tier: str | None,
    scan_tier: str,
    transform: str,
) -> None:
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    if uscc_tier is not None:
        file = policies / "classification.yaml"
        text = file.read_text(encoding="utf-8").replace("CN_USCC: low", f"CN_USCC: {uscc_tier}")
        assert f"CN_USCC: {uscc_tier}" in text
        file.write_text(text, encoding="utf-8")
    gov = Governor(GovkitSettings(policy_dir=policies))
    source = str(_codes(tmp_path / "orders.csv"))

    scanned = {c.name: c for c in scan(source, governor=gov).datasets[0].columns}
    assert scanned["credit_code"].entity == "CN_USCC"
    assert scanned["credit_code"].sensitivity == scan_tier

    result = protect(source, governor=gov)
    columns = {c.column: c for c in result.manifest.columns}
    assert columns["credit_code"].transform == transform
    raw = set(result.data.column("credit_code").to_pylist())
    codes = {r[1] for r in csv.reader(open(source, encoding="utf-8")) if r[0] != "order_id"}
    assert (raw == codes) is (transform == "keep")
