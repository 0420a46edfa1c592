"""Scanning a dataset: sample (or stream every value), profile each column, classify, grade.

Default: one streaming pass keeps a uniform bottom-k sample of rows and counts
the rows; each column's distinct sampled values are matched and validated.
``full=True`` then streams every batch again and confirms every value, with
free-text columns scanned span by span; memory stays at one batch plus the
additive per-column profiles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from govkit.classify import Classification
from govkit.datasets.base import Dataset
from govkit.detect.columns import ColumnProfile, decide, prepare, profile
from govkit.detect.headers import header_hint
from govkit.detect.matchers import MATCHERS
from govkit.detect.report import ColumnScan, DatasetScan
from govkit.detect.text import TextDetector
from govkit.entities import max_tier
from govkit.errors import DetectionError

if TYPE_CHECKING:
    from govkit.engines.base import Engine, ProfileTask

__all__ = ["DEFAULT_SAMPLE_ROWS", "ColumnScan", "DatasetScan", "sample_rows", "scan_dataset"]

DEFAULT_SAMPLE_ROWS = 2_000
"""Rows sampled per dataset by default (see docs/scan.md for the accuracy measurement)."""


def sample_rows(dataset: Dataset, n: int, seed: int = 0) -> tuple[pa.Table, int]:
    """Return a uniform random sample of ``n`` rows (bottom-k over the stream) and the row count.

    Every row draws a key from one generator, in stream order; the ``n`` rows with the
    smallest keys win and keep their stream order. Rows whose key is above the ``n``-th
    smallest so far are never copied out of their batch; the candidates are cut back to
    ``n`` only when they pass :data:`_SLACK` × ``n``, not at every batch.

    A CSV file small enough to read whole (:meth:`CsvDataset.read_whole
    <govkit.datasets.files.CsvDataset.read_whole>`) is read at once on every core and
    its rows draw the same keys from the same generator, so the sample is the same.

    A dataset that samples without streaming through this process (a Spark
    DataFrame) provides ``sample_and_count(n, seed)``; its sample follows the same
    rule (uniform, ``n`` rows) with its own random draw.
    """
    remote = getattr(dataset, "sample_and_count", None)
    if remote is not None:
        table, total = remote(n, seed)
        return table, int(total)
    rng = np.random.default_rng(seed)
    whole = getattr(dataset, "read_whole", None)
    table = whole() if whole is not None else None
    if table is not None:  # read at once on every core: the same keys, the same rows
        draw = rng.random(table.num_rows)
        if table.num_rows > n:
            table = table.take(pa.array(np.sort(np.argpartition(draw, n)[:n])))
        return table.combine_chunks(), len(draw)
    parts: list[pa.Table] = []
    keys: list[np.ndarray] = []
    held = total = 0
    bound = np.inf  # the n-th smallest key seen (once n rows were seen): larger keys lose
    for batch in dataset.batches():
        total += batch.num_rows
        draw = rng.random(batch.num_rows)
        if bound < np.inf:
            chosen = np.flatnonzero(draw < bound)
            if not chosen.size:
                continue
            batch, draw = batch.take(pa.array(chosen)), draw[chosen]
        parts.append(pa.Table.from_batches([batch]))
        keys.append(draw)
        held += len(draw)
        if held > _SLACK * n:
            parts, keys, bound = _smallest(parts, keys, n)
            held = n
    if not parts:
        return dataset.schema.empty_table(), total
    if held > n:
        parts, keys, _ = _smallest(parts, keys, n)
    return pa.concat_tables(parts).combine_chunks(), total


_SLACK = 4
"""Candidates held, as a multiple of the sample size, before they are cut back to it."""


def _smallest(
    parts: list[pa.Table], keys: list[np.ndarray], n: int
) -> tuple[list[pa.Table], list[np.ndarray], float]:
    """The ``n`` rows of ``parts`` with the smallest keys, in their order, and the largest kept key."""
    table, flat = pa.concat_tables(parts), np.concatenate(keys)
    if len(flat) > n:
        index = np.sort(np.argpartition(flat, n)[:n])
        table, flat = table.take(pa.array(index)), flat[index]
    return [table], [flat], float(flat.max()) if len(flat) else np.inf


def _sample_profile(column: pa.ChunkedArray, detector: TextDetector) -> ColumnProfile:
    values, why, overlong = prepare(column)
    if values is None:
        return ColumnProfile(uninspected=why)
    distinct = pc.unique(values)
    prof = profile(distinct, rows=len(values), text=detector)
    prof.overlong = overlong
    return prof


def _grade(scan: ColumnScan, classification: Classification) -> ColumnScan:
    types = [e.type for e in scan.entities] or ([scan.entity] if scan.entity else [])
    decided = scan.sensitivity  # decide() may already say high (fail closed)
    scan.sensitivity = max_tier([classification.tier_of(types), decided])
    # The action follows the entity that sets the tier: a phone column holding some
    # resident IDs is high, and masking it would not protect the IDs.
    lead = next((t for t in types if classification.tier(t) == scan.sensitivity), None)
    scan.recommended_action = classification.action(
        lead if scan.sensitivity != "low" else None, free_text=scan.kind == "free_text"
    )
    if lead is None and scan.sensitivity == "high" and scan.kind != "free_text":
        scan.recommended_action = "tokenize"  # unclassifiable but possibly personal
    return scan


def scan_dataset(
    dataset: Dataset,
    *,
    sample_size: int | None = None,
    full: bool = False,
    classification: Classification | None = None,
    detector: TextDetector | None = None,
    engine: Engine | None = None,
) -> DatasetScan:
    """Classify every column of a dataset.

    Args:
        dataset: the dataset to scan.
        sample_size: rows to sample (default :data:`DEFAULT_SAMPLE_ROWS`).
        full: confirm every value (second streaming pass) instead of the sample alone.
        classification: tiers and actions (default: the built-in tier table).
        detector: free-text detector (default: :meth:`TextDetector.default`).
        engine: runs the full pass (default: the local engine, in this process).

    Raises:
        DatasetError: the data cannot be read.
        DetectionError: a column could not be examined.
    """
    classification = classification or Classification()
    detector = detector or TextDetector.default()
    n = sample_size or DEFAULT_SAMPLE_ROWS
    table, total = sample_rows(dataset, n)
    names = table.column_names
    profiles: dict[str, ColumnProfile] = {}
    for name in names:
        try:
            profiles[name] = _sample_profile(table.column(name), detector)
        except (pa.ArrowException, ValueError) as exc:
            raise DetectionError(f"{dataset.uri}: column {name!r} could not be examined") from exc
    decided = {name: decide(name, prof) for name, prof in profiles.items()}
    scanned = table.num_rows
    if full and total > 0:
        profiles = _full_profiles(dataset, decided, profiles, detector, engine)
        decided = {name: decide(name, prof) for name, prof in profiles.items()}
        scanned = total
    return DatasetScan(
        source=dataset.uri,
        name=dataset.name,
        rows_total=total,
        rows_scanned=scanned,
        sampled=not full and scanned < total,
        columns=[_grade(decided[name], classification) for name in names],
    )


def profile_task(
    decided: dict[str, ColumnScan],
    sampled: dict[str, ColumnProfile],
    spacy_model: str | None = None,
) -> ProfileTask:
    """The engine-free plan of a full scan: per column the entities to confirm, or free text."""
    from govkit.engines.base import ProfileColumn, ProfileTask

    columns: dict[str, ProfileColumn] = {}
    for name, prof in sampled.items():
        if prof.uninspected:
            continue
        seen = set(prof.shape) | {decided[name].entity} - {None}
        if hinted := header_hint(name):
            seen.add(hinted[0])
        columns[name] = ProfileColumn(
            entities=tuple(sorted(e for e in seen if e in MATCHERS)),
            free_text=decided[name].kind == "free_text",
        )
    return ProfileTask(columns=columns, spacy_model=spacy_model)


def _full_profiles(
    dataset: Dataset,
    decided: dict[str, ColumnScan],
    sampled: dict[str, ColumnProfile],
    detector: TextDetector,
    engine: Engine | None,
) -> dict[str, ColumnProfile]:
    """Profile every value on the engine, or here (free-text columns span by span)."""
    from govkit.detect.profiling import profile_batches

    task = profile_task(decided, sampled, detector.spacy_model)
    try:
        if engine is None:
            profiled = profile_batches(task, dataset.batches(), detector)
        else:
            profiled = engine.profile(task, dataset)
    except DetectionError as exc:
        raise DetectionError(f"{dataset.uri}: {exc}") from exc
    merged = {name: ColumnProfile(uninspected=p.uninspected) for name, p in sampled.items()}
    for name, prof in profiled.items():
        merged[name].merge(prof)
    for name, prof in merged.items():
        # Keep the sample's view of how varied the values are (names vs store names),
        # and its text-likeness, which decide() needs to recognise free text.
        prof.distinct_share = sampled[name].distinct_share
    return merged
