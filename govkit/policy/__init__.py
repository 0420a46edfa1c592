"""Role-based access policies: which view of which column each role gets for a purpose.

``load_policies(dir)`` reads and checks ``policies/*.yaml``; ``decide(...)`` returns an
:class:`AccessDecision` that protect enforces; ``decision_event(decision)`` is what the
Governor records. See docs/policies.md for the file format and the semantics.
"""

from govkit.policy.audit import decision_event
from govkit.policy.catalogs import column_labels, read_catalog
from govkit.policy.decide import decide
from govkit.policy.diff import PolicyDiff, diff_policies
from govkit.policy.explain import Explanation, explain
from govkit.policy.loader import load_policies
from govkit.policy.models import PolicySet, Rule
from govkit.policy.schema import policy_schema
from govkit.policy.testing import PolicyTestReport, run_tests
from govkit.policy.views import (
    VIEW_ORDER,
    AccessDecision,
    ColumnDecision,
    ColumnLabel,
    Condition,
    RowFilter,
    View,
)

__all__ = [
    "VIEW_ORDER",
    "AccessDecision",
    "ColumnDecision",
    "ColumnLabel",
    "Condition",
    "Explanation",
    "PolicyDiff",
    "PolicySet",
    "PolicyTestReport",
    "RowFilter",
    "Rule",
    "View",
    "column_labels",
    "decide",
    "decision_event",
    "diff_policies",
    "explain",
    "load_policies",
    "policy_schema",
    "read_catalog",
    "run_tests",
]
