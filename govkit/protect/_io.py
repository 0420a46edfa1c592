"""Staged outputs: write beside the target, record the audit event, then publish.

A file output (and its manifest) is written under a temporary name; only after
the audit event is recorded is it renamed into place. A failure anywhere removes
the staged files, so no partial output remains. A database table is staged in a
private Parquet file and loaded (in one transaction) only after the audit event.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa

from govkit.datasets import Dataset, WriteResult, is_sql_url, redact_url, write_dataset
from govkit.datasets.staging import TEMP_PREFIX, stage_tag
from govkit.errors import DatasetError, OutputExistsError, UsageError
from govkit.protect.manifest import Manifest, manifest_path, write_manifest


class TableDataset(Dataset):
    """An in-memory Arrow table (or pandas DataFrame) seen as a Dataset."""

    def __init__(self, table: pa.Table, name: str = "dataframe") -> None:
        self.table = table
        self.uri = f"<{name}>"
        self.name = name

    @classmethod
    def of(cls, data: pa.Table | pd.DataFrame, name: str | None = None) -> TableDataset:
        """Wrap a table or DataFrame, named ``name`` (default ``dataframe``) for policies."""
        table = (
            data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
        )
        return cls(table) if name is None else cls(table, name)

    @property
    def schema(self) -> pa.Schema:
        """Arrow schema of the table."""
        return self.table.schema

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        """The table's batches."""
        table = self.table if columns is None else self.table.select(list(columns))
        yield from table.to_batches(max_chunksize=self.batch_rows)


def check_target(output: str, table: str | None, overwrite: bool) -> None:
    """Refuse a target that exists, or a table option that does not fit, before any work.

    Checked here, not only on write: the write comes after the audit event, which
    would otherwise record a protect or reveal that was never published.

    Raises:
        UsageError: a database URL without a table, or a table for a file.
        OutputExistsError: the file or table exists and ``overwrite`` is not set.
        DatasetError: the database cannot be reached.
    """
    if not is_sql_url(output):
        if table:
            raise UsageError(f"{output}: --output-table applies to database URLs only")
        if Path(output).exists() and not overwrite:
            raise OutputExistsError(f"{output}: already exists (pass --overwrite to replace it)")
        return
    if not table:
        raise UsageError(f"{redact_url(output)}: writing to a database needs --output-table")
    if not overwrite and _has_table(output, table):
        raise OutputExistsError(
            f"{redact_url(output)}: table {table!r} already exists (pass --overwrite to replace it)"
        )


def _has_table(url: str, table: str) -> bool:
    import sqlalchemy as sa

    from govkit.datasets.sql import create_engine, sql_error

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return sa.inspect(conn).has_table(table)
    except sa.exc.SQLAlchemyError as exc:
        raise sql_error(url, exc) from exc
    finally:
        engine.dispose()


def staged(
    batches: Iterable[pa.RecordBatch],
    schema: pa.Schema,
    output: str,
    *,
    table: str | None,
    overwrite: bool,
    manifest: Callable[[WriteResult], Manifest],
    record: Callable[[Manifest], None],
    manifest_to: Path | None = None,
    private: bool = False,
    encoding: str | None = None,
) -> tuple[WriteResult, Manifest]:
    """Write, build the manifest, record the audit event, then publish.

    The manifest goes to ``manifest_to``, else beside a file output; a database
    output gets one only when ``manifest_to`` is given. ``private`` makes a file
    output readable by its owner only (revealed, raw values).

    Returns the write result and the manifest once published.
    """
    if is_sql_url(output):
        loaded, made = _staged_sql(batches, schema, output, table, overwrite, manifest, record)
        if manifest_to is not None:
            write_manifest(made, manifest_to)
        return loaded, made
    target = Path(output)
    if not target.parent.is_dir():
        raise DatasetError(
            f"{output}: the output folder {target.parent} does not exist; "
            f"create it (mkdir -p {target.parent}) or choose another --output"
        )
    tag = stage_tag()
    stage = target.with_name(f".{target.stem}.{tag}.govkit-stage{target.suffix}")
    stage_manifest = target.with_name(f".{target.name}.{tag}.manifest-stage")
    try:
        try:
            result = write_dataset(batches, schema, str(stage), overwrite=False, encoding=encoding)
        except DatasetError as exc:
            cause = exc.__cause__
            why = getattr(cause, "strerror", None) or str(exc).split(": ", 1)[-1]
            raise DatasetError(f"{output}: write failed: {why}") from exc
        if private:
            os.chmod(stage, 0o600)
        made = manifest(WriteResult(uri=str(target), rows=result.rows))
        write_manifest(made, stage_manifest)
        record(made)
        if target.exists() and not overwrite:
            raise OutputExistsError(f"{output}: already exists (pass --overwrite to replace it)")
        published = manifest_to or manifest_path(output)
        os.replace(stage_manifest, published)
        try:
            os.replace(stage, target)
        except OSError:  # no manifest without its output
            published.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise DatasetError(f"{output}: cannot publish the output ({exc.strerror})") from exc
    finally:
        stage.unlink(missing_ok=True)
        stage_manifest.unlink(missing_ok=True)
    return WriteResult(uri=str(target), rows=result.rows), made


def _staged_sql(
    batches: Iterable[pa.RecordBatch],
    schema: pa.Schema,
    output: str,
    table: str | None,
    overwrite: bool,
    manifest: Callable[[WriteResult], Manifest],
    record: Callable[[Manifest], None],
) -> tuple[WriteResult, Manifest]:
    """Stage to a private Parquet file, record, then load the table in one transaction."""
    import tempfile

    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{stage_tag()}-") as tmp:
        stage = Path(tmp) / "stage.parquet"
        result = write_dataset(batches, schema, str(stage))
        made = manifest(WriteResult(uri=f"{redact_url(output)}#{table}", rows=result.rows))
        record(made)
        reader = pq.ParquetFile(stage)
        loaded = write_dataset(
            reader.iter_batches(batch_size=65_536), schema, output, table=table, overwrite=overwrite
        )
    return loaded, made
