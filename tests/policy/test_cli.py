"""``govkit policy …`` in-process: exit codes, exact Error lines, output shapes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.policy.conftest import FIXTURES, POLICIES

Cli = Callable[..., CliResult]


def test_check_accepts_the_shipped_policies(cli: Cli) -> None:
    result = cli("policy", "check", str(POLICIES))
    assert result.code == 0
    assert "ok — 6 roles, 7 purposes, 3 tags, 33 rules; policy sha256:" in result.out


def test_check_json(cli: Cli) -> None:
    result = cli("policy", "check", str(POLICIES), "--format", "json")
    data = json.loads(result.out)
    assert result.code == 0
    assert set(data) == {"path", "files", "roles", "purposes", "tags", "rules", "policy_hash"}
    assert not any(f.endswith(("classification.yaml", "protection.yaml")) for f in data["files"])


@pytest.mark.parametrize(
    ("fixture", "code"),
    [("bad_view", 3), ("unknown_role", 3), ("inheritance_cycle", 3), ("yaml_syntax", 3)],
)
def test_check_reports_a_broken_file_as_one_error_line(
    cli: Cli, base_dir: Path, fixture: str, code: int
) -> None:
    source = FIXTURES / "broken" / f"{fixture}.yaml"
    first, second = source.read_text(encoding="utf-8").splitlines()[:2]
    shutil.copy(source, base_dir / first.removeprefix("# file: "))
    result = cli("policy", "check", str(base_dir))
    assert result.code == code
    assert result.err.strip() == "Error: " + second.removeprefix("# error: ").format(dir=base_dir)


def test_check_a_missing_directory(cli: Cli, tmp_path: Path) -> None:
    result = cli("policy", "check", str(tmp_path / "nope"))
    assert (result.code, result.err.strip()) == (
        3,
        f"Error: {tmp_path / 'nope'}: not a policy directory",
    )


def test_the_shipped_policy_tests_pass(cli: Cli) -> None:
    result = cli("policy", "test", str(POLICIES))
    assert result.code == 0, result.out
    assert result.out.splitlines()[-1] == "28 passed, 0 failed"
    assert "FAIL" not in result.out


def test_a_failing_case_prints_a_diff_and_exits_1(cli: Cli, shipped_dir: Path) -> None:
    analyst = shipped_dir / "tests" / "analyst.yaml"
    analyst.write_text(
        analyst.read_text(encoding="utf-8").replace("id_number: tokenized", "id_number: raw", 1),
        encoding="utf-8",
    )
    result = cli("policy", "test", str(shipped_dir))
    assert result.code == 1
    assert result.err.strip() == f"Error: {shipped_dir}: 1 of 28 policy test case(s) failed"
    lines = result.out.splitlines()
    assert lines[-1] == "27 passed, 1 failed"
    at = lines.index(f"FAIL {analyst}: analysts get tokens for ID numbers, cards and contacts")
    assert lines[at + 1 : at + 3] == [
        "    - columns.id_number: raw",
        "    + columns.id_number: tokenized  (allow: analyst-ids-tokenized)",
    ]


def test_a_policy_change_that_breaks_expectations_fails_its_tests(
    cli: Cli, shipped_dir: Path
) -> None:
    baseline = shipped_dir / "rules-baseline.yaml"
    text = baseline.read_text(encoding="utf-8")
    baseline.write_text(
        text.replace("purposes: [marketing]\n", "purposes: [customer_service]\n"), encoding="utf-8"
    )
    result = cli("policy", "test", str(shipped_dir), "--format", "json")
    data = json.loads(result.out)
    assert result.code == 1
    failed = [c for c in data["cases"] if not c["passed"]]
    assert [c["name"] for c in failed] == [
        "handling a ticket shows the phone masked",
        "marketing sees only consenting customers",
    ]
    assert "- rows[1] {'consent_marketing': 'false', 'region': '广东'}: hidden" in failed[1]["diff"]
    assert (data["passed"], data["failed"]) == (26, 2)


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (None, "Error: {dir}/tests: no policy test files (*.yaml)"),
        (
            "tests: []\n",
            "Error: {dir}/tests/x.yaml:1: tests: List should have at least 1 item after validation, not 0",
        ),
        (
            "catalog: catalog.yaml\ntests:\n  - name: n\n    role: analyst\n    purpose: analytics\n    dataset: customers\n    expect: {columns: {nope: raw}}\n",
            "Error: {dir}/tests/x.yaml:7: tests[0].expect.columns.nope: dataset 'customers' has no column 'nope'",
        ),
        (  # a misspelt column would otherwise compare with no rule ids and pass
            "catalog: catalog.yaml\ntests:\n  - name: n\n    role: analyst\n    purpose: analytics\n    dataset: customers\n    expect: {rule_ids: {id_numbr: []}}\n",
            "Error: {dir}/tests/x.yaml:7: tests[0].expect.rule_ids.id_numbr: dataset 'customers' has no column 'id_numbr'",
        ),
        (
            "tests:\n  - name: n\n    role: analyst\n    purpose: analytics\n    dataset: customers\n    expect: {allowed: maybe}\n",
            "Error: {dir}/tests/x.yaml:6: tests[0].expect.allowed: Input should be a valid boolean, unable to interpret input",
        ),
    ],
)
def test_invalid_test_files_are_operational_errors(
    cli: Cli, shipped_dir: Path, content: str | None, error: str
) -> None:
    for old in (shipped_dir / "tests").glob("*.yaml"):
        if old.name != "catalog.yaml":
            old.unlink()
    if content is not None:
        (shipped_dir / "tests" / "x.yaml").write_text(content, encoding="utf-8")
    result = cli("policy", "test", str(shipped_dir))
    assert (result.code, result.err.strip()) == (3, error.format(dir=shipped_dir))


def test_explain_table_names_decision_rows_rules_and_role_path(cli: Cli) -> None:
    result = cli(
        "--policy-dir",
        str(POLICIES),
        "policy",
        "explain",
        "--role",
        "marketing",
        "--purpose",
        "marketing",
        "--dataset",
        "data/customers.csv",
    )
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "marketing / marketing / customers: allowed: 11 of 14 columns visible"
    assert lines[1] == "role path: marketing"
    assert lines[2] == "rows: consent_marketing == true  [consent-marketing-rows]"
    assert "  marketing-contact-raw: allow raw (" in result.out
    assert f"labels from: {POLICIES / 'tests' / 'catalog.yaml'}; policy sha256:" in result.out


def test_explain_json_for_one_column(cli: Cli) -> None:
    result = cli(
        "--policy-dir",
        str(POLICIES),
        "policy",
        "explain",
        "--format",
        "json",
        "--role",
        "data_steward",
        "--purpose",
        "data_quality",
        "--dataset",
        "customers",
        "--column",
        "phone",
    )
    data = json.loads(result.out)
    assert result.code == 0
    assert data["decision"]["role_path"] == ["data_steward", "engineer"]
    assert data["decision"]["columns"] == [
        {"column": "phone", "view": "raw", "rule_ids": ["steward-medium-raw"], "reason": "allow"}
    ]
    assert data["decision"]["rule_ids"] == ["steward-medium-raw"]
    assert [r["id"] for r in data["rules"]] == ["steward-medium-raw"]


def test_explain_an_unknown_role_is_a_denial_not_an_error(cli: Cli) -> None:
    result = cli(
        "--policy-dir",
        str(POLICIES),
        "policy",
        "explain",
        "--role",
        "intern",
        "--purpose",
        "analytics",
        "--dataset",
        "customers",
    )
    assert result.code == 0
    assert (
        result.out.splitlines()[0]
        == "intern / analytics / customers: unknown-role: no role 'intern' in the policies; "
        f"declare it under roles: in {POLICIES / 'roles.yaml'} (roles: analyst, auditor, "
        "customer_service, data_steward, engineer, marketing)"
    )


def test_explain_without_a_catalog_judges_named_columns_by_name(cli: Cli, base_dir: Path) -> None:
    (base_dir / "rules.yaml").write_text(
        "rules:\n  - id: by-name\n    roles: [viewer]\n    view: masked\n    match: {columns: [phone]}\n",
        encoding="utf-8",
    )
    result = cli(
        "--policy-dir",
        str(base_dir),
        "policy",
        "explain",
        "--format",
        "json",
        "--role",
        "lead",
        "--purpose",
        "analytics",
        "--dataset",
        "customers",
        "--column",
        "phone",
        "--column",
        "email",
    )
    data = json.loads(result.out)
    assert data["labels_from"] == "column names only"
    assert {c["column"]: c["view"] for c in data["decision"]["columns"]} == {
        "phone": "masked",
        "email": "deny",
    }


def test_explain_judges_unlabelled_columns_as_high_tier(cli: Cli) -> None:
    result = cli(
        "--policy-dir", str(POLICIES), "policy", "explain", "--format", "json",
        "--role", "engineer", "--purpose", "data_quality", "--dataset", "orders",
        "--column", "id_number",
    )  # fmt: skip
    data = json.loads(result.out)
    assert result.code == 0 and data["labels_from"] == "column names only"
    # not raw through eng-low-raw, as the model's default low tier would have it
    assert [(c["view"], c["rule_ids"]) for c in data["decision"]["columns"]] == [
        ("tokenized", ["eng-high-tokenized"])
    ]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["--dataset", "orders"],
            "Error: no catalog lists dataset 'orders': give --catalog FILE or name columns with --column",
        ),
        (
            ["--dataset", "customers", "--column", "nope"],
            "Error: {catalog}: dataset 'customers' has no column 'nope'",
        ),
        (
            ["--dataset", "orders", "--catalog", "{catalog}"],
            "Error: {catalog}: no dataset 'orders' in the catalog",
        ),
    ],
)
def test_explain_usage_errors(cli: Cli, args: list[str], error: str) -> None:
    catalog = POLICIES / "tests" / "catalog.yaml"
    filled = [a.format(catalog=catalog) for a in args]
    result = cli(
        "--policy-dir",
        str(POLICIES),
        "policy",
        "explain",
        "--role",
        "analyst",
        "--purpose",
        "analytics",
        *filled,
    )
    assert (result.code, result.err.strip()) == (2, error.format(catalog=catalog))


def test_diff_of_identical_policies_is_empty(cli: Cli) -> None:
    result = cli("policy", "diff", str(POLICIES), str(POLICIES), "--format", "json")
    data = json.loads(result.out)
    assert result.code == 0
    assert data["changes"] == [] and data["old_hash"] == data["new_hash"]
    assert data["decisions"] == 6 * 7 * 47


def test_diff_lists_every_changed_decision_and_can_fail_on_widening(
    cli: Cli, shipped_dir: Path
) -> None:
    baseline = shipped_dir / "rules-baseline.yaml"
    text = baseline.read_text(encoding="utf-8")
    baseline.write_text(
        text.replace(
            "roles: [analyst, marketing, customer_service, engineer, auditor]", "roles: [marketing]"
        ),
        encoding="utf-8",
    )
    result = cli(
        "policy", "diff", str(POLICIES), str(shipped_dir), "--format", "json", "--fail-on-widen"
    )
    data = json.loads(result.out)
    assert result.code == 1
    assert result.err.startswith(f"Error: {shipped_dir}: ") and "widen access" in result.err
    changed = {
        (c["role"], c["purpose"], c["dataset"], c["column"], c["old"], c["new"], c["change"])
        for c in data["changes"]
    }
    # analysts and customer service were never granted ethnicity: still denied by default
    assert changed == {
        ("engineer", "data_quality", "customers", "ethnicity", "deny", "tokenized", "widened"),
        ("data_steward", "data_quality", "customers", "ethnicity", "deny", "masked", "widened"),
        ("data_steward", "security_incident", "customers", "ethnicity", "deny", "raw", "widened"),
    }
    table = cli("policy", "diff", str(POLICIES), str(shipped_dir))
    assert table.code == 0
    assert "3 changed of 1974 decisions" in table.out


def test_diff_needs_a_catalog(cli: Cli, base_dir: Path) -> None:
    result = cli("policy", "diff", str(base_dir), str(base_dir))
    assert (result.code, result.err.strip()) == (
        2,
        "Error: no catalog: give --catalog FILE (or keep one in NEW/tests/catalog.yaml)",
    )


@pytest.mark.parametrize(
    ("flag", "title", "defs"),
    [([], "govkit access policy file", "Rule"), (["--tests"], "govkit policy test file", "Case")],
)
def test_schema(cli: Cli, flag: list[str], title: str, defs: str) -> None:
    result = cli("policy", "schema", *flag)
    data = json.loads(result.out)
    assert result.code == 0
    assert data["title"] == title and defs in data["$defs"]
    assert data["additionalProperties"] is False


def test_explain_scans_a_dataset_file_no_catalog_lists(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "clients.csv"
    shutil.copy(POLICIES.parent / "examples" / "data" / "customers.csv", source)
    result = cli(
        "--policy-dir", str(POLICIES), "policy", "explain", "--format", "json",
        "--role", "engineer", "--purpose", "data_quality", "--dataset", str(source),
        "--column", "id_number", "--column", "phone",
    )  # fmt: skip
    data = json.loads(result.out)
    assert result.code == 0
    assert data["labels_from"] == f"scan of {source}"
    assert {c["column"]: c["view"] for c in data["decision"]["columns"]} == {
        "id_number": "tokenized",
        "phone": "masked",
    }


def test_test_record_writes_a_policy_test_event(cli: Cli, tmp_path: Path) -> None:
    from govkit.audit.store import AuditStore
    from govkit.settings import GovkitSettings

    url = f"sqlite:///{tmp_path}/audit.db"
    result = cli("--audit-url", url, "policy", "test", str(POLICIES), "--record")
    assert result.code == 0
    events = [r.event for r in AuditStore.open(GovkitSettings(audit_url=url)).query()]
    assert [(e["action"], e["outcome"], e["counts"]) for e in events] == [
        ("policy.test", "success", {"passed": 28, "failed": 0})
    ]
    assert events[0]["policy_hash"].startswith("sha256:")
