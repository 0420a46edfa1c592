"""The shipped policies implement the tier table over the whole catalog universe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.entities import ENTITIES
from govkit.policy.catalogs import column_labels, read_catalog
from govkit.policy.decide import decide
from govkit.policy.models import PolicySet
from govkit.policy.views import AccessDecision, ColumnLabel
from tests.policy.conftest import POLICIES

CATALOG = read_catalog(POLICIES / "tests" / "catalog.yaml")
CUSTOMER_DATA = ("customers", "tickets", "transactions", "feedback")


def _universe(policies: PolicySet) -> Iterator[tuple[AccessDecision, list[ColumnLabel]]]:
    for role in policies.roles:
        for purpose in policies.purposes:
            for name, dataset in CATALOG.datasets.items():
                labels = column_labels(dataset)
                yield (
                    decide(policies, role=role, purpose=purpose, dataset=name, columns=labels),
                    labels,
                )


def test_high_tier_is_never_raw_except_for_an_explicit_incident_grant(shipped: PolicySet) -> None:
    raw_high = set()
    for decision, labels in _universe(shipped):
        tiers = {label.name: label.sensitivity for label in labels}
        for column in decision.columns:
            if tiers[column.column] == "high" and column.view == "raw":
                raw_high.add((decision.role, decision.purpose, column.rule_ids[0]))
    assert raw_high == {("data_steward", "security_incident", "steward-incident-raw")}


def test_auditors_see_no_customer_data_for_any_purpose(shipped: PolicySet) -> None:
    checked = [
        d for d, _ in _universe(shipped) if d.role == "auditor" and d.dataset in CUSTOMER_DATA
    ]
    assert len(checked) >= len(shipped.purposes), "the universe holds no auditor decision"
    assert [d.purpose for d in checked if d.allowed] == []


@pytest.mark.parametrize(
    ("purpose", "column"), [("marketing", "consent_marketing"), ("analytics", "consent_analytics")]
)
def test_every_customers_decision_for_a_consent_purpose_filters_on_consent(
    shipped: PolicySet, purpose: str, column: str
) -> None:
    granted = [
        d
        for d, _ in _universe(shipped)
        if d.purpose == purpose and d.dataset == "customers" and d.allowed
    ]
    assert granted, f"no role is granted customers for {purpose}: the check would prove nothing"
    for decision in granted:
        assert decision.row_filter is not None
        assert column in {c.column for c in decision.row_filter.all_of}


def test_analysts_get_tokens_for_every_identifier(shipped: PolicySet) -> None:
    checked = 0
    for decision, labels in _universe(shipped):
        if decision.role != "analyst":
            continue
        keys = {
            label.name
            for label in labels
            if label.entity == "CN_RESIDENT_ID" or "customer_key" in label.tags
        }
        for column in decision.columns:
            if column.column in keys:
                checked += 1
                assert column.view in ("tokenized", "deny"), (
                    decision.purpose,
                    decision.dataset,
                    column,
                )
    assert checked > 0, "no analyst decision covered an identifier column"


def test_every_rule_is_exercised_by_some_decision(shipped: PolicySet) -> None:
    used = set()
    for decision, _ in _universe(shipped):
        used.update(decision.rule_ids)
    # the safety net: no default grant exceeds it on a reviewed catalog, so it never binds there
    # (customer-keys-tokenized does bind: txn_id and order_no are keys by their names)
    assert {r.id for r in shipped.rules} - used == {"high-tier-never-raw"}


LABELS = st.builds(
    ColumnLabel,
    name=st.sampled_from(["customer_id", "c1", "c2", "c3", "note"]),
    entity=st.one_of(st.none(), st.sampled_from(ENTITIES)),
    sensitivity=st.sampled_from(["high", "medium", "low"]),
    tags=st.lists(st.sampled_from(["customer_key", "consent", "transaction"]), max_size=2),
    kind=st.sampled_from(["structured", "free_text"]),
)


@settings(max_examples=200, deadline=None)
@given(labels=st.lists(LABELS, min_size=1, max_size=5, unique_by=lambda c: c.name))
def test_the_tier_table_holds_for_any_catalog(
    shipped: PolicySet, labels: list[ColumnLabel]
) -> None:
    """Whatever a scan or a steward labels, the shipped policies keep their promises."""
    for role in shipped.roles:
        for purpose in shipped.purposes:
            for dataset in (*CUSTOMER_DATA, "audit_events", "elsewhere"):
                decision = decide(
                    shipped, role=role, purpose=purpose, dataset=dataset, columns=labels
                )
                views = {c.column: c.view for c in decision.columns}
                for label in labels:
                    if label.sensitivity == "high" and views[label.name] == "raw":
                        assert (role, purpose) == ("data_steward", "security_incident")
                if role in ("analyst", "marketing") and "customer_id" in views:
                    assert views["customer_id"] in ("tokenized", "generalized", "deny")
                if role == "auditor" and dataset in CUSTOMER_DATA:
                    assert not decision.allowed


# A table govkit has never seen: the steward's own names, no reviewed catalog.
CRM = [
    ColumnLabel(name="客户编号"),
    ColumnLabel(name="member_no"),
    ColumnLabel(name="CustomerID"),
    ColumnLabel(name="身份证号", entity="CN_RESIDENT_ID", sensitivity="high"),
    ColumnLabel(name="城市"),
]


@pytest.mark.parametrize(
    ("role", "purpose", "column", "views"),
    [
        ("analyst", "analytics", "客户编号", {"tokenized"}),
        ("analyst", "analytics", "member_no", {"tokenized"}),
        ("analyst", "analytics", "CustomerID", {"tokenized"}),
        ("analyst", "analytics", "城市", {"raw"}),  # not a key: stays usable
        ("analyst", "analytics", "身份证号", {"tokenized", "masked"}),
        ("customer_service", "customer_service", "身份证号", {"masked"}),
        ("customer_service", "callback", "城市", {"raw"}),
    ],
)
def test_a_never_seen_table_is_protected_by_entity_tier_and_key_names(
    shipped: PolicySet, role: str, purpose: str, column: str, views: set[str]
) -> None:
    decision = decide(shipped, role=role, purpose=purpose, dataset="crm_kunden", columns=CRM)
    assert decision.allowed, decision.reason
    assert {c.column: c.view for c in decision.columns}[column] in views


def test_a_customer_table_without_the_consent_column_is_denied_with_the_fix(
    shipped: PolicySet,
) -> None:
    decision = decide(
        shipped, role="analyst", purpose="analytics", dataset="crm_customers", columns=CRM
    )
    assert not decision.allowed
    assert "consent_analytics" in decision.reason
    assert (
        "consent-analytics-rows in " in decision.reason and "rules-baseline.yaml" in decision.reason
    )
    assert "'crm_customers' to that rule's except_datasets" in decision.reason
    assert "datasets: [crm_customers] and that column in its row_filter" in decision.reason


@pytest.mark.parametrize("purpose", ["analytics", "customer_service", "a_new_purpose"])
def test_the_high_tier_cap_holds_for_every_purpose_new_ones_included(
    shipped: PolicySet, purpose: str
) -> None:
    from govkit.policy.models import PurposeSpec, Rule

    grant = Rule.model_validate(
        {"id": "grant-all-raw", "roles": ["analyst"], "purposes": [purpose], "view": "raw"}
    )
    policies = shipped.model_copy(
        update={
            "purposes": {**shipped.purposes, purpose: PurposeSpec()},
            "rules": [*shipped.rules, grant],
        }
    )
    decision = decide(policies, role="analyst", purpose=purpose, dataset="x", columns=CRM[3:4])
    assert [c.view for c in decision.columns] == ["masked"]


def test_a_purpose_not_covering_a_dataset_names_the_file_and_key(shipped: PolicySet) -> None:
    from govkit.policy.models import PurposeSpec

    narrowed = shipped.model_copy(
        update={"purposes": {**shipped.purposes, "analytics": PurposeSpec(datasets=["sales_*"])}}
    )
    decision = decide(narrowed, role="analyst", purpose="analytics", dataset="crm", columns=CRM)
    assert decision.reason.startswith("purpose-not-for-dataset")
    assert "purposes.analytics.datasets in " in decision.reason
    assert decision.reason.endswith("purposes.yaml")


def test_except_datasets_leaves_a_dataset_to_its_own_rule(shipped: PolicySet) -> None:
    from govkit.policy.models import Rule

    rules = []
    for rule in shipped.rules:
        if rule.id == "consent-analytics-rows":
            rules.append(rule.model_copy(update={"except_datasets": ["crm_*"]}))
            mapped = {"column": "同意分析", "op": "==", "value": True}
            rules.append(
                Rule.model_validate(
                    {**rule.model_dump(), "id": "crm-consent", "datasets": ["crm_*"],
                     "row_filter": [mapped]}
                )
            )  # fmt: skip
        else:
            rules.append(rule)
    policies = shipped.model_copy(update={"rules": rules})
    labels = [*CRM, ColumnLabel(name="同意分析")]
    crm = decide(
        policies, role="analyst", purpose="analytics", dataset="crm_customers", columns=labels
    )
    assert crm.allowed and crm.row_filter is not None
    assert [c.column for c in crm.row_filter.all_of] == ["同意分析"]
    other = decide(
        policies, role="analyst", purpose="analytics", dataset="customers", columns=labels
    )
    assert not other.allowed and "consent_analytics" in other.reason  # the shared rule still holds


@pytest.mark.parametrize("purpose", ["analytics", "audit", "security_incident", "marketing"])
def test_auditors_see_nothing_of_a_never_seen_table(shipped: PolicySet, purpose: str) -> None:
    decision = decide(shipped, role="auditor", purpose=purpose, dataset="crm_kunden", columns=CRM)
    assert not decision.allowed
    assert all(c.view == "deny" for c in decision.columns)


def test_marketing_reaches_a_customer_table_of_any_name(shipped: PolicySet) -> None:
    labels = [
        ColumnLabel(name="姓名", entity="PERSON", sensitivity="medium"),
        ColumnLabel(name="consent_marketing"),
    ]
    decision = decide(
        shipped, role="marketing", purpose="marketing", dataset="crm_customers", columns=labels
    )
    assert decision.allowed, decision.reason
    assert {c.column: c.view for c in decision.columns}["姓名"] == "raw"
    assert decision.row_filter is not None  # consenting customers only
