"""Protect each distinct value once per run: a bounded, run-wide memo of deterministic transforms.

A run protects the same source column for several outputs (customers for analytics,
marketing and service) and the same identifier in several tables (a customer id in
every table that carries it). A deterministic transform gives the same output for the
same normalised input, so the result is kept, keyed by the transform's identity — its
name, the key id *and a fingerprint of the key material* (two keyrings that happen to
share a key id never share entries), its parameters — and the normalised value.

Memory is bounded: entries are counted at their (approximate) size and once the budget
is spent the cache stops growing and every further miss is simply recomputed, which
gives the same values. Non-deterministic transforms (``encrypt``) never use it: equal
plaintexts must keep getting different ciphertexts.

A run opens :func:`run_scope` around its protect stage: every
:class:`~govkit.protect.apply.Protector` built inside shares that cache, which is
emptied when the scope closes, so no value outlives the run it protects. The run
names the columns worth keeping (:func:`reused_columns`: planned alike in two or more
outputs); a column no other output protects the same way is computed once per run
anyway, and storing its values would only spend the budget that the reused ones need
(at 1M customers, the unique ids of the first output filled it). Outside a
scope, Protectors over the same key provider object share one (it lives as long as the
provider), and without a provider each Protector keeps its own.
"""

from __future__ import annotations

import hashlib
import json
import sys
import weakref
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from govkit.protect.plan import ProtectionPlan

K = TypeVar("K", str, bytes)
V = TypeVar("V")

DEFAULT_BUDGET = 256 * 2**20
"""Bytes the cache may hold per run (approximate: payload plus per-entry overhead)."""
COSTLY_BUDGET = 128 * 2**20
"""Bytes reserved for costly results (free-text redaction, ~30 µs a text against ~1.5 µs a
token), which cheap results cannot crowd out; scaled with a cache's share of the budget."""
ENTRY_OVERHEAD = 120
"""Approximate bytes a dict entry costs beyond its key and value payloads."""

_MISSING = object()


def key_fingerprint(material: bytes) -> str:
    """A short one-way fingerprint of key material, to tell keys with equal ids apart."""
    return hashlib.blake2b(material, digest_size=12, person=b"govkit-cache").hexdigest()


def _size(value: Any) -> int:
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, tuple):
        return sum(_size(v) for v in value) + 16
    return 16


class RunCache:
    """Results of deterministic transforms, per transform identity and input value.

    Args:
        budget: bytes the cache may hold; 0 disables storing (every lookup misses).
        only: the columns whose transforms use the cache (None: every column).

    Costly results (``resolve(..., costly=True)``) are kept apart, in :data:`COSTLY_BUDGET`
    scaled by ``budget`` / :data:`DEFAULT_BUDGET`.
    """

    def __init__(self, budget: int = DEFAULT_BUDGET, only: frozenset[str] | None = None) -> None:
        self.budget = budget
        self.only = only
        self.costly_budget = COSTLY_BUDGET * budget // DEFAULT_BUDGET
        self._costly: RunCache | None = None
        self.used = 0
        self.hits = 0
        self.misses = 0
        self.full = False
        self._tables: dict[Hashable, dict[Any, Any]] = {}

    def wants(self, column: str) -> bool:
        """Whether a transform of ``column`` should use this cache."""
        return self.only is None or column in self.only

    def resolve(
        self,
        ident: Hashable,
        items: Sequence[K],
        compute: Callable[[list[K]], list[V]],
        *,
        costly: bool = False,
    ) -> list[V]:
        """The result for every item: cached ones looked up, the rest computed in one call.

        ``compute`` gets the missing items in order and returns one result per item;
        results are stored while the budget lasts (``costly``: the reserved budget).
        """
        if costly:
            if self._costly is None:
                self._costly = RunCache(self.costly_budget, self.only)
            hits, misses = self._costly.hits, self._costly.misses
            kept = self._costly.resolve(ident, items, compute)
            self.hits += self._costly.hits - hits
            self.misses += self._costly.misses - misses
            return kept
        table = self._tables.setdefault(ident, {})
        if not table:  # nothing to look up: compute all, keep what fits
            fresh = compute(list(items))
            self.misses += len(fresh)
            if not self.full:
                self._store(table, list(items), fresh)
            return fresh
        get = table.get
        out: list[Any] = [get(k, _MISSING) for k in items]
        missing = [i for i, v in enumerate(out) if v is _MISSING]
        self.hits += len(out) - len(missing)
        self.misses += len(missing)
        if not missing:
            return out
        computed = compute([items[i] for i in missing])
        for i, value in zip(missing, computed, strict=True):
            out[i] = value
        if not self.full:
            self._store(table, [items[i] for i in missing], computed)
        return out

    def _store(self, table: dict[Any, Any], keys: list[Any], values: list[Any]) -> None:
        """Keep what fits in the budget (in bulk: per-entry Python here costs like crypto)."""
        first = values[0] if values else None
        if isinstance(first, str | bytes):
            sizes = sum(map(len, keys)) + sum(map(len, values))
        else:
            sizes = sum(map(len, keys)) + sum(map(_size, values))
        cost = sizes + ENTRY_OVERHEAD * len(keys)
        if self.used + cost <= self.budget:
            table.update(zip(keys, values, strict=True))
            self.used += cost
            return
        room = max(0, self.budget - self.used)
        take = int(len(keys) * room / cost) if cost else 0  # the share that fits, on average
        table.update(zip(keys[:take], values[:take], strict=True))
        self.used += int(cost * take / len(keys)) if keys else 0
        self.full = True

    def clear(self) -> None:
        """Drop every entry (the budget is free again)."""
        self._tables.clear()
        self._costly = None
        self.used = 0
        self.full = False


_BY_PROVIDER: weakref.WeakKeyDictionary[Any, RunCache] = weakref.WeakKeyDictionary()
_SCOPE: ContextVar[RunCache | None] = ContextVar("govkit_run_cache", default=None)


def reused_columns(plans: Iterable[ProtectionPlan]) -> frozenset[str]:
    """Columns planned with the same cached transform and parameters in two or more ``plans``.

    A source protected for several roles, or a join key such as ``customer_id`` in
    several tables: their values recur across outputs, so the run keeps them. Only
    transforms that use the cache count (``uses_run_cache``: ``hash``, ``text``);
    ``tokenize`` computes in bulk for less than a lookup costs.
    """
    from govkit.protect.registry import transform_class

    seen = Counter(
        (c.column, c.transform, json.dumps(c.params, sort_keys=True, default=str))
        for plan in plans
        for c in plan.columns
        if c.transform != "drop" and transform_class(c.transform).uses_run_cache
    )
    return frozenset(column for (column, _, _), count in seen.items() if count > 1)


@contextmanager
def run_scope(
    budget: int = DEFAULT_BUDGET, only: frozenset[str] | None = None
) -> Iterator[RunCache]:
    """One cache for every Protector built inside (a run's outputs); emptied on exit.

    ``only``: the columns that use it (:func:`reused_columns`); None for every column.
    """
    cache = RunCache(budget, only)
    token = _SCOPE.set(cache)
    try:
        yield cache
    finally:
        _SCOPE.reset(token)
        cache.clear()
        forget_text_fragments()


def forget_text_fragments() -> None:
    """Empty the span detector's caches of text fragments, if it was loaded in this process."""
    names = sys.modules.get("govkit.detect.names")
    if names is not None:
        names.forget_name_windows()


def open_process_scope(budget: int = DEFAULT_BUDGET) -> RunCache:
    """One cache for every Protector this process builds from now on (a pool worker's).

    A worker lives as long as the run that started it, so its cache ends with the run.
    """
    cache = RunCache(budget)
    _SCOPE.set(cache)
    return cache


def cache_for(keys: object | None, budget: int = DEFAULT_BUDGET) -> RunCache:
    """The cache a Protector uses: the open run scope's, else one per key provider object."""
    scoped = _SCOPE.get()
    if scoped is not None:
        return scoped
    if keys is None:
        return RunCache(budget)
    try:
        found = _BY_PROVIDER.get(keys)
        if found is None:
            found = _BY_PROVIDER[keys] = RunCache(budget)
    except TypeError:  # a provider that cannot be weakly referenced: no sharing
        return RunCache(budget)
    return found
