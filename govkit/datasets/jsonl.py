"""JSON Lines datasets whose columns may be null, or change type, from one block to the next.

pyarrow's streaming JSON reader fixes each column's type from its first block and
then fails ("changed from null to string") when a sparse field first appears
later, or when a value is a number in one place and a string in another (phone
numbers!). govkit parses the file in line-aligned chunks, unifies their types
once (null → anything, int → float, anything mixed with text → text) and casts
every chunk to that schema while streaming.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.json as pajson

from govkit.datasets.files import FileDataset
from govkit.datasets.limits import check_columns
from govkit.errors import DatasetError

_CHUNK = 16 << 20
MAX_JSON_DEPTH = 64  # pyarrow's JSON reader crashes (SIGSEGV) on lines nested ~10,000 deep
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


def nesting_depth(line: bytes) -> int:
    """The deepest ``[``/``{`` nesting of one JSON text (brackets inside strings ignored)."""
    brackets = _STRING.sub(b"", line).translate(None, _NOT_BRACKET)
    if not brackets:
        return 0
    import numpy as np

    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1)
    return int(np.cumsum(steps).max())


def check_depth(chunk: bytes, path: Path, first_line: int = 1, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse a chunk with a line nested deeper than ``limit`` before native code sees it."""
    if chunk.count(b"[") + chunk.count(b"{") <= limit:
        return  # cannot be that deep: the common case costs two byte counts
    for number, line in enumerate(chunk.split(b"\n"), first_line):
        if line.count(b"[") + line.count(b"{") > limit and nesting_depth(line) > limit:
            raise DatasetError(
                f"{path}: line {number} is nested more than {limit} levels deep; "
                "flatten the records (govkit refuses deeper JSON)"
            )


def _unify(name: str, kinds: list[pa.DataType], path: Path) -> pa.DataType:
    """One type for a column seen with ``kinds`` across chunks."""
    # JSON has no timestamps: pyarrow guesses them from strings; govkit keeps the text.
    kinds = [pa.string() if pa.types.is_timestamp(k) else k for k in kinds]
    seen = [k for k in dict.fromkeys(kinds) if not pa.types.is_null(k)]
    if not seen:
        return pa.null()
    if len(seen) == 1:
        return seen[0]
    if all(pa.types.is_integer(k) or pa.types.is_floating(k) for k in seen):
        return pa.float64()
    if any(pa.types.is_nested(k) for k in seen):
        raise DatasetError(f"{path}: column {name!r} mixes nested and plain values")
    return pa.string()


def _text(value: object) -> str | None:
    """A JSON value as text: strings as they are, everything else as its JSON form."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class JsonLinesDataset(FileDataset):
    """JSON Lines: one object per line; types as the file gives them, unified over the file."""

    chunk_bytes: int = _CHUNK

    def __init__(self, path: Path, *, batch_rows: int | None = None) -> None:
        super().__init__(path, batch_rows)
        with self.path.open("rb") as fh:
            if b"\x00" in fh.read(8192):
                raise DatasetError(f"{path}: not a text file (binary content)")
        self._schema: pa.Schema | None = None

    def _chunks(self) -> Iterator[bytes]:
        """Line-aligned pieces of the file, about ``chunk_bytes`` each."""
        carry = b""
        with self.path.open("rb") as fh:
            while block := fh.read(self.chunk_bytes):
                block = carry + block
                cut = block.rfind(b"\n") + 1
                carry = block[cut:]
                if cut and block[:cut].strip():
                    yield block[:cut]
        if carry.strip():
            yield carry

    def _tables(self, schema: pa.Schema | None = None) -> Iterator[pa.Table]:
        """Parse each chunk on its own (one pyarrow block per chunk).

        With ``schema`` (the unified one) pyarrow reads text as text instead of
        guessing timestamps; a chunk that still does not fit takes the slow path.
        """
        line = 1
        for chunk in self._chunks():
            check_depth(chunk, self.path, line)
            line += chunk.count(b"\n")
            options = pajson.ReadOptions(block_size=len(chunk) + 1, use_threads=False)
            parse = pajson.ParseOptions(explicit_schema=schema) if schema is not None else None
            try:
                yield pajson.read_json(
                    pa.BufferReader(chunk), read_options=options, parse_options=parse
                )
            except pa.ArrowInvalid as exc:
                if (
                    "changed from" not in str(exc)
                    and "onversion" not in str(exc)
                    and schema is None
                ):
                    first = str(exc).split(":", 1)[0]
                    raise DatasetError(f"{self.path}: not valid JSON Lines: {first}") from exc
                yield self._parse_mixed(chunk)

    def _parse_mixed(self, chunk: bytes) -> pa.Table:
        """Slow path for a chunk whose column mixes types: mixed columns become text."""
        records = []
        for line in chunk.splitlines():
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise DatasetError(
                    f"{self.path}: not valid JSON Lines: {exc.msg if isinstance(exc, json.JSONDecodeError) else 'undecodable bytes'}"
                ) from exc
            if not isinstance(record, dict):
                raise DatasetError(f"{self.path}: not valid JSON Lines: a line is not an object")
            records.append(record)
        names = dict.fromkeys(k for r in records for k in r)
        arrays = {}
        for name in names:
            values = [r.get(name) for r in records]
            objects = [isinstance(v, dict) for v in values if v is not None]
            if any(objects) and not all(objects):  # an object here, plain text there: refused
                raise DatasetError(f"{self.path}: column {name!r} mixes nested and plain values")
            try:
                arrays[name] = pa.array(values)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                arrays[name] = pa.array([_text(v) for v in values], pa.string())
        return pa.table(arrays)

    @property
    def schema(self) -> pa.Schema:
        """Types unified over the whole file (one parsing pass, done once)."""
        if self._schema is None:
            kinds: dict[str, list[pa.DataType]] = {}
            for table in self._tables():
                for field in table.schema:
                    kinds.setdefault(field.name, []).append(field.type)
            if not kinds:
                raise DatasetError(f"{self.path}: no records")
            check_columns(self.uri, len(kinds))
            self._schema = pa.schema(
                [pa.field(n, _unify(n, k, self.path)) for n, k in kinds.items()]
            )
        return self._schema

    def _conform(self, table: pa.Table, schema: pa.Schema) -> pa.Table:
        arrays = []
        for field in schema:
            if field.name not in table.column_names:
                arrays.append(pa.nulls(table.num_rows, field.type))
                continue
            column = table.column(field.name)
            try:
                arrays.append(column.cast(field.type))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                raise DatasetError(
                    f"{self.path}: column {field.name!r}: cannot read as {field.type}"
                ) from exc
        return pa.Table.from_arrays(arrays, schema=schema)

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        """Stream the file chunk by chunk, every batch in the unified schema."""
        schema = self.schema
        if columns is not None:
            schema = pa.schema([schema.field(c) for c in columns])
        for table in self._tables(self.schema):
            yield from self._rebatch(iter(self._conform(table, schema).to_batches()))
