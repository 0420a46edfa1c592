"""USCC vs card vs ID: check structure and header decide; no card inside an IBAN."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govkit.datasets import open_dataset
from govkit.detect.scan import scan_dataset
from govkit.detect.spans import find_spans
from govkit.detect.validators import is_cn_uscc, luhn_check_digit

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _uscc_check(body: str) -> str:
    total = sum(_ALPHABET.index(c) * w for c, w in zip(body, _WEIGHTS, strict=True))
    return _ALPHABET[(31 - total % 31) % 31]


def _digit_usccs(n: int) -> list[str]:
    """All-digit USCCs (GB 32100 valid) that are not valid cards."""
    rng, out = random.Random(3), list[str]()
    while len(out) < n:
        body = "91" + "".join(rng.choice("0123456789") for _ in range(15))
        code = body + _uscc_check(body)
        if code.isdigit() and luhn_check_digit(code[:-1]) != code[-1]:
            out.append(code)
    return out


def _card_usccs(n: int) -> list[str]:
    """18-digit valid cards that also pass the USCC check (1 in 31 do)."""
    rng, out = random.Random(5), list[str]()
    while len(out) < n:
        body = "62" + "".join(rng.choice("0123456789") for _ in range(15))
        card = body + luhn_check_digit(body)
        if is_cn_uscc(card):
            out.append(card)
    return out


@pytest.mark.parametrize(
    ("header", "values", "entity"),
    [
        ("统一社会信用代码", _digit_usccs(30), "CN_USCC"),  # all digits, still a USCC
        ("uscc", _digit_usccs(30), "CN_USCC"),
        ("bank_card", _card_usccs(30), "CREDIT_CARD"),
        ("col_7", _card_usccs(30), "CREDIT_CARD"),  # Luhn + card shape: not a USCC
        ("统一社会信用代码", _card_usccs(30), "CN_USCC"),  # valid as both: the header decides
        ("uscc", _card_usccs(30), "CN_USCC"),
    ],
)
def test_column(tmp_path: Path, header: str, values: list[str], entity: str) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({header: values}), path)
    column = scan_dataset(open_dataset(str(path))).columns[0]
    assert column.entity == entity
    assert [e.type for e in column.entities] == [entity]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"卡号{_card_usccs(1)[0]}", "CREDIT_CARD"),
        ("信用代码91350100M000100Y43", "CN_USCC"),
        ("IBAN DE89 3704 0044 0532 0130 00", "IBAN_CODE"),  # no card or phone inside
        ("NL91ABNA0417164300", "IBAN_CODE"),
        ("身份证110101199003078531", "CN_RESIDENT_ID"),  # no phone inside the ID
    ],
)
def test_text(text: str, expected: str) -> None:
    assert [s.entity for s in find_spans(text)] == [expected]
