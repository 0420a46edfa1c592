"""Decision semantics, table-driven: deny wins, default deny, most permissive, caps, rows."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from govkit.catalog import DatasetCatalog
from govkit.policy.audit import decision_event
from govkit.policy.catalogs import column_labels
from govkit.policy.decide import decide
from govkit.policy.views import AccessDecision
from tests.policy._build import COLUMNS, build

RAW_ALL = {"id": "raw-all", "roles": ["base"], "view": "raw"}
MASK_MED = {
    "id": "mask-med",
    "roles": ["base"],
    "view": "masked",
    "match": {"sensitivity": ["medium"]},
}
DENY_PHONE = {
    "id": "deny-phone",
    "effect": "deny",
    "roles": ["base"],
    "match": {"columns": ["phone"]},
}
TOKEN_IDS = {
    "id": "tok-ids",
    "roles": ["base"],
    "view": "tokenized",
    "match": {"entities": ["CN_RESIDENT_ID"]},
}
CAP_GEN = {
    "id": "cap-gen",
    "effect": "restrict",
    "roles": ["*"],
    "view": "generalized",
    "match": {"tags": ["contact"]},
}
ROWS_REGION = {
    "id": "rows-region",
    "roles": ["base"],
    "view": "raw",
    "match": {"columns": ["region"]},
    "row_filter": [{"column": "region", "op": "in", "value": ["广东", "浙江"]}],
}
ROWS_CONSENT = {
    "id": "rows-consent",
    "roles": ["base"],
    "view": "masked",
    "match": {"tags": ["consent"]},
    "row_filter": [{"column": "consent", "op": "==", "value": True}],
}
RESTRICT_CONSENT = {
    "id": "must-consent",
    "effect": "restrict",
    "roles": ["*"],
    "purposes": ["a"],
    "row_filter": [{"column": "consent", "op": "==", "value": True}],
}


def _decide(
    rules: list[dict[str, Any]], role: str = "base", purpose: str = "a", dataset: str = "customers"
) -> AccessDecision:
    return decide(build(*rules), role=role, purpose=purpose, dataset=dataset, columns=COLUMNS)


def _views(decision: AccessDecision) -> dict[str, str]:
    return {c.column: c.view for c in decision.columns}


@pytest.mark.parametrize(
    ("rules", "column", "view", "rule_ids", "reason"),
    [
        # no rule at all: default deny, no rule id to blame
        ([], "region", "deny", [], "default-deny"),
        # a plain allow grants its view
        ([RAW_ALL], "region", "raw", ["raw-all"], "allow"),
        # a matching deny wins over any allow
        ([RAW_ALL, DENY_PHONE], "phone", "deny", ["deny-phone"], "deny-rule"),
        # a deny on one column leaves the others alone
        ([RAW_ALL, DENY_PHONE], "email", "raw", ["raw-all"], "allow"),
        # among allows the most permissive view wins
        ([MASK_MED, RAW_ALL], "phone", "raw", ["raw-all"], "allow"),
        # masked outranks tokenized (VIEW_ORDER)
        ([MASK_MED, TOKEN_IDS], "id_number", "tokenized", ["tok-ids"], "allow"),
        # a restriction caps the winner; both rules are named
        ([RAW_ALL, CAP_GEN], "email", "generalized", ["cap-gen", "raw-all"], "restricted"),
        # a cap above the granted view changes nothing and is not named
        ([MASK_MED, {**CAP_GEN, "view": "raw"}], "email", "masked", ["mask-med"], "allow"),
        # a restriction alone grants nothing
        ([CAP_GEN], "email", "deny", [], "default-deny"),
        # selectors: entity / tier / tag / name globs
        (
            [{"id": "g", "roles": ["base"], "view": "raw", "match": {"columns": ["cons*"]}}],
            "consent",
            "raw",
            ["g"],
            "allow",
        ),
        (
            [{"id": "g", "roles": ["base"], "view": "raw", "match": {"columns": ["cons*"]}}],
            "region",
            "deny",
            [],
            "default-deny",
        ),
        # criteria of one match are AND-ed
        (
            [
                {
                    "id": "g",
                    "roles": ["base"],
                    "view": "raw",
                    "match": {"sensitivity": ["medium"], "tags": ["key"]},
                }
            ],
            "phone",
            "deny",
            [],
            "default-deny",
        ),
        (
            [
                {
                    "id": "g",
                    "roles": ["base"],
                    "view": "raw",
                    "match": {"sensitivity": ["medium"], "tags": ["key"]},
                }
            ],
            "customer_id",
            "raw",
            ["g"],
            "allow",
        ),
        # entities select structured columns only; free text is selected by kind
        (
            [{"id": "p", "roles": ["base"], "view": "raw", "match": {"entities": ["PERSON"]}}],
            "note",
            "deny",
            [],
            "default-deny",
        ),
        (
            [{"id": "t", "roles": ["base"], "view": "masked", "match": {"kinds": ["free_text"]}}],
            "note",
            "masked",
            ["t"],
            "allow",
        ),
        (
            [{"id": "t", "roles": ["base"], "view": "masked", "match": {"kinds": ["free_text"]}}],
            "phone",
            "deny",
            [],
            "default-deny",
        ),
    ],
)
def test_column_semantics(
    rules: list[dict[str, Any]], column: str, view: str, rule_ids: list[str], reason: str
) -> None:
    decision = _decide(rules)
    entry = next(c for c in decision.columns if c.column == column)
    assert (entry.view, entry.rule_ids, entry.reason) == (view, rule_ids, reason)


@pytest.mark.parametrize(
    ("role", "purpose", "dataset", "reason"),
    [
        (
            "nobody",
            "a",
            "customers",
            "unknown-role: no role 'nobody' in the policies; declare it under roles: in a policy file (roles: base, child, other)",
        ),
        (
            "base",
            "curiosity",
            "customers",
            "unknown-purpose: 'curiosity' is not a declared purpose; declare it under purposes: in a policy file (declared: a, b)",
        ),
        (
            "base",
            "b",
            "customers",
            "purpose-not-for-dataset: purpose 'b' does not cover dataset 'customers'; to allow it, add 'customers' (or a glob) to purposes.b.datasets in purposes.yaml",
        ),
    ],
)
def test_when_role_or_purpose_is_unknown_then_everything_is_denied(
    role: str, purpose: str, dataset: str, reason: str
) -> None:
    decision = _decide([RAW_ALL], role=role, purpose=purpose, dataset=dataset)
    assert not decision.allowed
    assert decision.reason == reason
    assert set(_views(decision).values()) == {"deny"}
    assert decision.rule_ids == []


def test_a_child_inherits_its_parents_rules_and_names_its_role_path() -> None:
    decision = _decide([RAW_ALL, DENY_PHONE], role="child")
    assert decision.role_path == ["child", "base"]
    assert _views(decision)["region"] == "raw"
    assert _views(decision)["phone"] == "deny"
    assert _decide([RAW_ALL], role="other").allowed is False


def test_wildcard_roles_and_purposes_match_everyone() -> None:
    rules = [{"id": "all", "roles": ["*"], "purposes": ["*"], "view": "masked"}]
    assert _views(_decide(rules, role="other"))["phone"] == "masked"


def test_allow_row_filters_are_ored_and_restrictions_anded() -> None:
    decision = _decide([ROWS_REGION, ROWS_CONSENT, RESTRICT_CONSENT])
    rows = decision.row_filter
    assert rows is not None
    assert len(rows.any_of) == 2 and [c.column for c in rows.all_of] == ["consent"]
    assert rows.rule_ids == ["must-consent", "rows-consent", "rows-region"]
    table = pa.table(
        {
            "region": ["广东", "北京", "北京", "广东", None],
            "consent": ["true", "true", "false", "false", "true"],
        }
    )
    assert rows.mask(table).to_pylist() == [True, True, False, False, True]
    assert rows.describe() == (
        "((consent == true) OR (region in [广东, 浙江])) AND consent == true"
    )


def test_an_allow_without_filter_means_every_row() -> None:
    decision = _decide([ROWS_REGION, RAW_ALL])
    assert decision.allowed and decision.row_filter is None


def test_a_denied_columns_allow_does_not_widen_the_rows() -> None:
    deny_region = {
        "id": "deny-region",
        "effect": "deny",
        "roles": ["base"],
        "match": {"columns": ["region"]},
    }
    decision = _decide([ROWS_REGION, ROWS_CONSENT, deny_region])
    assert decision.row_filter is not None
    assert [[c.column for c in group] for group in decision.row_filter.any_of] == [["consent"]]
    assert decision.row_filter.rule_ids == ["rows-consent"]


def test_when_a_row_filter_column_is_missing_then_no_rows_fail_closed() -> None:
    decision = decide(
        build(RAW_ALL, RESTRICT_CONSENT),
        role="base",
        purpose="a",
        dataset="customers",
        columns=COLUMNS[:3],
    )
    assert not decision.allowed
    assert (
        decision.reason
        == "no-rows: row filter needs column 'consent', which dataset 'customers' lacks (rule must-consent); to map the dataset's own column, add 'customers' to that rule's except_datasets and a copy of the rule with datasets: [customers] and that column in its row_filter"
    )


def test_rule_ids_of_the_decision_cover_columns_and_rows() -> None:
    decision = _decide([TOKEN_IDS, ROWS_REGION, RESTRICT_CONSENT])
    assert decision.rule_ids == ["must-consent", "rows-region", "tok-ids"]
    assert decision.policy_hash is not None and decision.policy_hash.startswith("sha256:")


@pytest.mark.parametrize(("rules", "outcome"), [([RAW_ALL, DENY_PHONE], "success"), ([], "denied")])
def test_decision_event_carries_ids_and_counts_never_values(
    rules: list[dict[str, Any]], outcome: str
) -> None:
    decision = _decide(rules)
    event = decision_event(decision, dataset="data/customers.csv")
    assert event.action == "access.decide"
    assert event.outcome == outcome
    assert (event.role, event.purpose, event.dataset) == ("base", "a", "data/customers.csv")
    assert event.rule_ids == decision.rule_ids
    assert event.policy_hash == decision.policy_hash
    assert sum(event.counts.values()) == len(COLUMNS)
    assert event.columns == [c.column for c in decision.columns if c.view != "deny"]


@pytest.mark.parametrize(
    ("entry", "tier"),
    [
        ({"entity": "CN_RESIDENT_ID"}, "high"),  # no tier written: the entity's default
        ({"entity": "PERSON", "entities": ["PERSON", "CREDIT_CARD"]}, "high"),
        ({"entity": "PHONE_NUMBER"}, "medium"),
        ({"entity": "CN_RESIDENT_ID", "sensitivity": "low"}, "low"),  # a steward's choice stands
        ({}, "low"),
    ],
)
def test_a_catalog_entry_without_a_tier_takes_its_entities_tier(
    entry: dict[str, Any], tier: str
) -> None:
    catalog = DatasetCatalog.model_validate({"columns": {"c": entry}})
    assert [label.sensitivity for label in column_labels(catalog)] == [tier]
