"""File datasets: CSV/TSV, JSON Lines, Parquet, Excel workbooks."""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
import threading
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from govkit.datasets.base import Dataset
from govkit.datasets.csvstream import ThrottledUtf8File
from govkit.datasets.encoding import check_encoding, detect_encoding
from govkit.datasets.limits import check_cells, check_xlsx
from govkit.errors import DatasetError

_CSV_BLOCK = 16 << 20
WHOLE_READ_MAX = 256 << 20
"""UTF-8 CSV files up to this size may be read whole, in parallel, for a sample (see read_whole)."""
_MAX_BLOCK = 1 << 30
_RAGGED = re.compile(r"Expected (\d+) columns, got (\d+)")


def _arrow_error(path: Path, exc: Exception) -> DatasetError:
    """Translate a pyarrow error without echoing the row text it quotes."""
    text = str(exc)
    if m := _RAGGED.search(text):
        return DatasetError(f"{path}: ragged row: expected {m[1]} columns, got {m[2]}")
    if "invalid UTF8" in text or "UTF-8" in text or "decode" in text.lower():
        return DatasetError(f"{path}: undecodable bytes; pass --encoding")
    first = text.split(":", 1)[0].strip()
    return DatasetError(f"{path}: cannot read: {first}")


def _source_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return WHOLE_READ_MAX + 1  # unknown: stream it


def _stamp(path: Path) -> tuple[int, int, int]:
    """What changes when a file is rewritten: inode, size, modification time (ns)."""
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


_FINGERPRINTS: dict[tuple[str, tuple[int, int, int]], str] = {}
_FINGERPRINTS_KEPT = 256
_FINGERPRINTS_LOCK = threading.Lock()
"""Digests kept per process (oldest dropped first): a digest holds no value of the file."""


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


class FileDataset(Dataset):
    """Common parts of file datasets."""

    def __init__(self, path: Path, batch_rows: int | None = None) -> None:
        if not path.exists():
            raise DatasetError(f"{path}: no such file")
        if not path.is_file():
            raise DatasetError(f"{path}: not a file")
        if path.stat().st_size == 0:
            raise DatasetError(f"{path}: file is empty")
        self.path = path
        self.uri = str(path)
        self.name = path.stem
        if batch_rows:
            self.batch_rows = batch_rows

    def fingerprint(self) -> str:
        """Return the SHA-256 of the file's bytes (hashed once while the file is unchanged).

        A run names the same source in its scan, its classification and the manifest of
        every output it feeds: at 1M customers that was 1.5 GB of SHA-256 for 508 MB of
        files. The digest is kept per path and stamp (inode, size, modification time in
        ns, as for the UTF-8 check), and kept only if the file did not change while it
        was hashed; a rewritten file gets a new stamp and is hashed again.
        """
        key = (str(self.path.resolve()), _stamp(self.path))
        found = _FINGERPRINTS.get(key)
        if found is not None:
            return found
        value = _sha256_of(self.path)
        if _stamp(self.path) == key[1]:
            with _FINGERPRINTS_LOCK:  # the scan hashes on a thread
                if len(_FINGERPRINTS) >= _FINGERPRINTS_KEPT:
                    _FINGERPRINTS.pop(next(iter(_FINGERPRINTS)))
                _FINGERPRINTS[key] = value
        return value

    def _rebatch(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            check_cells(self.uri, batch)
            for start in range(0, batch.num_rows, self.batch_rows):
                yield batch.slice(start, self.batch_rows)


class CsvDataset(FileDataset):
    """CSV or TSV read as strings; empty fields are nulls; encoding detected or given."""

    block_size: int = _CSV_BLOCK

    def __init__(
        self,
        path: Path,
        *,
        delimiter: str = ",",
        encoding: str | None = None,
        batch_rows: int | None = None,
    ) -> None:
        super().__init__(path, batch_rows)
        self.delimiter = delimiter
        try:
            checked = _stamp(path)
            self.encoding = check_encoding(path, encoding) if encoding else detect_encoding(path)
            # The whole file decoded: while it is unchanged, pyarrow need not check UTF-8 again.
            self._checked = checked if checked == _stamp(path) else None
            self._names = self._read_header()
        except OSError as exc:  # unreadable: permissions, I/O error
            raise DatasetError(
                f"{path}: cannot read ({exc.strerror or type(exc).__name__})"
            ) from exc
        self._schema = pa.schema([pa.field(n, pa.string()) for n in self._names])

    def _read_header(self) -> list[str]:
        with self.path.open("r", encoding=self.encoding, newline="") as fh:
            try:
                header = next(csv.reader(fh, delimiter=self.delimiter))
            except (StopIteration, csv.Error, UnicodeDecodeError) as exc:
                raise DatasetError(f"{self.path}: no header row") from exc
        if not any(h.strip() for h in header):
            raise DatasetError(f"{self.path}: no header row")
        # Blank header cells get positional names, as in Excel sheets.
        names = [h.strip() or f"column_{i + 1}" for i, h in enumerate(header)]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise DatasetError(f"{self.path}: duplicate column names: {', '.join(dupes)}")
        return names

    @property
    def schema(self) -> pa.Schema:
        """All columns are strings: type inference would corrupt IDs and card numbers."""
        return self._schema

    def _options(
        self, block: int, columns: Sequence[str] | None
    ) -> tuple[pacsv.ReadOptions, pacsv.ParseOptions, pacsv.ConvertOptions]:
        """How pyarrow reads this file: every column a string, empty fields null."""
        read = pacsv.ReadOptions(
            encoding="utf8",
            block_size=block,
            column_names=self._names,
            skip_rows_after_names=1,  # CSV-aware: a quoted header cell may hold a newline
        )
        # Quoted values may span lines (multi-line complaints exported from Excel);
        # without this a value crossing a block boundary reads as a ragged row.
        parse = pacsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True)
        convert = pacsv.ConvertOptions(
            column_types={n: pa.string() for n in self._names},
            check_utf8=self._checked is None or self._checked != _stamp(self.path),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
            include_columns=list(columns) if columns is not None else None,
        )
        return read, parse, convert

    def read_whole(self) -> pa.Table | None:
        """The whole file, parsed on every core (None: too large or not UTF-8; stream it).

        Only a UTF-8 file of at most :data:`WHOLE_READ_MAX` bytes is read. The streamed read parses on one core (pyarrow's streaming reader is serial);
        a sample-based scan of a file this size may hold it whole instead (about 1.5×
        the file in memory) and finish in the time of one parallel read. Cells are
        checked as in :meth:`batches`.
        """
        if codecs.lookup(self.encoding).name != "utf-8" or _source_size(self.path) > WHOLE_READ_MAX:
            return None
        read, parse, convert = self._options(self.block_size, None)
        try:
            table = pacsv.read_csv(self.path, read, parse, convert)
        except pa.ArrowInvalid as exc:
            if "straddling" in str(exc):
                return None  # a row longer than a block: the stream reads it with larger blocks
            raise _arrow_error(self.path, exc) from exc
        except (UnicodeDecodeError, pa.ArrowException) as exc:
            raise DatasetError(f"{self.path}: undecodable bytes; pass --encoding") from exc
        for batch in table.to_batches():
            check_cells(self.uri, batch)
        return table

    def _reader(
        self, block: int, columns: Sequence[str] | None
    ) -> tuple[ThrottledUtf8File, pacsv.CSVStreamingReader]:
        source = ThrottledUtf8File(self.path, self.encoding)
        read, parse, convert = self._options(block, columns)
        try:
            return source, pacsv.open_csv(pa.PythonFile(source, mode="r"), read, parse, convert)
        except BaseException:
            source.stop()
            raise

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        """Stream the file in blocks, a few in flight (see csvstream); empty fields are nulls.

        A row longer than the block is read again with a 4× block, skipping the
        rows already given (up to 1 GiB rows).
        """
        block, given = self.block_size, 0
        while True:
            skip = given
            source: ThrottledUtf8File | None = None
            try:
                source, reader = self._reader(block, columns)
                for batch in reader:
                    source.taken()
                    if skip >= batch.num_rows:
                        skip -= batch.num_rows
                        continue
                    batch, skip = batch.slice(skip), 0
                    given += batch.num_rows
                    yield from self._rebatch(iter([batch]))
                return
            except pa.ArrowInvalid as exc:
                if "straddling" in str(exc) and block < _MAX_BLOCK:
                    block *= 4
                    continue
                raise _arrow_error(self.path, exc) from exc
            except (UnicodeDecodeError, pa.ArrowException) as exc:
                raise DatasetError(f"{self.path}: undecodable bytes; pass --encoding") from exc
            finally:
                if source is not None:
                    source.stop()


class ParquetDataset(FileDataset):
    """Parquet, streamed by row group."""

    def __init__(self, path: Path, *, batch_rows: int | None = None) -> None:
        super().__init__(path, batch_rows)
        try:
            self._file = pq.ParquetFile(path)
        except (pa.ArrowException, OSError) as exc:
            raise DatasetError(f"{path}: not a readable Parquet file") from exc

    @property
    def schema(self) -> pa.Schema:
        """Schema stored in the file."""
        return self._file.schema_arrow

    def count_rows(self) -> int:
        """Row count from the file's metadata."""
        return int(self._file.metadata.num_rows)

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        """Stream the file."""
        try:
            for batch in self._file.iter_batches(
                batch_size=self.batch_rows, columns=list(columns) if columns is not None else None
            ):
                yield check_cells(self.uri, batch)
        except (pa.ArrowException, OSError) as exc:
            raise DatasetError(f"{self.path}: cannot read Parquet data") from exc


def _cell_text(value: object) -> str | None:
    """Excel cells as text; whole floats lose their ``.0`` (IDs typed as numbers)."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class ExcelDataset(FileDataset):
    """A sheet of an ``.xlsx`` workbook, first row as header, read as strings."""

    def __init__(
        self, path: Path, *, sheet: str | None = None, batch_rows: int | None = None
    ) -> None:
        super().__init__(path, batch_rows)
        self.sheet = sheet
        check_xlsx(path)
        rows = self._rows()
        try:
            header = next(rows, None)
        finally:
            rows.close()  # closes the workbook now, not at garbage collection
        if not header or not any(h is not None for h in header):
            raise DatasetError(f"{path}: sheet has no header row")
        self._names = [
            str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(header)
        ]
        dupes = sorted({n for n in self._names if self._names.count(n) > 1})
        if dupes:
            raise DatasetError(f"{path}: duplicate column names: {', '.join(dupes)}")
        self._schema = pa.schema([pa.field(n, pa.string()) for n in self._names])
        if sheet:
            self.name = f"{path.stem}.{sheet}"

    def _rows(self) -> Generator[tuple[object, ...], None, None]:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
        except (InvalidFileException, OSError, KeyError, ValueError) as exc:
            raise DatasetError(f"{self.path}: not a readable .xlsx workbook") from exc
        except Exception as exc:  # zipfile.BadZipFile and friends
            raise DatasetError(f"{self.path}: not a readable .xlsx workbook") from exc
        try:
            if self.sheet is not None and self.sheet not in book.sheetnames:
                raise DatasetError(
                    f"{self.path}: no sheet {self.sheet!r} (sheets: {', '.join(book.sheetnames)})"
                )
            ws = book[self.sheet] if self.sheet is not None else book.worksheets[0]
            yield from ws.iter_rows(values_only=True)
        finally:
            book.close()

    @property
    def schema(self) -> pa.Schema:
        """All columns are strings."""
        return self._schema

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        """Stream rows of the sheet into batches."""
        names = list(columns) if columns is not None else self._names
        index = [self._names.index(n) for n in names]
        schema = pa.schema([self._schema.field(n) for n in names])
        rows = self._rows()
        next(rows, None)
        buffer: list[list[str | None]] = [[] for _ in names]
        count = 0
        for row in rows:
            if all(v is None for v in row):
                continue
            for out, i in zip(buffer, index, strict=True):
                out.append(_cell_text(row[i]) if i < len(row) else None)
            count += 1
            if count == self.batch_rows:
                yield check_cells(
                    self.uri,
                    pa.RecordBatch.from_arrays(
                        [pa.array(c, pa.string()) for c in buffer], schema=schema
                    ),
                )
                buffer, count = [[] for _ in names], 0
        if count:
            yield check_cells(
                self.uri,
                pa.RecordBatch.from_arrays(
                    [pa.array(c, pa.string()) for c in buffer], schema=schema
                ),
            )


def file_fingerprint(dataset: Dataset) -> str | None:
    """SHA-256 of the file behind a dataset (cheap); None for tables and in-memory data.

    A file the Spark engine reads carries the fingerprint of its local header read as
    ``file_fingerprint``, so both engines name the same file the same way.
    """
    if isinstance(dataset, FileDataset):
        return dataset.fingerprint()
    found = getattr(dataset, "file_fingerprint", None)
    return str(found) if found is not None else None
