"""A governed pipeline step, called the way an Airflow, Dagster or Prefect task would.

No orchestrator is imported: the task body is a plain function. Wrap it in
``@task`` (Airflow/Prefect) or ``@op`` (Dagster) as it is. The step

* makes one :class:`~govkit.governor.Governor` per worker (settings, audit store and
  keys are loaded once and reused for every run in that worker);
* runs the pipeline file, which publishes every output or none;
* tells the orchestrator apart "the data is not compliant" (do not retry: a steward
  must look) from "the tool could not work" (retry later), by the error's branch;
* hands downstream tasks only names, counts and the report path — never data values.

Run it locally: ``.venv/bin/python examples/orchestrator_step.py`` (creates demo keys
under examples/out/.govkit on first use).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script from a checkout: make govkit importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govkit.errors import ComplianceFailure, GovkitError, OperationalError
from govkit.governor import Governor
from govkit.pipeline.api import run
from govkit.pipeline.model import Pipeline

PIPELINE = Path(__file__).resolve().parent / "pipeline.yaml"


class StepFailed(RuntimeError):
    """What the orchestrator sees; ``retry`` says whether trying again can help."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


@cache
def worker_governor() -> Governor:
    """One Governor per worker process (settings from ``GOVKIT_*`` variables)."""
    return Governor()


def governed_publish(pipeline: Pipeline | str | Path = PIPELINE) -> dict[str, Any]:
    """The task body: run the governed pipeline; return what downstream tasks may see.

    Raises:
        StepFailed: ``retry=False`` for a compliance failure (PII over the gate, failed
            expectations, a denied role), ``retry=True`` when the tool could not work
            (database or audit store down, missing key).
    """
    try:
        report = run(pipeline, governor=worker_governor())
    except ComplianceFailure as exc:
        raise StepFailed(f"not compliant, nothing published: {exc}", retry=False) from exc
    except OperationalError as exc:
        raise StepFailed(f"could not run, nothing published: {exc}", retry=True) from exc
    except GovkitError as exc:  # usage errors: a bug in the task's arguments
        raise StepFailed(str(exc), retry=False) from exc
    return {
        "run_id": report.run_id,
        "outputs": {
            o.name: {"uri": o.destination, "table": o.table, "rows": o.rows_out}
            for o in report.outputs
        },
        "report": report.report_html,
        "audit_head": report.audit.checkpoint.head_hash
        if report.audit and report.audit.checkpoint
        else None,
    }


def ensure_demo_keys(pipeline: Path) -> None:
    """Create the demo's local master key and keyring once (production: a secret store)."""
    from govkit.pipeline.scaffold import create_local_keys

    key_dir = pipeline.parent / "out" / ".govkit"
    if not (key_dir / "keyring").exists():
        create_local_keys(key_dir)


def main() -> int:
    """Run the step on the demo pipeline and print what a downstream task would receive."""
    ensure_demo_keys(PIPELINE)
    try:
        result = governed_publish(PIPELINE)
    except StepFailed as exc:
        print(f"step failed (retry={exc.retry}): {exc}", file=sys.stderr)
        return 1
    for name, out in result["outputs"].items():
        print(f"{name:<24} {out['rows']:>6} rows  {out['uri']}")
    print(f"report: {result['report']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
