"""Rules and plans: most specific rule wins, views map to transforms, fail closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.catalog import CatalogColumn, DatasetCatalog
from govkit.errors import AccessDeniedError, PolicyError, ProtectionError
from govkit.policy.views import AccessDecision, ColumnDecision
from govkit.protect.plan import ProtectionRules, Rule, load_protection_rules, plan_protection

from .conftest import POLICIES

RULES = load_protection_rules(POLICIES)


def cat(**columns: CatalogColumn) -> DatasetCatalog:
    return DatasetCatalog(columns=columns)


@pytest.mark.parametrize(
    ("column", "transform", "rule"),
    [
        (
            CatalogColumn(entity="CN_RESIDENT_ID", sensitivity="high"),
            "tokenize",
            "entities.CN_RESIDENT_ID",
        ),
        (CatalogColumn(entity="ETHNICITY", sensitivity="high"), "encrypt", "entities.ETHNICITY"),
        (
            CatalogColumn(entity="PHONE_NUMBER", sensitivity="medium"),
            "mask",
            "entities.PHONE_NUMBER",
        ),
        (
            CatalogColumn(entity="DATE_OF_BIRTH", sensitivity="medium"),
            "generalize",
            "entities.DATE_OF_BIRTH",
        ),
        (CatalogColumn(entity="NEW_THING", sensitivity="high"), "tokenize", "sensitivity.high"),
        (
            CatalogColumn(kind="free_text", entities=["PHONE_NUMBER"], sensitivity="medium"),
            "text",
            "free_text",
        ),
        (CatalogColumn(sensitivity="low"), "keep", "sensitivity.low"),
    ],
)
def test_shipped_rules(column: CatalogColumn, transform: str, rule: str) -> None:
    plan = plan_protection(cat(c=column), RULES, None)
    assert (plan.columns[0].transform, plan.columns[0].rule) == (transform, rule)


def test_column_rule_beats_entity_rule() -> None:
    rules = RULES.model_copy(update={"columns": {"c": Rule(transform="hash")}})
    plan = plan_protection(
        cat(c=CatalogColumn(entity="PHONE_NUMBER", sensitivity="medium")), rules, None
    )
    assert plan.columns[0].transform == "hash"


@pytest.mark.parametrize("tier", ["high", "medium"])
def test_uncovered_sensitive_column_fails_closed(tier: str) -> None:
    with pytest.raises(
        ProtectionError, match=r"column 'c' \(NEW_THING, .*\) is not covered .*fail closed"
    ):
        plan_protection(
            cat(c=CatalogColumn(entity="NEW_THING", sensitivity=tier)),  # type: ignore[arg-type]
            ProtectionRules(),
            None,
        )


def test_uncovered_low_column_is_kept() -> None:
    plan = plan_protection(cat(c=CatalogColumn()), ProtectionRules(), None)
    assert plan.columns[0].transform == "keep"


def _decision(**views: str) -> AccessDecision:
    return AccessDecision(
        role="r",
        purpose="p",
        allowed=True,
        columns=[
            ColumnDecision(column=c, view=v, rule_ids=[f"rule-{c}"])  # type: ignore[arg-type]
            for c, v in views.items()
        ],
    )


def test_views_decide_transforms() -> None:
    catalog = cat(
        a=CatalogColumn(entity="CN_RESIDENT_ID", sensitivity="high"),
        b=CatalogColumn(entity="PHONE_NUMBER", sensitivity="medium"),
        c=CatalogColumn(entity="DATE_OF_BIRTH", sensitivity="medium"),
        d=CatalogColumn(entity="ETHNICITY", sensitivity="high"),
        e=CatalogColumn(sensitivity="low"),
        f=CatalogColumn(kind="free_text", sensitivity="medium"),
    )
    plan = plan_protection(
        catalog,
        RULES,
        _decision(a="tokenized", b="masked", c="generalized", d="deny", e="raw", f="masked"),
    )
    assert {p.column: p.transform for p in plan.columns} == {
        "a": "tokenize",
        "b": "mask",
        "c": "generalize",
        "d": "drop",
        "e": "keep",
        "f": "text",
    }
    assert plan.column("c").params == {"to": "year"}  # entity rule's params carry over
    assert plan.column("a").rule_ids == ["rule-a"]


def test_column_missing_from_decision_is_dropped() -> None:
    plan = plan_protection(cat(x=CatalogColumn(sensitivity="low")), RULES, _decision())
    assert plan.columns[0].transform == "drop"


def test_denied_decision_raises() -> None:
    decision = AccessDecision(role="r", purpose="p", allowed=False, reason="unknown role")
    with pytest.raises(
        AccessDeniedError, match="role 'r' may not use this data for 'p': unknown role"
    ):
        plan_protection(cat(), RULES, decision)


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("entities:\n  PHONE_NUMBER: sha1\n", r"entities.PHONE_NUMBER: unknown transform 'sha1'"),
        (
            "entities:\n  PHONE_NUMBER: {transform: mask, params: {char: '**'}}\n",
            r"entities.PHONE_NUMBER.params.char",
        ),
        ("sensitivity:\n  extreme: keep\n", r"sensitivity.extreme"),
        ("colums: {}\n", r"colums: Extra inputs"),
        ("entities: [\n", r"not valid YAML"),
    ],
)
def test_bad_rules_file_names_file_and_field(tmp_path: Path, yaml_text: str, message: str) -> None:
    (tmp_path / "protection.yaml").write_text(yaml_text)
    with pytest.raises(PolicyError, match=message) as info:
        load_protection_rules(tmp_path)
    assert str(tmp_path / "protection.yaml") in str(info.value)
