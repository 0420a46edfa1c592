"""The whole-file UTF-8 check agrees with Python's strict codec, across its block boundaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.datasets import open_dataset
from govkit.datasets.encoding import _UTF8_BLOCK, is_utf8
from govkit.errors import DatasetError


def _straddling(char: str, shift: int, tail: bytes = b"") -> bytes:
    """ASCII, then ``char`` repeated past the first block boundary (cut at ``shift``)."""
    encoded = char.encode("utf-8")
    count = _UTF8_BLOCK // len(encoded) + 4
    return b"x" * shift + encoded * count + tail


CASES = [
    *[(_straddling(c, s), f"{c!r}-shift{s}") for c in ("é", "中", "😀") for s in range(4)],
    # A character cut short right at the block boundary.
    (b"x" * (_UTF8_BLOCK - 1) + "中".encode()[:2] + b"abc", "truncated-at-boundary"),
    # A lone continuation byte as the first byte of the second block.
    (b"x" * _UTF8_BLOCK + b"\x80abc", "continuation-after-boundary"),
    (_straddling("中", 1, "中".encode()[:2]), "truncated-at-end"),
    (_straddling("中", 2, b"\xed\xa0\x80"), "surrogate"),
    (_straddling("é", 0, b"\xc0\x80"), "overlong"),
    (_straddling("😀", 3, b"\xf4\x90\x80\x80"), "beyond-u10ffff"),
    (b"x" * (_UTF8_BLOCK - 2) + b"\x80\x80\x80\x80\x80abc", "continuations-across-boundary"),
    (b"\xff" + b"x" * 10, "invalid-first-byte"),
    (b"plain ascii\n", "small-ascii"),
]


@pytest.mark.parametrize(("raw", "label"), CASES, ids=[label for _, label in CASES])
def test_utf8_check_agrees_with_the_strict_codec(tmp_path: Path, raw: bytes, label: str) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(raw)
    try:
        raw.decode("utf-8", "strict")
        expected = True
    except UnicodeDecodeError:
        expected = False
    assert is_utf8(path) is expected, label


def test_a_file_rewritten_after_opening_is_checked_again_while_read(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("id,name\n1,张伟\n", encoding="utf-8")
    dataset = open_dataset(str(path))
    path.write_bytes("id,name\n1,张伟\n2,".encode() + "李娜".encode("gbk") + b"\n")
    with pytest.raises(DatasetError, match="undecodable bytes"):
        dataset.read_all()
