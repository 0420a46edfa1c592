"""Protect outputs side by side in worker processes (``workers:`` > 1), one output per task.

Each worker opens the output's source and the keyring itself (nothing unpicklable
crosses the process boundary) and writes the output to its staging place; the
parent collects the staged outputs into its :class:`Publisher`, which publishes
all of them or none exactly as in a single-process run. Workers never touch the
audit store: the parent records every event. On Linux workers are forked, so the
libraries and engines the parent has loaded are not loaded again.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from govkit.pipeline.classify import open_source
from govkit.pipeline.model import Pipeline
from govkit.pipeline.plan import OutputPlan
from govkit.pipeline.protect import stage_output
from govkit.pipeline.publish import Publisher
from govkit.pipeline.tables import Staged
from govkit.settings import GovkitSettings


@dataclass
class StagedOutput:
    """What a worker hands back: the staged output, its row counts, directories it made."""

    staged: Staged
    rows_in: int
    rows_out: int
    made: list[Path]


def stage_one(pipeline: Pipeline, plan: OutputPlan, settings: GovkitSettings) -> StagedOutput:
    """Stage one output (runs in a worker); cleans up after itself when it fails."""
    from govkit.protect.keys import open_keyring

    publisher = Publisher()
    try:
        dataset = open_source(pipeline, plan.spec.source)
        stage_output(pipeline, plan, dataset, open_keyring(settings), publisher)
    except BaseException:
        publisher.abort()
        raise
    return StagedOutput(
        staged=publisher.staged[0],
        rows_in=plan.report.rows_in or 0,
        rows_out=plan.report.rows_out or 0,
        made=publisher.made,
    )


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def stage_parallel(
    pipeline: Pipeline,
    plans: list[OutputPlan],
    settings: GovkitSettings,
    publisher: Publisher,
    workers: int,
) -> None:
    """Stage every output in a pool of ``workers`` processes; fill the plans' row counts.

    Every output that did stage joins ``publisher`` (so leaving its ``with`` block
    discards it); the first failure, in output order, is raised after all finished.
    """
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        futures: list[Future[StagedOutput]] = [
            pool.submit(stage_one, pipeline, plan, settings) for plan in plans
        ]
        error: BaseException | None = None
        for plan, future in zip(plans, futures, strict=True):
            try:
                done = future.result()
            except Exception as exc:  # noqa: BLE001 - re-raised below, after cleanup is possible
                if error is None:
                    error = exc
                    for rest in futures:
                        rest.cancel()
                continue
            publisher.staged.append(done.staged)
            publisher.made.extend(done.made)
            plan.report.rows_in = done.rows_in
            plan.report.rows_out = done.rows_out
            plan.report.rows_filtered = done.rows_in - done.rows_out
    if error is not None:
        raise error
