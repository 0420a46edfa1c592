"""The column classifier: header hints + vectorised value matching + validators + share threshold.

Values are profiled in chunks (a sample's distinct values, or every batch with
``--full``); profiles add up, so memory stays bounded. :func:`decide` turns the
profile and the header hint into a :class:`ColumnScan`. Clear values win over a
misleading header; a header only decides what the values leave open.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from govkit.detect.headers import header_hint
from govkit.detect.matchers import VALIDATORS, match_values
from govkit.detect.report import ColumnScan, EntityCount, Evidence, mask_value
from govkit.detect.text import TextDetector

MIN_SHARE = 0.6
"""Share of values that must validate for a column to get an entity from its values alone."""
HINT_SHARE = 0.3
"""The lower share that suffices when the header names the same entity."""
MAX_CELL = 100_000
"""Characters of one cell that are examined (a 10 MB cell is cut, not scanned whole)."""
_SHAPE_ONLY = ("PERSON", "LOCATION")  # no checksum: require varied values unless the header agrees
_VOCAB = ("ETHNICITY", "RELIGION", "HEALTH")
_HEADER_ONLY = ("PERSON", "LOCATION", "ETHNICITY", "RELIGION", "HEALTH")
_NUMBER_SHAPED = ("CN_RESIDENT_ID", "CREDIT_CARD", "PHONE_NUMBER", "CN_USCC", "IBAN_CODE", "US_SSN")
"""Entities whose shape is a digit structure: header + shape classifies them (masked values,
``138****5678``, do not have it; an e-mail's ``x@y`` shape is too loose to count)."""
_TEXTY = r"[，。！？；、,.!?;]|\S\s+\S+\s+\S"


@dataclass
class ColumnProfile:
    """Additive statistics of a column's values (no values except a few kept for masking)."""

    values: int = 0
    rows: int = 0
    shape: Counter[str] = field(default_factory=Counter)
    valid: Counter[str] = field(default_factory=Counter)
    text_like: int = 0
    length: int = 0
    spans: Counter[str] = field(default_factory=Counter)
    span_rows: Counter[str] = field(default_factory=Counter)
    text_rows: int = 0
    distinct_share: float = 1.0
    uninspected: str | None = None
    overlong: int = 0
    _examples: list[str] = field(default_factory=list, repr=False)

    def merge(self, other: ColumnProfile) -> None:
        """Add another chunk's statistics to this one."""
        self.values += other.values
        self.rows += other.rows
        self.shape.update(other.shape)
        self.valid.update(other.valid)
        self.text_like += other.text_like
        self.length += other.length
        self.spans.update(other.spans)
        self.span_rows.update(other.span_rows)
        self.text_rows += other.text_rows
        self.uninspected = self.uninspected or other.uninspected
        self.overlong += other.overlong
        self._examples.extend(other._examples[: max(0, 3 - len(self._examples))])


def prepare(column: pa.Array | pa.ChunkedArray) -> tuple[pa.Array | None, str | None, int]:
    """Return the column's non-null values as normalised strings, or (None, why not).

    The third item counts cells longer than :data:`MAX_CELL`, which are examined
    up to that length only (see :func:`decide`: such a column fails closed unless
    it is free text, whose cells protect scans whole).
    """
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    kind = column.type
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        return None, "binary values are not inspected", 0
    if pa.types.is_nested(kind):
        return None, "nested values are not inspected", 0
    if pa.types.is_boolean(kind) or pa.types.is_null(kind):
        return pa.array([], pa.string()), None, 0
    if pa.types.is_timestamp(kind):
        column = _dates_if_midnight(column)
        kind = column.type
    try:
        values = column if pa.types.is_string(kind) else column.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None, f"values of type {kind} are not inspected", 0
    values = pc.drop_null(values)
    overlong = int(pc.sum(pc.greater(pc.utf8_length(values), MAX_CELL)).as_py() or 0)
    if overlong:
        values = pc.utf8_slice_codeunits(values, 0, MAX_CELL)
    values = pc.utf8_trim_whitespace(pc.utf8_normalize(values, form="NFKC"))
    return pc.filter(values, pc.not_equal(pc.utf8_length(values), 0)), None, overlong


def _dates_if_midnight(column: pa.Array) -> pa.Array:
    """Timestamps that are all midnight are dates (JSON readers type ``1990-03-07`` so)."""
    as_date = pc.cast(column, pa.date32(), safe=False)
    same = pc.all(pc.equal(pc.cast(as_date, column.type), column)).as_py()
    return as_date if same is not False else column


def profile(
    values: pa.Array, *, rows: int, text: TextDetector | None, free_text: bool = False
) -> ColumnProfile:
    """Profile prepared values; ``rows`` is how many non-null rows they stand for.

    With ``free_text`` (a column already known to be free text) only the span
    scan runs; otherwise the whole-value matchers run, and the span scan too
    when ``text`` is given.
    """
    prof = ColumnProfile(values=len(values), rows=rows, distinct_share=len(values) / max(rows, 1))
    if not len(values):
        return prof
    prof._examples = values.slice(0, 3).to_pylist()
    prof.length = int(pc.sum(pc.utf8_length(values)).as_py() or 0)
    prof.text_like = int(pc.sum(pc.match_substring_regex(values, _TEXTY)).as_py() or 0)
    if not free_text:
        result = match_values(values)
        prof.shape.update({e: int(m.sum()) for e, m in result.shape.items() if m.any()})
        prof.valid.update({e: int(m.sum()) for e, m in result.valid.items() if m.any()})
    if text is not None and (free_text or prof.text_like * 3 >= prof.values):
        prof.text_rows = len(values)
        for _, spans in text.find_column(values):
            found = Counter(s.entity for s in spans)
            prof.spans.update(found)
            prof.span_rows.update(found.keys())
    return prof


def profile_every_value(
    values: pa.Array,
    *,
    entities: Iterable[str],
    text: TextDetector | None,
    free_text: bool = False,
) -> ColumnProfile:
    """Profile every value of a batch (``--full``), each distinct value examined once.

    Only ``entities`` are matched: those the sample showed any sign of (an entity
    absent from 2,000 sampled values cannot reach the share threshold).
    """
    prof = ColumnProfile(values=len(values), rows=len(values))
    if not len(values):
        return prof
    counted = pc.value_counts(values)
    uniques = counted.field("values")
    weights = counted.field("counts").to_numpy(zero_copy_only=False)
    prof._examples = uniques.slice(0, 3).to_pylist()
    lengths = pc.utf8_length(uniques).to_numpy(zero_copy_only=False)
    prof.length = int((lengths * weights).sum())
    texty = pc.match_substring_regex(uniques, _TEXTY).to_numpy(zero_copy_only=False)
    prof.text_like = int(weights[texty].sum())
    if not free_text:
        result = match_values(uniques, entities)
        prof.shape.update({e: int(weights[m].sum()) for e, m in result.shape.items() if m.any()})
        prof.valid.update({e: int(weights[m].sum()) for e, m in result.valid.items() if m.any()})
    elif text is not None:
        prof.text_rows = len(values)
        for index, spans in text.find_column(uniques):
            found = Counter(s.entity for s in spans)
            weight = int(weights[index])
            prof.spans.update({e: c * weight for e, c in found.items()})
            prof.span_rows.update({e: weight for e in found})
    return prof


def _pick(prof: ColumnProfile, hint: str | None) -> tuple[str | None, float]:
    """Return the value-decided entity and its share, or (None, 0)."""
    n = prof.values
    best: tuple[tuple[float, bool, bool], str] | None = None
    for entity, count in prof.valid.items():
        share = count / n
        need = HINT_SHARE if entity == hint else MIN_SHARE
        if entity == "DATE_OF_BIRTH" and hint != entity:
            continue  # a date alone is not personal; a birth-date header makes it so
        if entity in _VOCAB and hint != entity:
            need = 0.8
        if entity in _SHAPE_ONLY and hint != entity and prof.distinct_share < 0.3:
            continue  # few distinct values: store names, categories
        # Equal shares: the header's entity, then a card over a USCC (all-digit values
        # valid as both are cards unless the header says USCC).
        key = (share, entity == hint, entity != "CN_USCC")
        if share >= need and (best is None or key > best[0]):
            best = (key, entity)
    return (best[1], best[0][0]) if best else (None, 0.0)


def _header_and_shape(prof: ColumnProfile, hint: str | None) -> bool:
    """The header names a checkable entity and most values have its shape (not validated).

    Fail closed: a ``phone`` column of numbers whose plan govkit does not know,
    or an ID column of test numbers, is still that entity (lower confidence).
    """
    if hint not in _NUMBER_SHAPED or hint not in prof.shape:
        return False
    return prof.shape[hint] >= 0.8 * prof.values


def decide(name: str, prof: ColumnProfile) -> ColumnScan:
    """Classify one column from its profile and header (the caller raises sensitivity to tiers).

    A column that is not free text but has a cell longer than :data:`MAX_CELL`
    was not seen whole: it is reported high, whatever its prefix showed (fail closed).
    """
    scan = _decide(name, prof)
    if prof.overlong and scan.kind != "free_text":
        scan.sensitivity = "high"
        scan.evidence.note = (
            f"{prof.overlong} cell(s) longer than {MAX_CELL:,} characters were not examined "
            "whole; the column is treated as high (fail closed)"
        )
    return scan


def _decide(name: str, prof: ColumnProfile) -> ColumnScan:
    hinted = header_hint(name)
    hint = hinted[0] if hinted else None
    evidence = Evidence(
        header_hint=f"{hinted[1]} → {hinted[0]}" if hinted else None, values_checked=prof.values
    )
    if prof.uninspected:
        evidence.note = prof.uninspected
        return ColumnScan(name=name, evidence=evidence)
    if prof.values == 0:
        evidence.note = "all values are null or empty"
        if hint:
            evidence.note += "; entity from the header only"
            return ColumnScan(name=name, entity=hint, confidence=0.3, evidence=evidence)
        return ColumnScan(name=name, evidence=evidence)
    entity, share = _pick(prof, hint)
    if entity is None and _header_and_shape(prof, hint):
        if hint is None:
            raise AssertionError("internal invariant broken: hint is not None")
        share = prof.shape[hint] / prof.values
        evidence.pattern_share = round(share, 4)
        evidence.checksum_pass_rate = round(prof.valid[hint] / prof.shape[hint], 4)
        evidence.validators = [VALIDATORS.get(hint, "pattern")]
        evidence.note = "header + shape, not validated: classified by the header (fail closed)"
        return ColumnScan(
            name=name,
            entity=hint,
            entities=[EntityCount(type=hint, count=prof.shape[hint], share=round(share, 4))],
            confidence=round(min(0.7, 0.3 + 0.4 * share), 2),
            evidence=evidence,
            masked_samples=[mask_value(hint, v) for v in prof._examples],
        )
    if entity is not None:
        shaped = prof.shape[entity] or 1
        evidence.pattern_share = round(prof.shape[entity] / prof.values, 4)
        evidence.checksum_pass_rate = round(prof.valid[entity] / shaped, 4)
        evidence.validators = [VALIDATORS[entity]] if entity in VALIDATORS else ["pattern"]
        confidence = min(0.99, 0.5 + 0.5 * share + (0.05 if entity == hint else 0.0))
        others = [
            EntityCount(type=e, count=c, share=round(c / prof.values, 4))
            for e, c in prof.valid.most_common()
            if e != entity
            and c / prof.values >= 0.1
            and e not in ("DATE_OF_BIRTH", *_SHAPE_ONLY)
            and not ({e, entity} == {"CREDIT_CARD", "CN_USCC"} and c == prof.valid[entity])
        ]  # the same all-digit values valid as card and USCC: the tie was decided above
        return ColumnScan(
            name=name,
            entity=entity,
            entities=[EntityCount(type=entity, count=prof.valid[entity], share=round(share, 4))]
            + others,
            confidence=round(confidence, 2),
            evidence=evidence,
            masked_samples=[mask_value(entity, v) for v in prof._examples],
        )
    if prof.text_rows and prof.text_like * 3 >= prof.values and prof.length >= 12 * prof.values:
        return _free_text(name, prof, evidence)
    if hint in _HEADER_ONLY:
        evidence.note = "entity from the header; values have no checkable shape"
        return ColumnScan(
            name=name, entity=hint, confidence=0.5, evidence=evidence,
            masked_samples=[mask_value(hint, v) for v in prof._examples],
        )  # fmt: skip
    return ColumnScan(
        name=name,
        confidence=round(1 - max((c / prof.values for c in prof.valid.values()), default=0), 2),
        evidence=evidence,
        masked_samples=[mask_value(None, v) for v in prof._examples],
    )


def _free_text(name: str, prof: ColumnProfile, evidence: Evidence) -> ColumnScan:
    rows = prof.text_rows or 1
    entities = [
        EntityCount(type=e, count=c, share=round(prof.span_rows[e] / rows, 4))
        for e, c in prof.spans.most_common()
    ]
    evidence.note = f"free text: {sum(prof.span_rows.values())} spans in {rows} values scanned"
    evidence.validators = ["text patterns + validators", "names: surname + context + dictionary"]
    return ColumnScan(
        name=name,
        kind="free_text",
        entity=entities[0].type if entities else None,
        entities=entities,
        confidence=round(min(0.99, 0.6 + 0.4 * prof.text_like / prof.values), 2),
        evidence=evidence,
        masked_samples=["…".join(f"<{e.type}>" for e in entities[:3])] if entities else [],
    )
