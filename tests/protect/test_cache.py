"""Each value protected once per run: the run cache and the dictionary path change no output."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import pickle
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from govkit.protect.apply import Protector
from govkit.protect.cache import (
    COSTLY_BUDGET,
    DEFAULT_BUDGET,
    RunCache,
    cache_for,
    reused_columns,
    run_scope,
)
from govkit.protect.keys import DataKey
from govkit.protect.plan import ColumnPlan, ProtectionPlan
from govkit.protect.registry import build
from govkit.protect.text import Text
from tests.protect.test_transforms import KEYS, PROVIDER, FixedKeys, make, run

PHONES = [
    "138-1234-5678",
    "+86 13812345678",
    "１３８１２３４５６７８",
    "13912345678",
    None,
    "",
    "n/a",
]
NORMAL = {"138-1234-5678": "13812345678", "+86 13812345678": "13812345678"}
NORMAL["１３８１２３４５６７８"] = "13812345678"  # canonical phone form, written out by hand
IDS = ["C001", "c001", "C002", "C001", None, "", "C003", "C002"]
TEXTS = [
    "请回电13812345678，谢谢",
    "no pii here",
    "请回电13812345678，谢谢",
    None,
    "",
    "邮箱 a@b.cn",
]


def _reference(name: str, entity: str | None, values: list[str | None]) -> list[str | None]:
    """The primitive applied row by row, written independently of govkit's code path."""
    key = KEYS[name]
    head = f"gk1.{key.id}.".encode()
    out: list[str | None] = []
    for v in values:
        if not v:
            out.append(v)
            continue
        plain = (NORMAL.get(v, v) if entity == "PHONE_NUMBER" else v).encode()
        if name == "tokenize":
            raw = AESSIV(key.material).encrypt(plain, None)
        else:
            raw = hmac.new(key.material, plain, hashlib.sha256).digest()
        out.append((head + base64.urlsafe_b64encode(raw)).decode())
    return out


@pytest.mark.parametrize(
    ("name", "entity", "values"),
    [
        ("tokenize", "PHONE_NUMBER", PHONES),
        ("hash", "PHONE_NUMBER", PHONES),
        ("tokenize", None, IDS),
        ("hash", None, IDS),
    ],
)
def test_dictionary_and_cache_give_the_row_by_row_values(
    name: str, entity: str | None, values: list[str | None]
) -> None:
    expected = _reference(name, entity, values)
    fresh = make(name, entity)
    assert run(fresh, values) == expected  # no cache
    assert fresh.uses_run_cache == (name == "hash")  # tokenize is computed in bulk instead
    if not fresh.uses_run_cache:
        return
    cached = make(name, entity)
    cached.cache = RunCache()
    assert run(cached, values) == expected  # first pass fills the cache
    assert cached.cache.misses > 0 and cached.cache.hits == 0
    assert run(cached, values) == expected  # second pass only hits
    assert cached.cache.hits > 0
    full = make(name, entity)
    full.cache = RunCache(budget=0)  # no room: every miss recomputed
    assert run(full, values) == expected and run(full, values) == expected
    assert full.cache.hits == 0 and full.cache.full


def test_equal_normalised_values_share_one_entry() -> None:
    t = make("hash", "PHONE_NUMBER")
    t.cache = RunCache()
    out = run(t, PHONES[:3])
    assert len(set(out)) == 1
    misses = t.cache.misses
    assert run(t, list(reversed(PHONES[:3]))) == out  # a later batch: any spelling hits
    assert t.cache.misses == misses and t.cache.hits == 3


def test_text_dictionary_and_cache_keep_values_and_span_counts() -> None:
    plain = make("text")
    expected = [plain._redact([v])[0][0] if v else v for v in TEXTS]  # type: ignore[attr-defined]
    assert expected[0] != TEXTS[0] and expected[1] == TEXTS[1]
    cached = make("text")
    cached.cache = RunCache()
    assert run(cached, TEXTS) == expected
    assert run(cached, TEXTS) == expected
    assert cached.cache.hits > 0
    assert isinstance(cached, Text) and isinstance(plain, Text)
    assert run(plain, TEXTS) == expected
    # spans count per row, not per distinct text: the repeated phone counts twice
    assert plain.spans_replaced == 3
    assert cached.spans_replaced == 6


def test_budget_stops_growth_but_not_answers() -> None:
    cache = RunCache(budget=300)  # room for two of the three entries
    calls: list[list[str]] = []

    def twice(items: list[str]) -> list[str]:
        calls.append(items)
        return [i * 2 for i in items]

    assert cache.resolve("t", ["a", "b", "c"], twice) == ["aa", "bb", "cc"]
    assert cache.full and cache.used <= 300
    assert cache.resolve("t", ["a", "b", "c"], twice) == ["aa", "bb", "cc"]
    assert calls[1] != [] and len(calls[1]) < 3  # some stored, the rest recomputed


@pytest.mark.parametrize(("same", "shared"), [(True, True), (False, False)])
def test_one_cache_per_key_provider(same: bool, shared: bool) -> None:
    first, second = FixedKeys(*KEYS.values()), FixedKeys(*KEYS.values())
    assert (cache_for(first) is cache_for(first if same else second)) is shared
    assert cache_for(None) is not cache_for(None)


def test_equal_key_ids_with_different_material_never_share() -> None:
    other = FixedKeys(DataKey(KEYS["tokenize"].id, "tokenize", os.urandom(64)))
    a = build("tokenize", {}, column="c", entity=None, keys=PROVIDER)  # type: ignore[arg-type]
    b = build("tokenize", {}, column="c", entity=None, keys=other)  # type: ignore[arg-type]
    assert a.key_id == b.key_id
    assert a.cache_ident() != b.cache_ident()
    cache = RunCache()
    a.cache = b.cache = cache
    assert run(a, ["x"]) != run(b, ["x"])


def test_encrypt_never_cached_and_equal_values_differ() -> None:
    plan = ProtectionPlan(
        columns=[
            ColumnPlan(column="a", transform="encrypt", rule="r"),
            ColumnPlan(column="b", transform="hash", rule="r"),
        ],
    )
    protector = Protector(plan, PROVIDER)  # type: ignore[arg-type]
    assert protector.transforms["a"].cache is None
    assert protector.transforms["b"].cache is protector.cache
    batch = pa.record_batch({"a": ["same", "same"], "b": ["same", "same"]})
    out = protector.protect(batch, plan.output_schema(batch.schema)).to_pydict()
    assert out["a"][0] != out["a"][1]
    assert out["b"][0] == out["b"][1]


def test_outputs_of_one_run_share_the_cache() -> None:
    plan = ProtectionPlan(columns=[ColumnPlan(column="a", transform="hash", rule="r")])
    keys = FixedKeys(*KEYS.values())
    batch = pa.record_batch({"a": ["v1", "v2", "v1"]})
    one, two = Protector(plan, keys), Protector(plan, keys)  # type: ignore[arg-type]
    assert one.cache is two.cache
    first = one.protect(batch, plan.output_schema(batch.schema))
    misses = one.cache.misses
    second = two.protect(batch, plan.output_schema(batch.schema))
    assert first.equals(second)
    assert one.cache.misses == misses and one.cache.hits >= 2


def test_a_run_scope_is_shared_across_providers_and_emptied_after() -> None:
    plan = ProtectionPlan(columns=[ColumnPlan(column="a", transform="hash", rule="r")])
    batch = pa.record_batch({"a": ["v1", "v2"]})
    with run_scope() as scope:
        one = Protector(plan, FixedKeys(*KEYS.values()))  # type: ignore[arg-type]
        two = Protector(plan, FixedKeys(*KEYS.values()))  # type: ignore[arg-type]
        assert one.cache is two.cache is scope
        one.protect(batch, plan.output_schema(batch.schema))
        assert scope.used > 0
    assert scope.used == 0 and not scope._tables
    after = Protector(plan, FixedKeys(*KEYS.values()))  # type: ignore[arg-type]
    assert after.cache is not scope


@pytest.mark.parametrize(
    ("label", "values"),
    [
        ("distinct: no dictionary", [f"C{i:07d}" for i in range(5000)] + ["C0000001", None, ""]),
        ("repeating: dictionary", [f"R{i % 7}" for i in range(5000)] + [None, ""]),
    ],
)
def test_long_columns_either_path_give_the_row_by_row_values(
    label: str, values: list[str | None]
) -> None:
    for name in ("tokenize", "hash"):
        t = make(name)
        t.cache = RunCache()
        assert run(t, values) == _reference(name, None, values), label


GATED = [
    "请回电13812345678，谢谢",
    "收到的商品有破损，要求退货退款。",
    "Dear John Smith, thanks for the call",
    "客户张伟反映快递太慢",
    "王女士来电",
    "email me at a.b@example.com",
    "hello world",
    "住在北京市朝阳区建国路88号",
    "",
    None,
]


def test_the_pre_filter_skips_only_texts_without_spans() -> None:
    gated = make("text")
    ungated = make("text")
    assert isinstance(ungated, Text)
    ungated._candidates = lambda texts: list(range(len(texts)))  # type: ignore[method-assign]
    expected = run(ungated, GATED)
    assert expected != GATED  # the table has texts with spans
    assert run(gated, GATED) == expected
    assert isinstance(gated, Text) and gated.spans_replaced == ungated.spans_replaced
    # a phone → scanned; no digit, no cue, no surname ("谢谢" would be: 谢 is a surname) → skipped
    assert gated._candidates(pa.array([GATED[0], "收到，已处理。", "物流太慢了"])) == [0]


def test_a_pickled_protector_carries_no_cached_value_and_works() -> None:
    plan = ProtectionPlan(
        columns=[
            ColumnPlan(column="a", transform="hash", rule="r"),
            ColumnPlan(column="t", transform="text", rule="r"),
        ]
    )
    protector = Protector(plan, FixedKeys(*KEYS.values()))  # type: ignore[arg-type]
    batch = pa.record_batch({"a": ["SECRETVALUE42"], "t": ["请回电13812345678"]})
    first = protector.protect(batch, plan.output_schema(batch.schema))
    blob = pickle.dumps(protector)
    assert b"SECRETVALUE42" not in blob and b"13812345678" not in blob
    shipped = pickle.loads(blob)
    assert shipped.cache is not protector.cache and shipped.cache.used == 0
    assert shipped.transforms["a"].cache is shipped.cache
    assert shipped.protect(batch, plan.output_schema(batch.schema)).equals(first)


def test_a_pipeline_run_shares_one_cache_across_outputs_and_empties_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govkit.pipeline.run import run_pipeline
    from govkit.protect import cache as cache_module
    from tests.pipeline._project import make_project, output

    opened: list[RunCache] = []
    original = cache_module.run_scope

    @contextlib.contextmanager
    def spy(
        budget: int = cache_module.DEFAULT_BUDGET, only: frozenset[str] | None = None
    ) -> Iterator[RunCache]:
        named.extend(sorted(only or ()))
        with original(budget, only) as scope:
            opened.append(scope)
            yield scope
            opened.append(RunCache(0))  # marks: the scope was still open after the run
            snapshot.update(hits=scope.hits, misses=scope.misses)

    snapshot: dict[str, int] = {}
    named: list[str] = []
    monkeypatch.setattr(cache_module, "run_scope", spy)
    views = [
        ("tickets_analytics", "analyst", "analytics"),
        ("tickets_service", "customer_service", "customer_service"),
    ]
    project = make_project(
        tmp_path / "p",
        sources={"tickets": {"uri": "data/tickets.csv"}},
        outputs=[output(n, "tickets", r, p, f"out/{n}.csv") for n, r, p in views],
    )
    report = run_pipeline(project)
    assert report.status == "published"
    assert len(opened) == 2  # one scope for the whole run
    assert snapshot["misses"] > 0 and snapshot["hits"] > 0  # redacted complaints reused
    assert "complaint" in named  # the run names the columns several outputs share
    assert opened[0].used == 0 and not opened[0]._tables  # emptied when the run ended


def _plan(*columns: tuple[str, str, dict[str, object]]) -> ProtectionPlan:
    return ProtectionPlan(
        columns=[ColumnPlan(column=c, transform=t, params=p, rule="r") for c, t, p in columns]
    )


@pytest.mark.parametrize(
    ("plans", "expected"),
    [
        ([], set()),
        ([_plan(("customer_id", "hash", {}))], set()),  # one output: nothing recurs
        (  # the join key in two tables, the same view of a column for two roles
            [
                _plan(("customer_id", "hash", {}), ("txn_id", "hash", {})),
                _plan(("customer_id", "hash", {}), ("complaint", "text", {})),
                _plan(("complaint", "text", {})),
            ],
            {"customer_id", "complaint"},
        ),
        (  # tokenize is computed in bulk, never looked up
            [_plan(("customer_id", "tokenize", {})), _plan(("customer_id", "tokenize", {}))],
            set(),
        ),
        (  # same column, different transform or parameters: different values
            [_plan(("phone", "mask", {})), _plan(("phone", "hash", {}))],
            set(),
        ),
        (
            [
                _plan(("complaint", "text", {"replace": "mask"})),
                _plan(("complaint", "text", {"replace": "label"})),
            ],
            set(),
        ),
        ([_plan(("name", "drop", {})), _plan(("name", "drop", {}))], set()),
    ],
    ids=[
        "none",
        "one-output",
        "join-key-and-two-views",
        "tokenize-in-bulk",
        "other-transform",
        "other-params",
        "drop",
    ],
)
def test_reused_columns(plans: list[ProtectionPlan], expected: set[str]) -> None:
    assert reused_columns(plans) == expected


def test_only_the_reused_columns_use_the_run_cache_here_and_in_a_worker() -> None:
    plan = _plan(("a", "hash", {}), ("b", "hash", {}), ("t", "text", {}))
    batch = pa.record_batch(
        {"a": ["A1", "A2"], "b": ["B1", "B2"], "t": ["请回电13812345678", None]}
    )
    with run_scope(only=frozenset({"a", "t"})) as scope:
        protector = Protector(plan, FixedKeys(*KEYS.values()))  # type: ignore[arg-type]
        assert protector.cached == {"a", "t"}
        assert protector.transforms["b"].cache is None
        out = protector.protect(batch, plan.output_schema(batch.schema))
        assert scope.misses == 3  # A1, A2 and the one text; B1 and B2 never looked up
        shipped = pickle.loads(pickle.dumps(protector))
    assert shipped.cached == {"a", "t"} and shipped.transforms["b"].cache is None
    assert shipped.protect(batch, plan.output_schema(batch.schema)).equals(out)
    with run_scope() as everything:  # no list: every deterministic column
        assert Protector(plan, FixedKeys(*KEYS.values())).cached == {"a", "b", "t"}  # type: ignore[arg-type]
        assert everything.wants("anything")


def test_costly_results_keep_their_budget_when_cheap_ones_filled_the_cache() -> None:
    cache = RunCache(budget=1000)  # a small share: costly_budget scales with it
    assert cache.costly_budget == 1000 * COSTLY_BUDGET // DEFAULT_BUDGET
    calls: list[list[str]] = []

    def compute(items: list[str]) -> list[str]:
        calls.append(items)
        return [i.upper() for i in items]

    cache.resolve("token", [f"id{i:04d}" for i in range(100)], compute)
    assert cache.full  # the cheap share is spent
    texts = ["请回电", "谢谢"]
    assert cache.resolve("text", texts, compute, costly=True) == ["请回电", "谢谢"]
    assert cache.resolve("text", texts, compute, costly=True) == ["请回电", "谢谢"]
    assert calls[-1] == texts and len(calls) == 2  # the second look-up computed nothing
    assert cache.hits == 2 and cache.misses == 102
    cache.clear()
    assert cache.resolve("text", texts, compute, costly=True) and len(calls) == 3
