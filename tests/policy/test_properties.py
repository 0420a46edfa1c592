"""Properties of the decision semantics (hypothesis): order, monotonicity, inheritance, purposes."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.policy.decide import decide
from govkit.policy.views import VIEW_ORDER, AccessDecision
from tests.policy._build import COLUMNS, build

GRID = pa.table(
    {
        "region": [r for r in ("广东", "北京", None) for _ in range(3)],
        "consent": ["true", "false", None] * 3,
    }
)
MATCHES = [
    {},
    {"sensitivity": ["high"]},
    {"sensitivity": ["medium", "low"]},
    {"entities": ["PHONE_NUMBER", "CN_RESIDENT_ID"]},
    {"tags": ["contact"]},
    {"tags": ["key", "consent"]},
    {"columns": ["region", "e*"]},
]
CONDITIONS = [
    {"column": "region", "op": "in", "value": ["广东"]},
    {"column": "region", "op": "==", "value": "北京"},
    {"column": "consent", "op": "==", "value": True},
    {"column": "consent", "op": "!=", "value": True},
    {"column": "region", "op": "not_null"},
]
ROLES = st.sampled_from([["base"], ["other"], ["*"], ["base", "other"]])
PURPOSES = st.sampled_from([["a"], ["*"], ["b"]])
DATASETS = st.sampled_from([["*"], ["customers"], ["other*"]])
FILTERS = st.lists(st.sampled_from(CONDITIONS), max_size=2, unique_by=lambda c: repr(c))
GRANT_VIEWS = ["raw", "tokenized", "masked", "generalized"]
GRANTS = st.sampled_from(GRANT_VIEWS)


def _rule(
    effect: str, roles: st.SearchStrategy[list[str]] = ROLES
) -> st.SearchStrategy[dict[str, Any]]:
    common = {
        "roles": roles,
        "purposes": PURPOSES,
        "datasets": DATASETS,
        "match": st.sampled_from(MATCHES),
    }
    if effect == "allow":
        return st.fixed_dictionaries(
            {**common, "effect": st.just("allow"), "view": GRANTS, "row_filter": FILTERS}
        )
    if effect == "deny":
        return st.fixed_dictionaries({**common, "effect": st.just("deny")})
    caps = st.sampled_from([*GRANT_VIEWS, "deny", None])
    restrict = {**common, "effect": st.just("restrict"), "view": caps, "row_filter": FILTERS}
    return st.fixed_dictionaries(restrict).filter(
        lambda r: r["view"] is not None or bool(r["row_filter"])
    )


ANY_RULE = st.one_of(_rule("allow"), _rule("deny"), _rule("restrict"))
RULES = st.lists(ANY_RULE, max_size=8)


def _ids(rules: list[dict[str, Any]], prefix: str = "r") -> list[dict[str, Any]]:
    return [{**r, "id": f"{prefix}{i}"} for i, r in enumerate(rules)]


def _decide(rules: list[dict[str, Any]], role: str = "base", purpose: str = "a") -> AccessDecision:
    return decide(build(*rules), role=role, purpose=purpose, dataset="customers", columns=COLUMNS)


def _rows(decision: AccessDecision) -> list[bool]:
    if not decision.allowed:
        return [False] * GRID.num_rows
    if decision.row_filter is None:
        return [True] * GRID.num_rows
    return [bool(v) for v in decision.row_filter.mask(GRID).to_pylist()]


def _at_most(narrow: AccessDecision, wide: AccessDecision) -> bool:
    """True when ``narrow`` shows no column more and no row more than ``wide``."""
    wide_views = {c.column: VIEW_ORDER[c.view] for c in wide.columns}
    columns = all(VIEW_ORDER[c.view] <= wide_views[c.column] for c in narrow.columns)
    rows = all(w or not n for n, w in zip(_rows(narrow), _rows(wide), strict=True))
    return columns and rows


@settings(max_examples=150, deadline=None)
@given(rules=RULES, data=st.data())
def test_rule_order_never_changes_a_decision(
    rules: list[dict[str, Any]], data: st.DataObject
) -> None:
    named = _ids(rules)
    shuffled = data.draw(st.permutations(named))
    for role in ("base", "child", "other"):
        assert _decide(named, role).model_dump() == _decide(list(shuffled), role).model_dump()


@settings(max_examples=150, deadline=None)
@given(rules=RULES, deny=_rule("deny"))
def test_adding_a_deny_never_widens_access(
    rules: list[dict[str, Any]], deny: dict[str, Any]
) -> None:
    before = _decide(_ids(rules))
    after = _decide([*_ids(rules), {**deny, "id": "added"}])
    assert _at_most(after, before)


@settings(max_examples=150, deadline=None)
@given(rules=RULES, allow=_rule("allow"))
def test_adding_an_allow_never_narrows_access(
    rules: list[dict[str, Any]], allow: dict[str, Any]
) -> None:
    before = _decide(_ids(rules))
    after = _decide([*_ids(rules), {**allow, "id": "added"}])
    assert _at_most(before, after)


@settings(max_examples=150, deadline=None)
@given(rules=RULES, own=st.lists(_rule("allow", roles=st.just(["child"])), max_size=3))
def test_a_role_inherits_its_parents_access(
    rules: list[dict[str, Any]], own: list[dict[str, Any]]
) -> None:
    parent_rules = _ids(rules)
    parent = _decide(parent_rules, "base")
    same = _decide(parent_rules, "child")
    assert same.model_dump(exclude={"role", "role_path"}) == parent.model_dump(
        exclude={"role", "role_path"}
    )
    child = _decide([*parent_rules, *_ids(own, "own")], "child")
    assert _at_most(parent, child)


@settings(max_examples=100, deadline=None)
@given(rules=RULES, purpose=st.text(min_size=1, max_size=8).filter(lambda p: p not in ("a", "b")))
def test_an_unknown_purpose_is_denied(rules: list[dict[str, Any]], purpose: str) -> None:
    decision = _decide(_ids(rules), purpose=purpose)
    assert not decision.allowed
    assert decision.reason.startswith("unknown-purpose")
    assert {c.view for c in decision.columns} == {"deny"}
