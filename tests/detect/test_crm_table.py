"""A bilingual CRM table this suite generates: every column right, nothing raw after protect."""

from __future__ import annotations

import base64
import csv
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from govkit.datasets import open_dataset
from govkit.detect.scan import scan_dataset
from govkit.normalize import is_phone
from tests.conftest import CliResult

ROOT = Path(__file__).resolve().parents[2]
EN_FIRST = ["James", "Mary", "Robert", "Linda", "Michael", "Susan", "David", "Karen", "Daniel"]
EN_LAST = ["Smith", "Johnson", "Garcia", "Miller", "Davis", "Wilson", "Anderson", "Taylor"]
ZH_NAMES = ["张伟", "李娜", "王芳", "刘洋", "陈静", "欧阳娜娜", "赵敏", "孙丽"]


def _us_phone(rng: random.Random) -> str:
    while True:
        area, exchange = rng.choice([212, 646, 415, 312, 617, 206]), rng.randint(201, 989)
        number = f"({area}) {exchange}-{rng.randint(1000, 9999)}"
        if is_phone(number, ["US"]):
            return number


def _cn_phone(rng: random.Random) -> str:
    digits = f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
    style = rng.randrange(3)
    return (
        digits
        if style == 0
        else f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
        if style == 1
        else f"+86 {digits}"
    )


def _rows(n: int) -> tuple[list[dict[str, str]], set[str]]:
    rng = random.Random(7)
    rows, secrets = [], set()
    for i in range(n):
        en = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
        zh = rng.choice(ZH_NAMES)
        us, cn = _us_phone(rng), _cn_phone(rng)
        email = f"user{i}@example.com"
        note = rng.choice([
            f"Customer {en} asked for a refund, call back on {us}.",
            f"客户{zh}来电，联系电话{cn}，请尽快处理。",
            f"Please ask {en} to confirm the order; mobile {cn}.",
            f"已联系销售{zh}，发票已寄出。",
        ])  # fmt: skip
        rows.append({
            "customer_id": f"C{100000 + i}", "name": en if i % 2 else zh, "phone_us": us,
            "phone": cn, "email": email, "note": note, "amount": f"{rng.randint(1, 9999)}.00",
            "order_no": f"SO{rng.randint(10**9, 10**10 - 1)}",
        })  # fmt: skip
        secrets |= {en, zh, us, cn, email}
    return rows, secrets


@pytest.fixture(scope="module")
def crm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    rows, secrets = _rows(300)
    path = tmp_path_factory.mktemp("crm") / "crm.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path, secrets


EXPECTED = {
    "customer_id": (None, "structured"), "name": ("PERSON", "structured"),
    "phone_us": ("PHONE_NUMBER", "structured"), "phone": ("PHONE_NUMBER", "structured"),
    "email": ("EMAIL_ADDRESS", "structured"), "note": (None, "free_text"),
    "amount": (None, "structured"), "order_no": (None, "structured"),
}  # fmt: skip


def test_every_column_right(crm: tuple[Path, set[str]]) -> None:
    scan = scan_dataset(open_dataset(str(crm[0])))
    got = {c.name: (c.entity if c.kind != "free_text" else None, c.kind) for c in scan.columns}
    assert got == EXPECTED
    note = next(c for c in scan.columns if c.name == "note")
    assert {e.type for e in note.entities} >= {"PERSON", "PHONE_NUMBER"}


def test_protect_leaves_nothing_raw(
    crm: tuple[Path, set[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., CliResult],
) -> None:
    from govkit.protect.keys import LocalKeyring

    key = os.urandom(32)
    LocalKeyring.create(tmp_path / "keyring.json", key)
    monkeypatch.setenv("GOVKIT_MASTER_KEY", base64.b64encode(key).decode())
    monkeypatch.setenv("GOVKIT_KEYRING", str(tmp_path / "keyring.json"))
    monkeypatch.setenv("GOVKIT_AUDIT_URL", f"sqlite:///{tmp_path}/audit.db")
    monkeypatch.setenv("GOVKIT_POLICY_DIR", str(ROOT / "policies"))
    monkeypatch.delenv("GOVKIT_MASTER_KEY_FILE", raising=False)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "safe.csv"
    result = cli("protect", str(crm[0]), "-o", str(out))
    assert result.code == 0, result.err
    published = out.read_text(encoding="utf-8")
    raw = sorted(s for s in crm[1] if s in published)
    assert raw == [], f"{len(raw)} raw values published"
    assert published.count("\n") > 300
