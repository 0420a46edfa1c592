"""Deciding a text file's encoding over the whole file, not a head sample.

Procedure (measured in research/scale_and_speed.md §7): a BOM decides; else
strict UTF-8 over the whole file; else strict GB18030 (GBK and GB2312 are
subsets) — but only when the decoded text holds Chinese characters, because a
short Latin-1 string can also decode as GB18030.

The UTF-8 check is Arrow's validator (the one its binary → string cast runs)
over 4 MiB blocks on a few threads; it releases the GIL and accepts exactly what
Python's strict UTF-8 codec accepts (surrogates, overlong forms and truncated
sequences are refused by both).
"""

from __future__ import annotations

import codecs
import io
import os
import re
import struct
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa

from govkit.errors import DatasetError

_BLOCK = 1 << 20
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_CJK_CHECKED = 20_000
_CJK = re.compile("[\u3400-\u9fff]")


def _common_hanzi_share(text: str, counts: list[int]) -> None:
    """Count CJK characters and those in GB2312 (the 6,763 common ones) into ``counts``.

    The regex scan runs at C speed; only the (at most 20,000) CJK characters
    found are checked one by one.
    """
    for ch in _CJK.findall(text, 0, len(text))[: _CJK_CHECKED - counts[0]]:
        counts[0] += 1
        try:
            ch.encode("gb2312")
            counts[1] += 1
        except UnicodeEncodeError:
            pass


def _decodes(path: Path, encoding: str, *, count_cjk: bool = False) -> tuple[bool, bool]:
    """Stream-decode the file strictly; return (decodes, looks_chinese).

    Looks Chinese (only computed with ``count_cjk``): it has CJK characters and
    at least 90 % of them are common (GB2312) ones. Latin-1 text misread as
    GB18030 yields rare characters.
    """
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    counts = [0, 0]
    with path.open("rb") as fh:
        try:
            while block := fh.read(_BLOCK):
                text = decoder.decode(block)
                if count_cjk and counts[0] < _CJK_CHECKED:
                    _common_hanzi_share(text, counts)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, False
    return True, counts[0] > 0 and counts[1] >= 0.9 * counts[0]


_UTF8_BLOCK = 4 << 20


def _utf8_blocks(fh: BinaryIO) -> Iterator[memoryview]:
    """The file in blocks, each cut before the first byte of a character.

    Cut there, a valid file gives valid blocks and an invalid one an invalid block.
    """
    while block := fh.read(_UTF8_BLOCK):
        end = len(block)
        if end == _UTF8_BLOCK:
            # The last byte that is not a continuation byte (10xxxxxx) starts a character
            # that may go on in the next block; four continuation bytes in a row are
            # invalid anyway, and the block is then checked whole.
            end = next((i for i in range(end - 1, end - 5, -1) if block[i] & 0xC0 != 0x80), end)
            fh.seek(end - len(block), io.SEEK_CUR)
        yield memoryview(block)[:end]


def _valid_utf8(block: memoryview) -> bool:
    offsets = pa.py_buffer(struct.pack("<qq", 0, len(block)))  # zero-copy
    binary = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(block)])
    try:
        binary.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def is_utf8(path: Path) -> bool:
    """The whole file is strict UTF-8 (blocks checked on up to 4 threads, a few in flight)."""
    workers = max(1, min(4, os.cpu_count() or 1))
    pending: deque[Future[bool]] = deque()
    with path.open("rb") as fh, ThreadPoolExecutor(workers) as pool:
        for block in _utf8_blocks(fh):
            pending.append(pool.submit(_valid_utf8, block))
            if len(pending) > workers and not pending.popleft().result():
                for future in pending:
                    future.cancel()
                return False
        return all(future.result() for future in pending)


def detect_encoding(path: Path) -> str:
    """Return the Python codec name for a text file.

    Raises:
        DatasetError: the file is binary, or neither UTF-8 nor Chinese GB18030.
    """
    with path.open("rb") as fh:
        head = fh.read(8192)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if b"\x00" in head:
        raise DatasetError(f"{path}: not a text file (binary content)")
    if is_utf8(path):
        return "utf-8"
    decodes, has_cjk = _decodes(path, "gb18030", count_cjk=True)
    if decodes and has_cjk:
        return "gb18030"
    raise DatasetError(
        f"{path}: cannot tell the text encoding (not UTF-8, not Chinese GB18030/GBK); "
        "pass --encoding"
    )


def check_encoding(path: Path, encoding: str) -> str:
    """Validate a user-given encoding name and that the whole file decodes with it."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError as exc:
        raise DatasetError(f"unknown encoding {encoding!r}") from exc
    if not (is_utf8(path) if name == "utf-8" else _decodes(path, name)[0]):
        raise DatasetError(f"{path}: undecodable bytes for encoding {encoding!r}")
    return name
