"""All-or-nothing publishing: stage every output first, then swap them all in.

A run writes each output to a staging place — a hidden file beside the target,
or a ``_govkit_stage_…`` table in the target database — through the ordinary
atomic writers of :mod:`govkit.datasets.write`. Nothing a consumer reads
changes while staging. Only when every step of the run has succeeded does
:meth:`Publisher.commit` move the staged outputs into place: tables of one
database in one transaction (one ``RENAME TABLE`` statement on MySQL/MariaDB),
files by rename, replaced targets kept aside until every swap has worked. If a
swap fails, the ones already done are undone and the old targets come back.
:meth:`Publisher.abort` (also on leaving the ``with`` block by an exception)
deletes everything staged.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Protocol

import pyarrow as pa

from govkit.datasets.staging import Cleaned, clean_leftovers, stage_table_name, stage_tag
from govkit.datasets.uri import file_format, is_sql_url, redact_url
from govkit.datasets.write import WriteResult, write_file, write_table
from govkit.errors import DatasetError, GovkitError, OutputExistsError, UsageError
from govkit.pipeline.tables import Staged, drop_quietly, has_table, swap_tables, unswap_table

STAGE_MARK = ".govkit-stage"


class PartialPublishError(DatasetError):
    """A commit failed and could not be undone everywhere; ``published`` names what stayed."""

    def __init__(self, message: str, published: list[str]) -> None:
        super().__init__(message)
        self.published = published


class ExternalStage(Protocol):
    """An output an engine staged itself (a Spark directory or table), published with the rest."""

    name: str
    target: str
    rows: int

    def publish(self) -> None:
        """Move the staged output into place (keep the old target aside)."""

    def undo(self) -> None:
        """Put the old target back after a failed commit."""

    def discard(self) -> None:
        """Delete the staged output (best effort, never raises)."""

    def cleanup(self) -> None:
        """Drop the old target kept aside, after a successful commit."""


@dataclass
class Publisher:
    """Stage outputs, then publish all of them or none.

    Args:
        overwrite: replace existing targets (a pipeline re-publishes its outputs each
            run); when False, an existing target fails the run before anything is staged
            past it.
        make_dirs: create missing parent directories of file targets (removed again,
            if still empty, when nothing is published).

    Use as a context manager: leaving the block with an exception discards every
    staged output; call :meth:`commit` inside the block to publish.
    """

    overwrite: bool = True
    make_dirs: bool = True
    staged: list[Staged] = field(default_factory=list)
    committed: bool = False
    made: list[Path] = field(default_factory=list)
    external: list[ExternalStage] = field(default_factory=list)

    def __enter__(self) -> Publisher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.committed:
            self.abort()

    def stage(
        self,
        name: str,
        batches: Iterable[pa.RecordBatch],
        schema: pa.Schema,
        uri: str,
        *,
        table: str | None = None,
        encoding: str | None = None,
        keep_formulas: bool | None = None,
    ) -> Staged:
        """Write one output to its staging place (CSV options: see ``write_file``).

        Raises:
            OutputExistsError: the target exists and ``overwrite`` is False.
            DatasetError: the staging place cannot be written.
        """
        if self.committed:
            raise UsageError("this publisher has already committed")
        if is_sql_url(uri):
            if not table:
                raise UsageError(f"{redact_url(uri)}: output {name!r} needs a table")
            staged = self._stage_table(name, batches, schema, uri, table)
        else:
            staged = self._stage_file(
                name, batches, schema, Path(uri), encoding=encoding, keep_formulas=keep_formulas
            )
        self.staged.append(staged)
        return staged

    def _stage_file(
        self,
        name: str,
        batches: Iterable[pa.RecordBatch],
        schema: pa.Schema,
        target: Path,
        *,
        encoding: str | None = None,
        keep_formulas: bool | None = None,
    ) -> Staged:
        if file_format(target) is None:
            raise UsageError(
                f"{target}: unsupported output format (use .csv .tsv .jsonl .parquet .xlsx)"
            )
        if target.is_dir() or (target.exists() and not target.is_file()):
            raise DatasetError(
                f"{target}: output {name!r} names a directory (or another non-file); "
                "name a file, or remove what is there"
            )
        if target.exists() and not self.overwrite:
            raise OutputExistsError(f"{target}: already exists (pass --overwrite to replace it)")
        if not target.parent.is_dir():
            if not self.make_dirs:
                raise DatasetError(f"{target}: directory {target.parent} does not exist")
            self._make_dir(target.parent)
        staging = target.with_name(f".{target.name}.{stage_tag()}{STAGE_MARK}{target.suffix}")
        try:
            result = write_file(
                batches,
                schema,
                staging,
                overwrite=False,
                encoding=encoding,
                keep_formulas=keep_formulas,
            )
        except DatasetError as exc:  # name the user's path, not the hidden staging file
            raise type(exc)(str(exc).replace(str(staging), str(target))) from exc
        return Staged(name, str(target), None, result.rows, str(staging))

    def stage_text(self, name: str, target: Path, text: str) -> Staged:
        """Stage a small text file (the run report) to be published with the outputs.

        Raises:
            DatasetError: the staging file cannot be written (a full disk): nothing is
                published then, rather than outputs without their report.
        """
        staging = target.with_name(f".{target.name}.{stage_tag()}{STAGE_MARK}")
        try:
            with staging.open("x", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            staging.unlink(missing_ok=True)
            raise DatasetError(
                f"{target.parent}: cannot write the run report ({exc.strerror}); "
                "nothing was published"
            ) from exc
        item = Staged(name, str(target), None, 0, str(staging))
        self.staged.append(item)
        return item

    def adopt(self, item: ExternalStage) -> None:
        """Publish an output an engine staged itself together with the others."""
        if self.committed:
            raise UsageError("this publisher has already committed")
        self.external.append(item)

    def _make_dir(self, folder: Path) -> None:
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatasetError(f"{folder}: cannot create the directory ({exc.strerror})") from exc
        self.made.extend(missing)  # deepest first

    def _stage_table(
        self,
        name: str,
        batches: Iterable[pa.RecordBatch],
        schema: pa.Schema,
        url: str,
        table: str,
    ) -> Staged:
        if not self.overwrite and has_table(url, table):
            raise OutputExistsError(
                f"{redact_url(url)}: table {table!r} already exists (pass --overwrite to replace it)"
            )
        staging = stage_table_name()
        result = write_table(batches, schema, url, staging, overwrite=False)
        return Staged(name, url, table, result.rows, staging)

    def commit(self) -> list[WriteResult]:
        """Move every staged output into place; all of them or, on failure, none.

        Raises:
            DatasetError: a swap failed; the swaps already done were undone.
        """
        if self.committed:
            raise UsageError("this publisher has already committed")
        try:
            for url, group in _by_database(self.staged).items():
                swap_tables(url, group)
            for item in self.staged:
                if item.table is None:
                    _swap_file(item)
            for index, external in enumerate(self.external):
                try:
                    external.publish()
                except BaseException:
                    for done in reversed(self.external[:index]):
                        done.undo()
                    raise
        except BaseException as exc:
            stuck = self._undo()
            self.abort()
            if stuck:
                why = str(exc) if isinstance(exc, GovkitError) else type(exc).__name__
                raise PartialPublishError(
                    f"publishing failed ({why}) and could not be fully undone: published "
                    f"{', '.join(f'{s.name!r} ({s.target})' for s in stuck)}; every other "
                    "output is unchanged",
                    [s.name for s in stuck],
                ) from exc
            raise
        self.committed = True
        self._drop_backups()
        for external in self.external:
            external.cleanup()
        return [WriteResult(uri=s.target, rows=s.rows) for s in self.staged] + [
            WriteResult(uri=e.target, rows=e.rows) for e in self.external
        ]

    @property
    def published(self) -> list[str]:
        """Names of the outputs that are in place now (all after a commit, else those stuck)."""
        return [s.name for s in self.staged if s.done]

    def abort(self) -> None:
        """Delete everything staged and not published (best effort, never raises)."""
        for external in self.external:
            external.discard()
        self.external = []
        for item in self.staged:
            if item.done:
                continue
            if item.table is None:
                Path(item.staging).unlink(missing_ok=True)
            else:
                drop_quietly(item.uri, [item.staging])
        self.staged = [s for s in self.staged if s.done]
        if not self.staged:
            for folder in sorted(self.made, key=lambda p: len(p.parts), reverse=True):
                try:
                    folder.rmdir()
                except OSError:
                    pass  # not empty (someone else wrote there) or gone
            self.made = []

    def _undo(self) -> list[Staged]:
        """Put the old targets back after a failed commit; return those that stay published."""
        stuck: list[Staged] = []
        for item in reversed(self.staged):
            if not item.done:
                continue
            try:
                if item.table is None:
                    target = Path(item.uri)
                    if item.backup is not None:
                        os.replace(item.backup, target)
                    else:
                        target.unlink(missing_ok=True)
                else:
                    unswap_table(item)
            except Exception:  # noqa: BLE001 - reported by name: this output stays published
                stuck.append(item)
                continue
            item.done = False
        return list(reversed(stuck))

    def _drop_backups(self) -> None:
        """Delete the replaced targets kept aside (best effort: publishing has happened)."""
        for item in self.staged:
            if item.backup is None:
                continue
            if item.table is None:
                with contextlib.suppress(OSError):
                    Path(item.backup).unlink(missing_ok=True)
            else:
                drop_quietly(item.uri, [item.backup])


def clean_dead_leftovers(targets: list[tuple[str, str | None]], extra: list[Path]) -> Cleaned:
    """Remove dead runs' leftovers: staging files, stage tables, system-temp folders.

    Looks beside file targets and in ``extra`` folders, and in the target databases.
    """
    folders = [Path(uri).parent for uri, table in targets if not is_sql_url(uri)] + extra
    urls = [uri for uri, table in targets if is_sql_url(uri)]
    return clean_leftovers(folders, urls)


def _swap_file(item: Staged) -> None:
    target = Path(item.uri)
    if target.is_dir():
        raise DatasetError(f"{target}: output {item.name!r} names a directory; name a file")
    try:
        if target.exists():
            backup = target.with_name(f".{target.name}.{secrets.token_hex(6)}.govkit-old")
            os.replace(target, backup)
            item.backup = str(backup)
        os.replace(item.staging, target)
    except OSError as exc:
        raise DatasetError(
            f"{target}: cannot publish output {item.name!r} ({exc.strerror})"
        ) from exc
    item.done = True


def _by_database(staged: list[Staged]) -> dict[str, list[Staged]]:
    groups: dict[str, list[Staged]] = {}
    for item in staged:
        if item.table is not None:
            groups.setdefault(item.uri, []).append(item)
    return groups
