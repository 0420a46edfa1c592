"""CLI: ``govkit audit verify|query|export|report|checkpoint`` — the tamper-evident log."""

from __future__ import annotations

import csv
import enum
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from govkit.cli._output import FormatOption, OutputFormat, print_json, print_table, progress, say

if TYPE_CHECKING:
    from govkit.audit.findings import VerifyResult
    from govkit.audit.query import AuditQuery

audit_app = typer.Typer(
    name="audit",
    help="Verify, query, export and report on the tamper-evident audit log.",
    no_args_is_help=True,
)


class QueryFormat(enum.StrEnum):
    """Output formats of ``audit query``."""

    table = "table"
    json = "json"
    csv = "csv"


class ExportFileFormat(enum.StrEnum):
    """File formats of ``audit export``."""

    jsonl = "jsonl"
    csv = "csv"


Since = Annotated[
    str | None, typer.Option(help="From this time (UTC ISO date/datetime, or 30m/12h/7d/2w ago).")
]
Until = Annotated[str | None, typer.Option(help="Before this time (same forms as --since).")]
Actor = Annotated[str | None, typer.Option(help="Only this actor.")]
Role = Annotated[str | None, typer.Option(help="Only this role.")]
Action = Annotated[str | None, typer.Option(help="Only this action (scan, protect, reveal …).")]
Dataset = Annotated[
    str | None, typer.Option(help="Only this dataset URI (a trailing * matches a prefix).")
]
Outcome = Annotated[str | None, typer.Option(help="Only success, failure or denied.")]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="Replace existing files.")]


def _filters(**given: object) -> AuditQuery:
    from govkit.audit.query import AuditQuery

    return AuditQuery.model_validate(given)


def _render_verify(result: VerifyResult) -> None:
    for f in result.findings:
        where = f"seq {f.seq}" if f.seq == f.seq_end else f"seq {f.seq}-{f.seq_end}"
        print(f"{f.kind:<13} {where}: {f.message}")
    print(f"{result.events} events verified")
    if result.ok:
        say(f"ok: chain {result.chain_id}, {result.anchored} events anchored by a checkpoint")


@audit_app.command("verify")
def verify(
    checkpoint: Annotated[
        list[Path] | None,
        typer.Option(help="Checkpoint file(s) to check (default: the one beside the store)."),
    ] = None,
    record: Annotated[
        bool, typer.Option(help="Record an audit.verify event after a clean verify.")
    ] = True,
    export: Annotated[
        Path | None,
        typer.Option(help="Verify an exported JSONL/CSV file offline instead of the store."),
    ] = None,
    public_key: Annotated[
        str | None, typer.Option(help="With --export: the published public key (base64).")
    ] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Stream the chain and report findings; exit 1 on any integrity finding.

    Example: govkit audit verify --checkpoint witness/audit.db.checkpoint
    """
    from govkit.audit.api import verify_log
    from govkit.cli._state import STATE
    from govkit.errors import TamperDetectedError, UsageError

    if export is not None:
        from govkit.audit.offline import verify_export

        if checkpoint and len(checkpoint) > 1:
            raise UsageError("--export takes at most one --checkpoint")
        result = verify_export(
            export, checkpoint=checkpoint[0] if checkpoint else None, public_key=public_key
        )
    elif public_key is not None:
        raise UsageError("--public-key only applies with --export")
    else:
        with progress("audit verify"):
            result = verify_log(
                STATE.settings(), checkpoint_files=checkpoint or None, record=record
            )
    if format is OutputFormat.json:
        print_json(result)
    else:
        _render_verify(result)
    if not result.ok:
        kinds = sorted({f.kind for f in result.findings if f.severity == "error"})
        raise TamperDetectedError(
            f"{result.store}: audit log failed verification: {result.errors} integrity "
            f"finding(s) ({', '.join(kinds)})"
        )


@audit_app.command("query")
def query(
    since: Since = None,
    until: Until = None,
    actor: Actor = None,
    role: Role = None,
    action: Action = None,
    dataset: Dataset = None,
    outcome: Outcome = None,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    format: Annotated[QueryFormat, typer.Option("--format", "-f", help="table, json or csv.")] = (
        QueryFormat.table
    ),
) -> None:
    """List events matching all given filters, in chain order.

    Example: govkit audit query --since 7d --action reveal --format json
    """
    from govkit.audit.api import query_log
    from govkit.cli._state import STATE

    filters = _filters(
        since=since, until=until, actor=actor, role=role, action=action,
        dataset=dataset, outcome=outcome, limit=limit,
    )  # fmt: skip
    records = query_log(STATE.settings(), filters)
    if format is QueryFormat.json:
        print_json([{"seq": r.seq, "hash": r.hash, **r.event} for r in records])
        return
    columns = ["seq", "ts", "actor", "role", "purpose", "action", "outcome", "dataset",
               "columns", "reason"]  # fmt: skip
    rows = [
        [r.seq, *(r.event.get(c) for c in columns[1:8]),
         ",".join(r.event.get("columns") or []), r.event.get("reason")]
        for r in records
    ]  # fmt: skip
    if format is QueryFormat.csv:
        from govkit.datasets.cells import keep_formulas, neutralise_cell

        safe = (lambda v: v) if keep_formulas() else neutralise_cell
        writer = csv.writer(sys.stdout)
        writer.writerow([*columns, "rule_ids", "counts"])
        for r, row in zip(records, rows, strict=True):
            ev = r.event
            extra = [",".join(ev.get("rule_ids") or [])]
            writer.writerow([*("" if v is None else safe(v) for v in row + extra),
                             json.dumps(ev.get("counts") or {}, sort_keys=True)])  # fmt: skip
        return
    if not STATE.wide:  # the short set: time to the second, a file by its name
        rows = [[row[0], _short_ts(row[1]), *row[2:7], _short_name(row[7]), *row[8:]]
                for row in rows]  # fmt: skip
    print_table(
        f"{len(records)} events",
        columns,
        rows,
        wide_only=("role", "columns", "reason"),
        whole=("ts",),
    )


def _short_name(dataset: object) -> str:
    """A file path by its last part (``--wide`` shows the whole identity)."""
    text = "" if dataset is None else str(dataset)
    return text if "://" in text else text.rsplit("/", 1)[-1]


def _short_ts(ts: object) -> str:
    """``2026-12-05T10:50:08.245565Z`` → ``12-05 10:50`` (UTC), for the narrow table."""
    text = "" if ts is None else str(ts)
    if len(text) < 16:
        return text
    return f"{text[5:10]} {text[11:16]}"


@audit_app.command("export")
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="Export file (.jsonl or .csv).")],
    format: Annotated[
        ExportFileFormat, typer.Option("--format", "-f", help="jsonl or csv.")
    ] = ExportFileFormat.jsonl,
    since: Since = None,
    until: Until = None,
    actor: Actor = None,
    action: Action = None,
    overwrite: Overwrite = False,
) -> None:
    """Write the log and its signed checkpoint (OUTPUT.checkpoint.json) for an external auditor.

    Example: govkit audit export --output audit-2026Q4.jsonl
    """
    from govkit.audit.api import export_audit
    from govkit.cli._state import STATE

    filters = _filters(since=since, until=until, actor=actor, action=action)
    with progress("audit export"):
        result = export_audit(
            STATE.settings(), output, fmt=format.value, filters=filters, overwrite=overwrite
        )
    say(f"{result.events} events → {result.output}; checkpoint → {result.checkpoint_file}")


@audit_app.command("report")
def report(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="File to write: HTML, or JSON (--format json or .json)."
        ),
    ],
    since: Since = None,
    until: Until = None,
    verify: Annotated[bool, typer.Option(help="Verify the chain for the report.")] = True,
    overwrite: Overwrite = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Write a period summary (HTML, or JSON with --format json): high-tier access, denials, purposes.

    Example: govkit audit report --since 2026-10-01 --until 2026-11-01 --output oct.html
    """
    from govkit.audit.api import period_report
    from govkit.cli._state import STATE

    as_json = format is OutputFormat.json or output.suffix.lower() == ".json"
    made = period_report(
        STATE.settings(),
        output,
        since=since,
        until=until,
        verify=verify,
        overwrite=overwrite,
        as_json=as_json,
    )
    high = {line.actor for line in made.high_tier_access if line.actor}
    say(
        f"{made.events} events, {len(made.denials)} denials, {len(made.high_tier_access)} "
        f"high-tier access(es) by {', '.join(sorted(high)) or 'nobody'} → {output}"
    )
    if made.verification is not None and not made.verification.ok:
        say(
            f"warning: {made.verification.errors} integrity finding(s); see the report's first section"
        )


@audit_app.command("checkpoint")
def checkpoint(format: FormatOption = OutputFormat.table) -> None:
    """Sign the current head and print it (keep a copy elsewhere as a witness).

    Example: govkit audit checkpoint --format json > witness/$(date +%F).json
    """
    from govkit.audit.api import sign_checkpoint_now
    from govkit.audit.checkpoints import FORMAT
    from govkit.cli._state import STATE

    cp = sign_checkpoint_now(STATE.settings())
    if format is OutputFormat.json:
        print_json({"format": FORMAT, **cp.model_dump()})
    else:
        print_table("checkpoint", ["field", "value"], list(cp.model_dump().items()))


def register(app: typer.Typer) -> None:
    """Add the ``audit`` group to the app."""
    app.add_typer(audit_app)
