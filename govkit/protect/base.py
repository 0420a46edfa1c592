"""The transform base class: one small class per transform, parameters validated up front.

A transform turns one Arrow column into its protected form. Parameters are a
pydantic model with ``extra="forbid"``, checked when the plan is built, before
any data is read. Reversible transforms also implement :meth:`Transform.reveal`.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict

from govkit.errors import ProtectionError
from govkit.protect.cache import RunCache, key_fingerprint
from govkit.protect.keys import DataKey, KeyProvider, Purpose

TOKEN_VERSION = "gk1"  # noqa: S105 - a format tag, not a password
"""Prefix of every self-describing token/ciphertext: ``gk1.<key id>.<payload>``."""


class NoParams(BaseModel):
    """Parameters of a transform that takes none."""

    model_config = ConfigDict(extra="forbid")


class Transform(ABC):
    """Base of all transforms.

    Class attributes:
        name: registry name (``mask``, ``tokenize`` …).
        Params: the pydantic model of the transform's parameters.
        key_purpose: which data key the transform needs, or None.
        reversible: whether :meth:`reveal` recovers the value.
        deterministic: same input and key give the same output.
        uses_run_cache: looks results up in the run's cache (deterministic and costly
            enough per value that a lookup is cheaper than computing again).

    Args:
        params: validated parameters.
        column: the column name (for error messages; never a value).
        entity: the column's entity type, when known.
        key: the data key for new data, when ``key_purpose`` is set.
    """

    name: ClassVar[str]
    Params: ClassVar[type[BaseModel]] = NoParams
    key_purpose: ClassVar[Purpose | None] = None
    reversible: ClassVar[bool] = False
    deterministic: ClassVar[bool] = True
    uses_run_cache: ClassVar[bool] = False

    def __init__(
        self,
        params: BaseModel,
        *,
        column: str,
        entity: str | None = None,
        key: DataKey | None = None,
    ) -> None:
        self.params = params
        self.column = column
        self.entity = entity
        if key is not None and key.purpose != self.key_purpose:
            raise ProtectionError(f"column {column!r}: {self.name} needs a {self.key_purpose} key")
        self.key = key
        self.cache: RunCache | None = None
        """The run's cache of results (set by the Protector; deterministic transforms only)."""

    def cache_ident(self) -> Hashable:
        """What makes two instances give equal outputs for equal inputs: name, key, parameters."""
        key = (self.key.id, key_fingerprint(self.key.material)) if self.key else None
        return (self.name, key, json.dumps(self.describe(), sort_keys=True, default=str))

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the run cache: it holds values and stays in its process."""
        state = dict(self.__dict__)
        state["cache"] = None
        return state

    @property
    def key_id(self) -> str | None:
        """Id of the key new values are protected with (never the material)."""
        return self.key.id if self.key else None

    @abstractmethod
    def apply(self, values: pa.Array) -> pa.Array:
        """Protect one column of one batch; nulls stay null."""

    def reveal(self, values: pa.Array, keys: KeyProvider) -> pa.Array:
        """Recover the values (reversible transforms only).

        Raises:
            ProtectionError: the transform is one-way.
            KeyMaterialError: a key is missing or destroyed.
            DecryptionError: a value does not verify (wrong key or tampered).
        """
        raise ProtectionError(f"column {self.column!r}: {self.name} cannot be reversed")

    def describe(self) -> dict[str, Any]:
        """Parameters for the manifest (no key material, no values)."""
        return self.params.model_dump(mode="json", exclude_defaults=False)


def as_strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The column as one ``string`` array (numbers and dates in their text form)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_string(values.type):
        return values
    try:
        return values.cast(pa.string())
    except pa.ArrowException as exc:
        raise ProtectionError(f"column type {values.type} cannot be protected as text") from exc


SAMPLE = 2048
"""Rows looked at to decide whether a column repeats enough to dictionary-encode."""


def per_distinct(values: pa.Array, fn: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """``fn`` over the distinct values only, spread back over the rows (``fn`` is per value).

    Ids, regions and categories repeat: a column is dictionary-encoded and ``fn`` sees
    the dictionary, so each distinct value is transformed once per batch. A column whose
    first :data:`SAMPLE` values are (nearly) all distinct skips the encoding, which would
    cost more than it saves. Either way the result is the same. Nulls stay null.
    """
    if len(values) > SAMPLE and pc.count_distinct(values.slice(0, SAMPLE)).as_py() > 0.9 * SAMPLE:
        return fn(values)
    encoded = pc.dictionary_encode(values)
    if len(encoded.dictionary) == len(values):
        return fn(values)
    return fn(encoded.dictionary).take(encoded.indices)
