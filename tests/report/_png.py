"""A tiny PNG reader (8-bit greyscale/RGB/RGBA, not interlaced) for screenshot checks.

Pillow is not a dependency; Chromium's screenshots are plain 8-bit RGB(A) PNGs.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(kind: int, row: np.ndarray, prev: np.ndarray, bpp: int) -> np.ndarray:
    if kind == 0:
        return row
    if kind == 2:
        summed: np.ndarray = (row.astype(np.uint16) + prev).astype(np.uint8)
        return summed
    out = row.astype(np.int64)
    if kind == 1:  # Sub: a running sum per channel
        for ch in range(bpp):
            out[ch::bpp] = np.cumsum(out[ch::bpp]) % 256
        return out.astype(np.uint8)
    prev_i = prev.astype(np.int64)
    for x in range(len(out)):
        left = int(out[x - bpp]) if x >= bpp else 0
        up = int(prev_i[x])
        if kind == 3:
            out[x] = (out[x] + (left + up) // 2) % 256
        else:
            upleft = int(prev_i[x - bpp]) if x >= bpp else 0
            out[x] = (out[x] + _paeth(left, up, upleft)) % 256
    return out.astype(np.uint8)


def read_png(data: bytes) -> np.ndarray:
    """Decode a PNG into an array of shape (height, width, channels)."""
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG file")
    pos, idat = len(SIGNATURE), bytearray()
    width = height = depth = colour = interlace = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    if depth != 8 or colour not in CHANNELS or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour})")
    bpp = CHANNELS[colour]
    raw = np.frombuffer(zlib.decompress(bytes(idat)), dtype=np.uint8)
    stride = width * bpp
    rows = raw.reshape(height, stride + 1)
    image = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        prev = image[y] = _unfilter(int(rows[y, 0]), rows[y, 1:], prev, bpp)
    return image.reshape(height, width, bpp)
