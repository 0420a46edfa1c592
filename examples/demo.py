"""The govkit demo: sample CRM data through the whole governed pipeline.

Run with ``make demo`` (or ``.venv/bin/python examples/demo.py``). It

1. generates a bilingual sample (2,000 customers) into ``examples/out/data`` and shows
   each table's shape and personal columns — no values;
2. runs ``examples/pipeline.yaml`` on that generated data as an orchestrator task would: scan → validate → protect per role → publish all or
   nothing, every step in the embedded SQLite audit store;
3. verifies the audit chain against its signed checkpoint and points to the HTML report.

Everything it writes is under ``examples/out/`` (git-ignored).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``examples`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examples.generate import EXPECTED, TABLES, generate, write
from examples.orchestrator_step import PIPELINE, StepFailed, governed_publish
from govkit.audit.api import verify_log
from govkit.datasets import open_dataset
from govkit.datasets.info import DatasetInfo, describe
from govkit.pipeline.model import Pipeline, load_pipeline
from govkit.pipeline.scaffold import create_local_keys
from govkit.settings import GovkitSettings

OUT = Path(__file__).resolve().parent / "out"
DEMO_CUSTOMERS = 2_000
SEED = 42


def ensure_data(out: Path = OUT) -> dict[str, Path]:
    """Generate the sample tables into ``out/data`` unless they are already there."""
    data = out / "data"
    paths = {t: data / f"{t}.csv" for t in TABLES}
    if not all(p.exists() for p in paths.values()):
        print(f"generating {DEMO_CUSTOMERS:,} customers (seed {SEED}) into {data}")
        write(generate(DEMO_CUSTOMERS, SEED), data, "csv")
    return paths


def summary(info: DatasetInfo, table: str) -> str:
    """One line per table: rows, columns, the personal-data columns it holds, blanks."""
    personal = [c for c, entity in EXPECTED[table].items() if entity]
    blanks = ", ".join(f"{c.name} {c.nulls}" for c in info.columns if c.nulls) or "none"
    return (
        f"{table:<13} {info.rows:>6,} rows  {len(info.columns):>2} columns  "
        f"personal: {', '.join(personal) or '-'}  |  blanks: {blanks}"
    )


def _rebased(path: str, out: Path) -> str:
    """``out/x`` of the pipeline file, under ``out`` (the demo writes nowhere else)."""
    return str(out / path.removeprefix("out/")) if path.startswith("out/") else path


def demo_pipeline(paths: dict[str, Path], out: Path = OUT) -> Pipeline:
    """``examples/pipeline.yaml`` reading the generated tables and writing only under ``out``."""
    pipeline = load_pipeline(PIPELINE)
    for name, source in pipeline.sources.items():
        source.uri = str(paths[name])
    for output in pipeline.outputs:
        output.uri = _rebased(output.uri, out)
    pipeline.reports.dir = _rebased(pipeline.reports.dir, out)
    pipeline.output_roots = [str(out)]  # the demo's outputs are confined to its own folder
    state = out / ".govkit"
    pipeline.audit.url = f"sqlite:///{state / 'audit.db'}"
    pipeline.keys.keyring = str(state / "keyring")
    pipeline.keys.master_key_file = str(state / "master.key")
    return pipeline


def verify_audit(out: Path) -> str:
    """Verify the demo's audit chain (store and key under ``out/.govkit``)."""
    state = out / ".govkit"
    settings = GovkitSettings(
        audit_url=f"sqlite:///{state / 'audit.db'}", master_key_file=state / "master.key"
    )
    result = verify_log(settings)
    verdict = "intact" if result.ok else f"{len(result.findings)} finding(s)"
    return f"{result.events} events verified, chain {verdict}, head {result.head_hash}"


def main(out: Path = OUT) -> int:
    """Run the demo on the data in ``out`` (generated when missing); return the exit code."""
    paths = ensure_data(out)
    print("\n== datasets ==")
    for table, path in paths.items():
        info = describe(open_dataset(str(path)))
        print(summary(info, table))
    print(f"\n== governed pipeline: {PIPELINE.name} ==")
    if not (out / ".govkit" / "keyring").exists():
        create_local_keys(out / ".govkit")
    try:
        result = governed_publish(demo_pipeline(paths, out))
    except StepFailed as exc:
        print(f"pipeline failed (retry={exc.retry}): {exc}", file=sys.stderr)
        return 1
    for name, published in result["outputs"].items():
        print(f"{name:<24} {published['rows']:>6} rows  ->  {published['uri']}")
    print("\n== audit ==")
    print(verify_audit(out))
    print(f"\nsteward report: {result['report']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
