"""AES-SIV (RFC 5297) over a whole column at once: the library's AES in bulk, no per-value call.

``tokenize`` used to call ``cryptography``'s ``AESSIV.encrypt(value, None)`` once per value,
a cost that is mostly the call and context set-up rather than AES. SIV is S2V
(AES-CMAC) followed by AES-CTR, and for values of one length every step is the same
sequence of 16-byte blocks: so the values are grouped by length, laid out as the rows of
a byte matrix, and every AES block of every row goes through one bulk ECB call of the
same library (OpenSSL, AES-NI) per step. Only XORs and the counter arithmetic are done
here, in numpy.

The result is byte for byte ``AESSIV(key).encrypt(value, None)``: the tests compare it
with the library on RFC 5297's vectors and on random values of every length, and every
call compares the first value of each length group with the library again and raises
:class:`~govkit.errors.ProtectionError` if they differ, so a fault here fails closed
instead of publishing tokens nobody can reveal. Decryption (reveal) stays the library's.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from cryptography.hazmat.primitives.ciphers import Cipher, CipherContext, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from govkit.errors import ProtectionError

Bytes2D = npt.NDArray[np.uint8]
_BLOCK = 16
_NO_BYTES = np.zeros(0, dtype=np.uint8)


def _dbl(block: bytes) -> bytes:
    """RFC 5297's doubling in GF(2^128): shift left one bit, reduce by x^128 + x^7 + x^2 + x + 1."""
    value = int.from_bytes(block, "big") << 1
    if value >> 128:
        value = (value & ((1 << 128) - 1)) ^ 0x87
    return value.to_bytes(_BLOCK, "big")


def _row(block: bytes) -> Bytes2D:
    return np.frombuffer(block, dtype=np.uint8).reshape(1, _BLOCK)


def _padded(tail: Bytes2D) -> Bytes2D:
    """``tail || 0x80 || 0…0`` to one block per row (``tail`` is shorter than a block)."""
    out = np.zeros((tail.shape[0], _BLOCK), dtype=np.uint8)
    out[:, : tail.shape[1]] = tail
    out[:, tail.shape[1]] = 0x80
    return out


def _words(data: Bytes2D) -> npt.NDArray[np.uint64]:
    """Every 8-byte window of ``data`` (zero-padded at the end) as one ``uint64``, unaligned."""
    padded = np.zeros(len(data) + 8, dtype=np.uint8)
    padded[: len(data)] = data
    return np.ndarray((len(data) + 1,), dtype=np.uint64, buffer=padded, strides=(1,))


def _gather(words: npt.NDArray[np.uint64], starts: npt.NDArray[np.int64], size: int) -> Bytes2D:
    """The ``size`` bytes from each start, as rows: eight bytes per gather, not one."""
    count = -(-size // 8)
    index = starts[:, None] + np.arange(0, 8 * count, 8, dtype=np.int64)
    rows: Bytes2D = words[index].view(np.uint8).reshape(len(starts), 8 * count)
    return rows[:, :size]


def _block_function(key: bytes) -> CipherContext:
    """The AES block function E_K over independent 16-byte blocks.

    ECB here is only the batching: CMAC chains the blocks and CTR feeds it counters, above.
    """
    return Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # noqa: S305 - see docstring


class SivEncryptor:
    """``AESSIV(key).encrypt(v, None)`` for many values ``v`` at once.

    Args:
        key: 32, 48 or 64 bytes: the first half keys S2V (CMAC), the second the CTR mode.
    """

    def __init__(self, key: bytes) -> None:
        self._check = AESSIV(key).encrypt  # also rejects a key of the wrong length
        half = len(key) // 2
        self._mac = _block_function(key[:half])
        self._ctr = _block_function(key[half:])
        k1 = _dbl(self._mac.update(bytes(_BLOCK)))  # CMAC subkeys (RFC 4493)
        k2 = _dbl(k1)
        self._k1, self._k2 = _row(k1), _row(k2)
        d = self._mac.update(k1)  # S2V's D = CMAC(K, <zero>): one complete block
        self._d = _row(d)
        self._dbl_d = _row(_dbl(d))

    @staticmethod
    def _aes(encryptor: CipherContext, blocks: Bytes2D) -> Bytes2D:
        out = encryptor.update(np.ascontiguousarray(blocks).tobytes())
        return np.frombuffer(out, dtype=np.uint8).reshape(-1, _BLOCK)

    def _synthetic_iv(self, plain: Bytes2D) -> Bytes2D:
        """S2V over one string, the value (no associated data), for rows of one length."""
        rows, size = plain.shape
        if size < _BLOCK:  # T = dbl(D) xor pad(P); V = CMAC(T), T one complete block
            return self._aes(self._mac, _padded(plain) ^ self._dbl_d ^ self._k1)
        message = plain.copy()
        message[:, size - _BLOCK :] ^= self._d  # T = P xorend D
        blocks = -(-size // _BLOCK)
        state = np.zeros((rows, _BLOCK), dtype=np.uint8)
        for i in range(blocks - 1):
            state = self._aes(self._mac, state ^ message[:, i * _BLOCK : (i + 1) * _BLOCK])
        tail = message[:, (blocks - 1) * _BLOCK :]
        last = tail ^ self._k1 if tail.shape[1] == _BLOCK else _padded(tail) ^ self._k2
        return self._aes(self._mac, state ^ last)

    def _keystream(self, iv: Bytes2D, size: int) -> Bytes2D:
        """AES-CTR from Q = V with bits 63 and 31 cleared, ``size`` bytes per row."""
        rows = iv.shape[0]
        blocks = -(-size // _BLOCK)
        counter = iv.copy()
        counter[:, 8] &= 0x7F
        counter[:, 12] &= 0x7F
        low = counter[:, 12:].copy().view(">u4").reshape(rows, 1).astype(np.uint64)
        steps = np.arange(blocks, dtype=np.uint64).reshape(1, blocks)
        # bit 31 is clear, so adding fewer than 2^31 never carries out of the low word
        lows = (low + steps).astype(">u4")
        counters = np.repeat(counter[:, None, :], blocks, axis=1)
        counters[:, :, 12:] = lows.view(np.uint8).reshape(rows, blocks, 4)
        stream = self._aes(self._ctr, counters.reshape(-1, _BLOCK))
        return stream.reshape(rows, blocks * _BLOCK)[:, :size]

    def encrypt_rows(self, plain: Bytes2D) -> Bytes2D:
        """``V || C`` per row of ``plain`` (rows of one length, at least one byte)."""
        iv = self._synthetic_iv(plain)
        cipher = plain ^ self._keystream(iv, plain.shape[1])
        out = np.concatenate([iv, cipher], axis=1)
        if out[0].tobytes() != self._check(plain[0].tobytes(), None):
            raise ProtectionError(
                "tokenize: the bulk AES-SIV disagrees with the library; nothing was written"
            )
        return out

    def encrypt_array(
        self, values: pa.Array
    ) -> tuple[Bytes2D, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Every value of a ``binary`` array without nulls or empty values, grouped by length.

        Returns:
            the payloads end to end (``V || C``, 16 bytes longer than each value), in the
            order ``order`` of the rows; each payload's length in that order; ``order``.
        """
        n = len(values)
        offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[
            values.offset : values.offset + n + 1
        ]
        buffer = values.buffers()[2]  # None when Arrow stored no bytes at all
        data = np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else _NO_BYTES
        lengths = np.diff(offsets).astype(np.int64)
        order = np.argsort(lengths, kind="stable")
        sorted_lengths = lengths[order]
        starts = offsets[:-1].astype(np.int64)[order]
        runs = np.flatnonzero(np.diff(sorted_lengths, prepend=-1, append=-1))
        if len(runs) == 2 and n and (np.diff(offsets) == lengths[0]).all():
            size = int(lengths[0])  # one length, laid end to end: the rows are the buffer
            first = int(offsets[0])
            plain = data[first : first + n * size].reshape(n, size)
            return self.encrypt_rows(plain).reshape(-1), sorted_lengths + _BLOCK, order
        words = _words(data)
        pieces = []
        for first, end in zip(runs[:-1].tolist(), runs[1:].tolist(), strict=True):
            size = int(sorted_lengths[first])
            plain = _gather(words, starts[first:end], size)
            pieces.append(self.encrypt_rows(plain).reshape(-1))
        blob = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.uint8)
        return blob, sorted_lengths + _BLOCK, order
