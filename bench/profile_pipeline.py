"""Where a governed run spends its time: per output and per column, by phase.

Run: .venv/bin/python bench/profile_pipeline.py [--customers 200000]

Runs bench_pipeline's no-suites pipeline once with one worker (after a warm-up) with timers wrapped
around the functions each phase goes through, and prints, per output: read (pulling
source batches), write (staging the output: the rest of the output's time), and per
protected column: normalise (``normalized_array``), detect spans (``TextDetector.find`` and
``find_many``), crypto (the per-value primitive loop handed to ``seal``), encode (``tokens``: base64url
and Arrow assembly) and other (dictionary encoding, masks, Arrow kernels, cache look-ups).
Timers nest: an inner phase's time is not counted again in ``other``.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import generated
from bench.bench_pipeline import OUT, write_pipeline

TIMES: dict[tuple[str, str, str], float] = defaultdict(float)
_STACK: list[list[Any]] = []  # [output, column, phase, start, child time]
_WHERE = {"output": "-", "column": "-"}


def _enter(phase: str) -> None:
    _STACK.append([_WHERE["output"], _WHERE["column"], phase, time.perf_counter(), 0.0])


def _leave() -> None:
    output, column, phase, start, child = _STACK.pop()
    spent = time.perf_counter() - start
    TIMES[(output, column, phase)] += spent - child
    if _STACK:
        _STACK[-1][4] += spent


def timed(phase: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` with its own time (minus nested timed calls) added to ``phase``."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _enter(phase)
        try:
            return fn(*args, **kwargs)
        finally:
            _leave()

    return wrapper


def instrument() -> None:
    """Wrap the phase functions (module attributes the transforms look up at call time)."""
    import govkit.detect.text as text
    import govkit.pipeline.protect as pprotect
    import govkit.protect.apply as apply
    import govkit.protect.codec as codec
    import govkit.protect.hash as hash_
    import govkit.protect.siv as siv
    import govkit.protect.tokenize as tokenize

    for module in (hash_, tokenize):
        module.normalized_array = timed("normalise", module.normalized_array)  # type: ignore[attr-defined]
    original_seal = codec.seal

    def seal(values: Any, protect: Callable[[list[bytes]], list[bytes]], **kw: Any) -> Any:
        return original_seal(values, timed("crypto", protect), **kw)

    for module in (hash_, tokenize):
        module.seal = timed("other", seal)  # type: ignore[attr-defined]
    codec.encode = timed("encode", codec.encode)
    codec.encode_ordered = timed("encode", codec.encode_ordered)
    siv.SivEncryptor.encrypt_array = timed("crypto", siv.SivEncryptor.encrypt_array)  # type: ignore[method-assign]
    text.TextDetector.find = timed("detect spans", text.TextDetector.find)  # type: ignore[method-assign]
    text.TextDetector.find_many = timed("detect spans", text.TextDetector.find_many)  # type: ignore[method-assign]

    original_apply = apply.Protector._apply

    def column_apply(self: Any, name: str, column: Any) -> Any:
        _WHERE["column"] = name
        try:
            return timed("other", original_apply)(self, name, column)
        finally:
            _WHERE["column"] = "-"

    apply.Protector._apply = column_apply  # type: ignore[method-assign]
    original_stage = pprotect.stage_output

    def stage_output(pipeline: Any, plan: Any, *rest: Any, **kw: Any) -> Any:
        _WHERE["output"] = plan.spec.name
        dataset = plan.prepared.dataset
        original_batches = dataset.batches

        def batches(*a: Any, **k: Any) -> Iterator[Any]:
            it = original_batches(*a, **k)
            while True:
                _enter("read")
                try:
                    batch = next(it)
                except StopIteration:
                    return
                finally:
                    _leave()
                yield batch

        dataset.batches = batches
        try:
            return timed("write", original_stage)(pipeline, plan, *rest, **kw)
        finally:
            dataset.batches = original_batches
            _WHERE["output"] = "-"

    pprotect.stage_output = stage_output  # type: ignore[assignment]
    import govkit.pipeline.run as run

    run.stage_output = stage_output  # type: ignore[attr-defined,assignment]


def main() -> None:
    """Warm up, instrument, run once, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument(
        "--no-warmup", action="store_true", help="skip the warm-up run (imports, page cache)"
    )
    args = parser.parse_args()
    print("load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    data = generated(args.customers, "csv")
    folder = OUT / f"profile-{args.customers}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    from govkit.pipeline.run import run_pipeline
    from govkit.pipeline.scaffold import create_local_keys

    create_local_keys(folder / ".govkit")
    pipeline = write_pipeline(data, folder, suites=False)
    if not args.no_warmup:
        run_pipeline(pipeline, workers=1)
    instrument()
    start = time.perf_counter()
    report = run_pipeline(pipeline, workers=1)  # timers see this process only
    wall = time.perf_counter() - start
    print(f"run: {wall:.2f} s; phases {report.timings}")
    phases = ["read", "normalise", "detect spans", "crypto", "encode", "other", "write"]
    outputs = sorted({o for o, _, _ in TIMES})
    print(f"{'output':<24} {'column':<18} " + " ".join(f"{p:>12}" for p in phases))
    for output in outputs:
        columns = sorted({c for o, c, _ in TIMES if o == output})
        for column in columns:
            row = [TIMES.get((output, column, p), 0.0) for p in phases]
            if sum(row) >= 0.01:
                print(f"{output:<24} {column:<18} " + " ".join(f"{v:12.2f}" for v in row))
    totals = [sum(v for (_, _, p), v in TIMES.items() if p == ph) for ph in phases]
    print(f"{'TOTAL':<24} {'':<18} " + " ".join(f"{v:12.2f}" for v in totals))
    print("load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
