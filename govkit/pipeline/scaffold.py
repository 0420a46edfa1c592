"""``govkit init DIR``: a governance project that runs as is on the sample data.

Creates ``govkit.yaml`` (the project settings every command finds), ``pipeline.yaml``, ``policies/`` and ``expectations/`` (copies of the shipped
defaults), ``catalog.yaml`` (the steward-reviewed catalog of the sample data),
``data/`` (the sample tables), a ``.gitignore`` that keeps keys, the audit database,
outputs and reports out of version control, and — unless told not to — a master
key file and keyring under ``.govkit/``.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from govkit.errors import ConfigError, UsageError
from govkit.governor import Governor
from govkit.models import AuditEvent
from govkit.settings import PACKAGE_DEFAULTS, PROJECT_FILE, GovkitSettings

SAMPLE_DIRS = (
    PACKAGE_DEFAULTS / "sample",  # package data, when the package ships the sample
    Path(__file__).resolve().parent.parent.parent / "examples" / "data",  # a checkout
)
SAMPLE_TABLES = ("customers", "tickets", "transactions", "feedback")
CATALOG_IN_POLICIES = Path("tests") / "catalog.yaml"

KNOWN_PROBLEMS: dict[str, tuple[str, ...]] = {
    # the generator's deliberate defects: blanks, malformed emails, phones typed in
    # many ways, duplicate customers; out-of-range scores, negative response times
    "customers": ("CUST-006", "CUST-007", "CUST-008", "CUST-010", "CUST-018"),
    "feedback": ("FB-006", "FB-007"),
}

GITIGNORE = """\
# govkit: never commit key material, the audit database, outputs or reports
.govkit/
*.key
out/
reports/
"""

OUTPUTS: tuple[tuple[str, str, str, str, str], ...] = (
    # name, source, role, purpose, destination
    ("customers_analytics", "customers", "analyst", "analytics", "out/analytics/customers.parquet"),
    ("tickets_analytics", "tickets", "analyst", "analytics", "out/analytics/tickets.parquet"),
    (
        "transactions_analytics",
        "transactions",
        "analyst",
        "analytics",
        "out/analytics/transactions.parquet",
    ),
    ("feedback_analytics", "feedback", "analyst", "analytics", "out/analytics/feedback.parquet"),
    ("customers_marketing", "customers", "marketing", "marketing", "out/marketing/customers.csv"),
    (
        "tickets_service",
        "tickets",
        "customer_service",
        "customer_service",
        "out/service/tickets.csv",
    ),
)


def project_yaml(*, keys: bool) -> str:
    """The project settings file (found from any folder below it; see docs/cli.md)."""
    lines = [
        "# govkit project settings: every govkit command run in this folder or below reads",
        "# them. Environment variables (GOVKIT_*) override them, command-line flags override",
        "# both; `govkit config` shows each value and where it came from. Paths are relative",
        "# to this file. No secrets here: the master key stays in its own 0600 file.",
        "policy_dir: policies",
        "expectations_dir: expectations",
        "audit_url: sqlite:///.govkit/audit.db",
        "keyring: .govkit/keyring",
    ]
    if keys:
        lines.append("master_key_file: .govkit/master.key   # production: GOVKIT_MASTER_KEY")
    return "\n".join(lines) + "\n"


def pipeline_yaml(name: str, *, keys: bool) -> str:
    """The scaffolded pipeline file (commented, so it reads as documentation)."""
    lines = [
        "# A govkit pipeline: scan -> validate (raw data) -> protect per role -> publish all",
        "# outputs or none -> audit. Run: govkit run pipeline.yaml   (plan: --dry-run)",
        "version: 1",
        f"name: {json.dumps(name, ensure_ascii=False)}",
        "",
        "sources:",
    ]
    for table in SAMPLE_TABLES:
        lines += [f"  {table}:", f"    uri: data/{table}.csv", f"    suite: {table}"]
        if KNOWN_PROBLEMS.get(table):
            lines += [
                "    # known problems of the sample data: reported, not blocking (remove to enforce)",
                f"    warn: [{', '.join(KNOWN_PROBLEMS[table])}]",
            ]
    lines += [
        "",
        "scan:",
        "  catalog: catalog.yaml      # reviewed classification; its entries win over the scan",
        "  fail_on: high              # exit 1 on a high-tier column the catalog does not cover",
        "",
        "policies: policies",
        "expectations: expectations",
        "",
        "outputs:",
    ]
    for out_name, source, role, purpose, uri in OUTPUTS:
        lines += [
            f"  - name: {out_name}",
            f"    source: {source}",
            f"    role: {role}",
            f"    purpose: {purpose}",
            f"    uri: {uri}",
        ]
    lines += ["", "audit:", "  url: sqlite:///.govkit/audit.db", ""]
    if keys:
        lines += [
            "keys:",
            "  keyring: .govkit/keyring",
            "  master_key_file: .govkit/master.key   # production: GOVKIT_MASTER_KEY from a vault",
            "",
        ]
    lines += ["reports:", "  dir: reports", ""]
    return "\n".join(lines)


@dataclass
class ScaffoldResult:
    """What ``govkit init`` created."""

    directory: Path
    files: list[Path] = field(default_factory=list)


def _sample_data(given: Path | None) -> Path:
    candidates = [given] if given else [d for d in SAMPLE_DIRS if d.is_dir()] or [SAMPLE_DIRS[-1]]
    folder = candidates[0]
    missing = [t for t in SAMPLE_TABLES if not (folder / f"{t}.csv").is_file()]
    if missing:
        raise ConfigError(
            f"{folder}: sample data not found ({', '.join(m + '.csv' for m in missing)}); "
            "generate it with examples/generate.py and pass --sample-data DIR"
        )
    return folder


def _defaults(name: str) -> Path:
    folder = (PACKAGE_DEFAULTS / name).resolve()
    if not folder.is_dir():
        raise ConfigError(f"{folder}: the shipped default {name} are missing")
    return folder


def create_local_keys(key_dir: Path, governor: Governor | None = None) -> list[Path]:
    """Create a master key file (mode 0600) and a keyring in ``key_dir`` for local use.

    Production keeps the master key in a secret store (``GOVKIT_MASTER_KEY``); this is
    for a scaffolded project or a demo. Records ``keys.init`` in ``key_dir/audit.db``.

    Raises:
        UsageError: a master key file or keyring already exists there.
    """
    from govkit.protect.keys import open_keyring

    key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_file = key_dir / "master.key"
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise UsageError(f"{key_file}: a master key file already exists") from exc
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(base64.b64encode(secrets.token_bytes(32)).decode("ascii") + "\n")
    base = governor.settings if governor is not None else GovkitSettings()
    settings = base.model_copy(
        update={
            "keyring": key_dir / "keyring",
            "master_key_file": key_file,
            "master_key": None,
            "audit_url": f"sqlite:///{(key_dir / 'audit.db').resolve()}",
        }
    )
    ring = open_keyring(settings, create=True)
    Governor(settings).record(
        AuditEvent(
            action="keys.init",
            counts={"keys": len(ring.list())},
            details={"keyring": str(settings.keyring)},
        )
    )
    return [key_file, key_dir / "keyring"]


def scaffold(
    directory: Path,
    *,
    force: bool = False,
    keys: bool = True,
    sample_data: Path | None = None,
    governor: Governor | None = None,
) -> ScaffoldResult:
    """Create a governance project in ``directory``.

    Args:
        directory: where to create it (made if missing).
        force: write into a directory that already has files (existing files are kept).
        keys: create ``.govkit/master.key`` (mode 0600) and a keyring, so the project runs
            at once; without, set ``GOVKIT_MASTER_KEY`` and run ``govkit keys init``.
        sample_data: folder with the sample CSVs (default: ``govkit/defaults/sample``,
            else the repository's ``examples/data``).
        governor: whose settings the keyring is created with (actor for the audit event).

    Raises:
        UsageError: the directory is not empty and ``force`` is not given.
        ConfigError: the shipped defaults or the sample data are missing.
    """
    if directory.exists() and any(directory.iterdir()) and not force:
        raise UsageError(f"{directory}: directory is not empty (pass --force to add to it)")
    data = _sample_data(sample_data)
    policies, expectations = _defaults("policies"), _defaults("expectations")
    directory.mkdir(parents=True, exist_ok=True)
    result = ScaffoldResult(directory)

    def write(rel: str, text: str) -> None:
        path = directory / rel
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            result.files.append(path)

    for src, rel in ((policies, "policies"), (expectations, "expectations")):
        if not (directory / rel).exists():
            shutil.copytree(src, directory / rel)
            result.files.append(directory / rel)
    catalog = policies / CATALOG_IN_POLICIES
    write("catalog.yaml", catalog.read_text(encoding="utf-8"))
    (directory / "data").mkdir(exist_ok=True)
    for table in SAMPLE_TABLES:
        target = directory / "data" / f"{table}.csv"
        if not target.exists():
            shutil.copyfile(data / f"{table}.csv", target)
            result.files.append(target)
    write("pipeline.yaml", pipeline_yaml(directory.resolve().name or "govkit", keys=keys))
    write(".gitignore", GITIGNORE)
    write(PROJECT_FILE, project_yaml(keys=keys))
    if keys and not (directory / ".govkit" / "master.key").exists():
        result.files += create_local_keys(directory / ".govkit", governor)
    return result
