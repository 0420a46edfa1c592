"""``govkit policy test``: YAML cases (role × purpose × dataset → expected views and rows).

A test file (``policies/tests/*.yaml``, except the reference ``catalog.yaml``)::

    catalog: catalog.yaml          # column labels; relative to this file
    tests:
      - name: analysts get tokens for ID numbers
        role: analyst
        purpose: analytics
        dataset: customers
        expect:
          allowed: true
          columns: {id_number: tokenized, ethnicity: deny}
          rule_ids: {id_number: [analyst-ids-tokenized]}
          rows:
            - {row: {consent_analytics: "false"}, visible: false}
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

from govkit.catalog import Catalog, ColumnKind
from govkit.entities import Sensitivity
from govkit.errors import PolicyError
from govkit.policy._yaml import fail, parse, read_yaml
from govkit.policy.catalogs import REFERENCE_CATALOG, column_labels, read_catalog
from govkit.policy.decide import decide
from govkit.policy.models import PolicySet
from govkit.policy.views import AccessDecision, ColumnLabel, Scalar, View


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Label(_Strict):
    """An inline column label, for columns no catalog lists."""

    entity: str | None = None
    sensitivity: Sensitivity = "low"
    tags: list[str] = Field(default_factory=list)
    kind: ColumnKind = "structured"


class RowCase(_Strict):
    """One concrete row and whether the role may see it (values given as text)."""

    row: dict[str, Scalar | None]
    visible: bool


class Expect(_Strict):
    """Expected decision; only what is given is checked."""

    allowed: bool | None = None
    reason: str | None = Field(
        None, description="Prefix of the decision's reason, e.g. unknown-purpose."
    )
    columns: dict[str, View] = Field(default_factory=dict)
    rule_ids: dict[str, list[str]] = Field(default_factory=dict)
    role_path: list[str] | None = None
    rows: list[RowCase] = Field(default_factory=list)


class Case(_Strict):
    """One policy test case."""

    name: str
    role: str
    purpose: str
    dataset: str
    labels: dict[str, Label] = Field(default_factory=dict)
    expect: Expect


class PolicyTestFile(_Strict):
    """A policy test file."""

    catalog: str | None = None
    tests: list[Case] = Field(min_length=1)


class CaseResult(BaseModel):
    """The outcome of one case; ``diff`` lines are ``- expected`` / ``+ actual``."""

    file: str
    name: str
    passed: bool
    diff: list[str] = Field(default_factory=list)


class PolicyTestReport(BaseModel):
    """All cases of a policy directory's tests."""

    policy_hash: str
    passed: int
    failed: int
    cases: list[CaseResult]


def policy_test_files(policy_dir: Path) -> list[Path]:
    """The test files of a policy directory (``tests/*.yaml`` but the reference catalog)."""
    folder = policy_dir / "tests"
    skip = policy_dir / REFERENCE_CATALOG
    files = sorted(p for p in folder.glob("*.y*ml") if p != skip) if folder.is_dir() else []
    if not files:
        raise PolicyError(f"{folder}: no policy test files (*.yaml)")
    return files


def run_tests(policies: PolicySet, policy_dir: Path) -> PolicyTestReport:
    """Run every test case of ``policy_dir/tests``.

    Raises:
        PolicyError: a test file is invalid (names file and field path).
    """
    results: list[CaseResult] = []
    catalogs: dict[Path, Catalog] = {}
    for path in policy_test_files(policy_dir):
        data, text = read_yaml(path)
        spec = parse(PolicyTestFile, path, data, text)
        catalog = Catalog()
        if spec.catalog:
            where = (path.parent / spec.catalog).resolve()
            catalog = catalogs.get(where) or catalogs.setdefault(where, read_catalog(where))
        for index, case in enumerate(spec.tests):
            labels = _labels(case, catalog, str(path), text, index)
            decision = decide(
                policies, role=case.role, purpose=case.purpose, dataset=case.dataset, columns=labels
            )
            diff = compare(case.expect, decision)
            results.append(CaseResult(file=str(path), name=case.name, passed=not diff, diff=diff))
    passed = sum(r.passed for r in results)
    return PolicyTestReport(
        policy_hash=policies.bundle_hash, passed=passed, failed=len(results) - passed, cases=results
    )


def _labels(case: Case, catalog: Catalog, file: str, text: str, index: int) -> list[ColumnLabel]:
    known = catalog.datasets.get(case.dataset)
    labels = {c.name: c for c in column_labels(known)} if known else {}
    for name, label in case.labels.items():
        labels[name] = ColumnLabel(name=name, **label.model_dump())
    if not labels:
        raise fail(
            file,
            text,
            ("tests", index, "dataset"),
            f"no catalog or labels for dataset {case.dataset!r}",
        )
    for section, names in (("columns", case.expect.columns), ("rule_ids", case.expect.rule_ids)):
        for name in names:
            if name not in labels:
                raise fail(
                    file,
                    text,
                    ("tests", index, "expect", section, name),
                    f"dataset {case.dataset!r} has no column {name!r}",
                )
    return list(labels.values())


def compare(expect: Expect, decision: AccessDecision) -> list[str]:
    """Differences between expected and actual, as ``- expected`` / ``+ actual`` line pairs."""
    diff: list[str] = []

    def differ(field: str, want: object, got: object, note: str = "") -> None:
        diff.extend([f"- {field}: {want}", f"+ {field}: {got}{note}"])

    if expect.allowed is not None and expect.allowed != decision.allowed:
        differ(
            "allowed",
            _yaml_bool(expect.allowed),
            _yaml_bool(decision.allowed),
            f"  ({decision.reason})",
        )
    if expect.reason is not None and not decision.reason.startswith(expect.reason):
        differ("reason", expect.reason, decision.reason)
    if expect.role_path is not None and expect.role_path != decision.role_path:
        differ("role_path", expect.role_path, decision.role_path)
    actual = {c.column: c for c in decision.columns}
    for name, view in expect.columns.items():
        got = actual[name]
        if got.view != view:
            why = f"  ({got.reason}: {', '.join(got.rule_ids) or 'no rule'})"
            differ(f"columns.{name}", view, got.view, why)
    for name, ids in expect.rule_ids.items():
        got_ids = actual[name].rule_ids
        if sorted(ids) != got_ids:
            differ(f"rule_ids.{name}", sorted(ids), got_ids)
    for i, case in enumerate(expect.rows):
        seen = _visible(case.row, decision)
        if seen != case.visible:
            shown = {k: v for k, v in case.row.items()}
            differ(f"rows[{i}] {shown}", _seen(case.visible), _seen(seen))
    return diff


def _visible(row: dict[str, Scalar | None], decision: AccessDecision) -> bool:
    if not decision.allowed:
        return False
    if decision.row_filter is None:
        return True
    needed = decision.row_filter.columns() | set(row)
    table = pa.table({c: pa.array([_text(row.get(c))], pa.string()) for c in sorted(needed)})
    return bool(decision.row_filter.mask(table)[0].as_py())


def _text(value: Scalar | None) -> str | None:
    """Row values as the text a CSV column holds (booleans as ``true``/``false``)."""
    if value is None:
        return None
    return str(value).lower() if isinstance(value, bool) else str(value)


def _yaml_bool(value: bool) -> str:
    return "true" if value else "false"


def _seen(value: bool) -> str:
    return "visible" if value else "hidden"
