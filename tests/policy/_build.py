"""Build small policy sets in code for semantic and property tests."""

from __future__ import annotations

from typing import Any

from govkit.policy.models import PolicySet, PurposeSpec, RoleSpec, Rule, TagSpec
from govkit.policy.views import ColumnLabel

COLUMNS = [
    ColumnLabel(name="customer_id", sensitivity="medium", tags=["key"]),
    ColumnLabel(name="id_number", entity="CN_RESIDENT_ID", sensitivity="high"),
    ColumnLabel(name="phone", entity="PHONE_NUMBER", sensitivity="medium"),
    ColumnLabel(name="email", entity="EMAIL_ADDRESS", sensitivity="medium", tags=["contact"]),
    ColumnLabel(name="region", sensitivity="low"),
    ColumnLabel(name="consent", sensitivity="low", tags=["consent"]),
    ColumnLabel(name="note", entity="PERSON", sensitivity="medium", kind="free_text"),
]


def build(*rules: dict[str, Any], roles: dict[str, list[str]] | None = None) -> PolicySet:
    """A policy set over roles (name → parents), purposes a/b, tags key/contact/consent."""
    graph = roles if roles is not None else {"base": [], "child": ["base"], "other": []}
    return PolicySet(
        roles={name: RoleSpec(inherits=parents) for name, parents in graph.items()},
        purposes={"a": PurposeSpec(), "b": PurposeSpec(datasets=["other*"])},
        tags={t: TagSpec() for t in ("key", "contact", "consent")},
        rules=[Rule.model_validate(r) for r in rules],
    )
