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
    # safety nets: no default grant exceeds them on a reviewed catalog, so they never bind there
    assert {r.id for r in shipped.rules} - used == {
        "high-tier-never-raw",
        "customer-keys-tokenized",
    }


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
