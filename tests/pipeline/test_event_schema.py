"""One event schema per action: a run records the fields the stage records when called directly.

The run only adds its tags (``run_id``, and ``source`` or ``output_name``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from govkit.audit.api import query_log
from govkit.audit.query import AuditQuery
from govkit.detect.api import scan
from govkit.governor import Governor
from govkit.pipeline.context import pipeline_settings
from govkit.pipeline.model import load_pipeline
from govkit.pipeline.run import run_pipeline
from govkit.settings import GovkitSettings
from tests.pipeline._project import make_project, output

RUN_TAGS = {"run_id", "source", "output_name"}


def _shape(events: list[dict[str, Any]], action: str) -> tuple[Any, ...]:
    (event,) = [e for e in events if e["action"] == action][:1]
    details = set(event["details"]) - RUN_TAGS
    return (event["dataset"], sorted(event["counts"]), sorted(details))


def test_run_events_have_the_stage_events_fields(tmp_path: Path) -> None:
    file = make_project(
        tmp_path / "p",
        sources={"tickets": {"uri": "data/tickets.csv", "suite": "tickets"}},
        outputs=[output("t", "tickets", "analyst", "analytics", "out/t.csv")],
    )
    run_pipeline(file)
    pipeline = load_pipeline(file)
    settings = pipeline_settings(pipeline, GovkitSettings())
    ran = [r.event for r in query_log(settings, AuditQuery())]
    assert all(e["details"].get("run_id") for e in ran if e["action"] != "keys.init")

    direct = Governor(settings.model_copy(update={"audit_url": f"sqlite:///{tmp_path}/direct.db"}))
    source = str(pipeline.base_dir / "data" / "tickets.csv")
    scan(source, context=direct, fail_on="high")  # the stage: records, does not raise
    direct.validate(source, suite=Path(direct.settings.expectations_dir) / "tickets.json")
    direct.protect(source, str(tmp_path / "t.csv"), role="analyst", purpose="analytics")
    alone = [r.event for r in query_log(direct.settings, AuditQuery())]

    for action in ("scan", "validate", "access.decide", "protect"):
        assert _shape(ran, action) == _shape(alone, action), action
