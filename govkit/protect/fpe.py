"""``fpe``: format-preserving encryption with FF1 (NIST SP 800-38G), via ``fastfpe``.

Digits stay digits and the length stays the same; characters outside the
alphabet (dashes, spaces) keep their place. FF3/FF3-1 are not offered: NIST's
SP 800-38G Rev. 1 draft 2 withdrew them. ``check_digit`` recomputes the last
character (resident-ID MOD 11-2 or Luhn) so the result still passes validators;
reveal recomputes it the same way, so an input whose check character was wrong
comes back with the right one. The key id is not in the value (that would break
the format): it is in the manifest, which reveal reads.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

import pyarrow as pa
from fastfpe import ff1
from pydantic import BaseModel, ConfigDict, Field

from govkit.errors import KeyMaterialError, ProtectionError
from govkit.protect import fpe_cnid as cnid
from govkit.protect.base import Transform, as_strings
from govkit.protect.checkdigits import luhn_check_digits, resident_id_check_chars
from govkit.protect.keys import DataKey, KeyProvider
from govkit.protect.normalize import normalized
from govkit.protect.registry import register

Cipher = Callable[[str, str, str, str], str]


class FpeParams(BaseModel):
    """Parameters of ``fpe``.

    Attributes:
        alphabet: characters that are encrypted (its length is the radix, 2–65536).
        check_digit: recompute the last character so validators still pass. For
            ``cn_resident_id`` the 6-digit region is kept and the birth date and
            sequence are encrypted together (cycle-walking FF1 over 1900-01-01 …
            2025-12-31 × 000–999), so the result is a valid ID with a real date.
        tweak: public domain separator (default: the entity name), so equal digits in
            different kinds of column encrypt differently.
        key_id: the key to use; set by the plan for reveal (default: the active key).
    """

    model_config = ConfigDict(extra="forbid")

    alphabet: str = Field(default="0123456789", min_length=2)
    check_digit: Literal["cn_resident_id", "luhn"] | None = None
    tweak: str | None = None
    key_id: str | None = None


def _split(value: str, alphabet: str) -> tuple[str, list[tuple[int, str]]]:
    """The alphabet characters of ``value`` and the others with their positions."""
    if not value.strip(alphabet):  # every character is in the alphabet
        return value, []
    inside = "".join(c for c in value if c in alphabet)
    return inside, [(i, c) for i, c in enumerate(value) if c not in alphabet]


def _join(inside: str, others: list[tuple[int, str]]) -> str:
    if not others:
        return inside
    chars = list(inside)
    for i, c in others:
        chars.insert(i, c)
    return "".join(chars)


@register
class Fpe(Transform):
    """FF1 over the normalised value, optionally recomputing the check character."""

    name = "fpe"
    Params = FpeParams
    key_purpose = "fpe"
    reversible = True

    def _tweak(self) -> str:
        params: FpeParams = self.params  # type: ignore[assignment]
        text = params.tweak if params.tweak is not None else (self.entity or "")
        return text.encode("utf-8").hex()

    def _run(self, cipher: Cipher, key: DataKey, items: list[str | None]) -> list[str | None]:
        params: FpeParams = self.params  # type: ignore[assignment]
        alphabet, check = params.alphabet, params.check_digit
        hex_key, tweak = key.material.hex(), self._tweak()
        shortest = math.ceil(math.log(1_000_000) / math.log(len(alphabet)))
        out: list[str | None] = []
        owed: list[int] = []  # rows whose check character is appended below, in one go
        short = 0
        for v in items:
            if not v:
                out.append(v)
                continue
            if check == "cn_resident_id" and len(v) == 18 and v[:17].isdigit():
                moved = cnid.crypt(cipher, hex_key, tweak, v[:17])
                if moved is None:
                    short += 1
                owed.append(len(out))
                out.append(moved)
                continue
            luhn = check == "luhn" and len(v) >= 7 and v.isdigit()
            body = v[:-1] if luhn else v
            inside, others = _split(body, alphabet)
            if len(inside) < shortest:
                short += 1
                out.append(None)
                continue
            if luhn:
                owed.append(len(out))
            out.append(_join(cipher(hex_key, tweak, alphabet, inside), others))
        if short:
            raise ProtectionError(
                f"column {self.column!r}: {short} values do not fit FF1 (too short, or a resident "
                "ID without a birth date in 1900-2025); use tokenize or mask instead"
            )
        if owed:
            bodies = [out[i] or "" for i in owed]
            chars = (
                resident_id_check_chars(bodies)
                if check == "cn_resident_id"
                else luhn_check_digits(bodies)
            )
            for i, char in zip(owed, chars, strict=True):
                out[i] = f"{out[i]}{char}"
        return out

    def apply(self, values: pa.Array) -> pa.Array:
        """Encrypt each value in place; nulls and empty strings pass through."""
        if self.key is None:
            raise AssertionError("internal invariant broken: self.key is not None")
        items = normalized(self.entity, as_strings(values))
        try:
            return pa.array(self._run(ff1.encrypt, self.key, items), pa.string())
        except ValueError as exc:
            raise ProtectionError(f"column {self.column!r}: FF1 rejected a value") from exc

    def reveal(self, values: pa.Array, keys: KeyProvider) -> pa.Array:
        """Decrypt with the key the manifest names (``params.key_id``)."""
        params: FpeParams = self.params  # type: ignore[assignment]
        if params.key_id is None:
            raise KeyMaterialError(f"column {self.column!r}: the manifest names no fpe key")
        key = keys.get(params.key_id)
        if key.purpose != "fpe":  # FF1 has no integrity check: a wrong key would reveal garbage
            raise KeyMaterialError(
                f"column {self.column!r}: key {key.id} is a {key.purpose} key, not fpe"
            )
        try:
            return pa.array(
                self._run(ff1.decrypt, key, as_strings(values).to_pylist()), pa.string()
            )
        except ValueError as exc:
            raise ProtectionError(f"column {self.column!r}: FF1 rejected a value") from exc
