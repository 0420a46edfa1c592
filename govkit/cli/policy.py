"""CLI: ``govkit policy check|explain|test|diff|schema`` over ``govkit.policy``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from govkit.cli._output import FormatOption, OutputFormat, print_json, print_table, say

DirArg = Annotated[
    Path | None,
    typer.Argument(help="Policy directory (default: --policy-dir / GOVKIT_POLICY_DIR)."),
]
CatalogOption = Annotated[
    Path | None,
    typer.Option("--catalog", help="Catalog file with the column labels (govkit scan --catalog)."),
]


def _policy_dir(given: Path | None) -> Path:
    from govkit.cli._state import STATE

    return given if given is not None else STATE.settings().policy_dir


def check(path: DirArg = None, format: FormatOption = OutputFormat.table) -> None:
    """Validate a policy directory: schema, roles, purposes, entities, tags, cycles.

    Example: govkit policy check policies
    """
    from govkit.policy.loader import load_policies, policy_files

    folder = _policy_dir(path)
    policies = load_policies(folder)
    summary = {
        "path": str(folder),
        "files": [str(p) for p in policy_files(folder)],
        "roles": len(policies.roles),
        "purposes": len(policies.purposes),
        "tags": len(policies.tags),
        "rules": len(policies.rules),
        "policy_hash": policies.bundle_hash,
    }
    if format is OutputFormat.json:
        print_json(summary)
        return
    print(
        f"{folder}: ok — {summary['roles']} roles, {summary['purposes']} purposes, "
        f"{summary['tags']} tags, {summary['rules']} rules; policy {policies.bundle_hash}"
    )


def explain(
    role: Annotated[str, typer.Option("--role", help="The requesting role.")],
    purpose: Annotated[str, typer.Option("--purpose", help="The declared purpose.")],
    dataset: Annotated[str, typer.Option("--dataset", help="Dataset name or file path.")],
    column: Annotated[
        list[str] | None, typer.Option("--column", help="Only this column (repeatable).")
    ] = None,
    catalog: CatalogOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Explain what a role sees of a dataset for a purpose: views, rows, rules, role path.

    Labels come from --catalog, else the policy directory's tests/catalog.yaml, else the
    --column names alone, judged as high tier (only rules that select by name or by the
    high tier can match them).

    Example: govkit policy explain --role analyst --purpose analytics --dataset customers
    """
    from govkit.policy.explain import explain as explain_decision
    from govkit.policy.loader import load_policies

    folder = _policy_dir(None)
    result = explain_decision(
        load_policies(folder),
        role=role,
        purpose=purpose,
        dataset=dataset,
        columns=column or [],
        catalog=catalog,
        policy_dir=folder,
    )
    if format is OutputFormat.json:
        print_json(result)
        return
    d = result.decision
    print(f"{d.role} / {d.purpose} / {d.dataset}: {d.reason}")
    print(f"role path: {' > '.join(d.role_path) or '(none)'}")
    rows = d.row_filter.describe() if d.row_filter else ("all rows" if d.allowed else "no rows")
    row_ids = f"  [{', '.join(d.row_filter.rule_ids)}]" if d.row_filter else ""
    print(f"rows: {rows}{row_ids}")
    print_table(
        None,
        ["column", "view", "reason", "rules"],
        [(c.column, c.view, c.reason, ", ".join(c.rule_ids)) for c in d.columns],
    )
    for rule in result.rules:
        effect = f"{rule.effect} {rule.view}" if rule.view else rule.effect
        print(f"  {rule.id}: {effect} ({rule.file}) {rule.description}".rstrip())
    print(f"labels from: {result.labels_from}; policy {d.policy_hash}")


def test(
    path: DirArg = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List passing cases too.")
    ] = False,
    record: Annotated[
        bool, typer.Option("--record", help="Record a policy.test event in the audit log.")
    ] = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Run the policy test cases in DIR/tests/*.yaml; exit 1 on any failure.

    Example: govkit policy test policies
    """
    from govkit.policy.loader import load_policies
    from govkit.policy.testing import run_tests

    folder = _policy_dir(path)
    report = run_tests(load_policies(folder), folder)
    if record:
        from govkit.cli._state import STATE
        from govkit.policy.audit import test_run_event

        STATE.governor().record(test_run_event(report, str(folder)))
    if format is OutputFormat.json:
        print_json(report)
    else:
        for case in report.cases:
            if case.passed and verbose:
                print(f"PASS {case.file}: {case.name}")
            if not case.passed:
                print(f"FAIL {case.file}: {case.name}")
                for line in case.diff:
                    print(f"    {line}")
        print(f"{report.passed} passed, {report.failed} failed")
    if report.failed:
        from govkit.errors import PolicyTestFailedError

        raise PolicyTestFailedError(
            f"{folder}: {report.failed} of {report.passed + report.failed} policy test case(s) failed"
        )


def diff(
    old: Annotated[Path, typer.Argument(help="The current policy directory.")],
    new: Annotated[Path, typer.Argument(help="The proposed policy directory.")],
    catalog: CatalogOption = None,
    fail_on_widen: Annotated[
        bool, typer.Option("--fail-on-widen", help="Exit 1 when any access widens.")
    ] = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """List every decision that changes between two policy versions (roles × purposes × columns).

    The catalog defaults to NEW/tests/catalog.yaml, else OLD/tests/catalog.yaml.

    Example: govkit policy diff policies proposed/policies --fail-on-widen
    """
    from govkit.errors import UsageError
    from govkit.policy.catalogs import read_catalog, reference_catalog
    from govkit.policy.diff import diff_policies
    from govkit.policy.loader import load_policies

    source = catalog or reference_catalog(new) or reference_catalog(old)
    if source is None:
        raise UsageError("no catalog: give --catalog FILE (or keep one in NEW/tests/catalog.yaml)")
    result = diff_policies(load_policies(old), load_policies(new), read_catalog(source))
    if format is OutputFormat.json:
        print_json(result)
    else:
        print_table(
            f"{len(result.changes)} changed of {result.decisions} decisions",
            ["role", "purpose", "dataset", "column", "old", "new", "change", "new rules"],
            [
                (
                    c.role,
                    c.purpose,
                    c.dataset,
                    c.column,
                    c.old,
                    c.new,
                    c.change,
                    ", ".join(c.new_rule_ids),
                )
                for c in result.changes
            ],
        )
        say(f"old {result.old_hash}\nnew {result.new_hash}")
    if fail_on_widen and result.widened:
        from govkit.errors import AccessWidenedError

        raise AccessWidenedError(
            f"{new}: {sum(c.change == 'widened' for c in result.changes)} decision(s) "
            f"widen access compared with {old}"
        )


def schema(
    tests: Annotated[
        bool, typer.Option("--tests", help="The schema of policy test files instead.")
    ] = False,
) -> None:
    """Print the JSON Schema of access-policy files (or test files) for editors.

    Example: govkit policy schema > policy.schema.json
    """
    from govkit.policy.schema import policy_schema

    print_json(policy_schema("test" if tests else "policy"))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    group = typer.Typer(
        name="policy",
        help="Role-based access policies: check, explain, test, diff, schema.",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    group.command()(check)
    group.command()(explain)
    group.command()(test)
    group.command()(diff)
    group.command()(schema)
    app.add_typer(group)
