"""The console's test project: the demo pipeline run once, plus hostile names, users and a client."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from govkit.audit.store import AuditStore
from govkit.catalog import load_catalog, save_catalog
from govkit.console.accounts import UserStore
from govkit.console.config import ConsoleConfig, from_project, state_dir_for
from govkit.governor import Governor
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PASSWORD = "correct horse battery"
XSS = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(2)>'
USERS = {"stella": ["steward"], "audrey": ["auditor"], "bob": ["auditor", "steward"]}


@dataclass
class Project:
    """A relocated demo project that has run once."""

    root: Path
    pipeline: Path
    settings: GovkitSettings
    catalog: Path
    reports_dir: Path

    def config(self, **options: object) -> ConsoleConfig:
        settings, catalog, reports = from_project(GovkitSettings(), pipeline=self.pipeline)
        return ConsoleConfig(
            settings=settings, state_dir=state_dir_for(settings), catalog=self.catalog,
            reports_dir=reports, **options,  # type: ignore[arg-type]
        )  # fmt: skip


def _relocate(root: Path) -> Path:
    spec = yaml.safe_load((EXAMPLES / "pipeline.yaml").read_text(encoding="utf-8"))
    for source in spec["sources"].values():
        source["uri"] = str(EXAMPLES / source["uri"])
    spec["scan"]["catalog"] = str((EXAMPLES / spec["scan"]["catalog"]).resolve())
    spec["policies"] = str((EXAMPLES / spec["policies"]).resolve())
    spec["expectations"] = str((EXAMPLES / spec["expectations"]).resolve())
    path = root / "pipeline.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def _hostile_catalog(project_catalog: Path, target: Path) -> Path:
    """The demo catalog plus a dataset whose column names are markup."""
    cat = load_catalog(project_catalog)
    hostile = cat.datasets["customers"].model_copy(deep=True)
    first = next(iter(hostile.columns.values())).model_copy(update={"sensitivity": "high"})
    hostile.columns = {XSS: first, XSS_IMG: first}
    cat.datasets["hostile"] = hostile
    save_catalog(cat, target)
    return target


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The demo pipeline, relocated to a temp dir and run once; users added; hostile events."""
    from examples.orchestrator_step import ensure_demo_keys, governed_publish

    root = tmp_path_factory.mktemp("console-project")
    pipeline = _relocate(root)
    ensure_demo_keys(pipeline)
    governed_publish(pipeline)
    settings, catalog, reports = from_project(GovkitSettings(), pipeline=pipeline)
    assert catalog is not None and reports is not None
    users = UserStore(state_dir_for(settings) / "console-users.json")
    for name, user_roles in USERS.items():
        users.add(name, PASSWORD, user_roles)
    hostile = settings.model_copy(update={"actor": XSS})
    Governor(hostile).record(
        AuditEvent(
            action="scan", dataset=f"/data/{XSS_IMG}.csv", columns=[XSS],
            reason=XSS, details={"note": XSS, "other": XSS_IMG},
        )
    )  # fmt: skip
    return Project(
        root, pipeline, settings, _hostile_catalog(catalog, root / "catalog.yaml"), reports
    )


@pytest.fixture()
def store(project: Project) -> Iterator[AuditStore]:
    opened = AuditStore.open(project.settings, create=False)
    yield opened
    opened.close()


def raw_values(limit: int = 200) -> set[str]:
    """Raw personal values of the demo data (customers' personal columns), for leak checks."""
    from examples.generate import EXPECTED

    found: set[str] = set()
    for table, columns in EXPECTED.items():
        personal = [c for c, entity in columns.items() if entity]
        with (EXAMPLES / "data" / f"{table}.csv").open(encoding="utf-8") as handle:
            for i, row in enumerate(csv.DictReader(handle)):
                if i >= limit:
                    break
                for column in personal:
                    value = (row.get(column) or "").strip()
                    if len(value) >= 6 and not re.fullmatch(r"[\d.\-: ]{1,10}", value):
                        found.add(value)
    return found
