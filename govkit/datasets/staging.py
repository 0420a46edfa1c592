"""Staging names that say who made them, and the cleanup of what dead runs left behind.

Every staging place govkit writes — a hidden file beside a target, a
``_govkit_stage_…`` table, a ``govkit-protect-…`` folder in the system temp
directory, a ``.…govkit-tmp`` file — carries a *tag*: this host (6 hex digits of a
hash of its name), the process id, the start time and a random token. A leftover
is *dead* when its host is this one and its process no longer runs, or, made on
another host, when it is older than :data:`FOREIGN_AGE` (a run on another
machine may still be using it). ``govkit doctor --clean`` and the next
``govkit run`` delete dead leftovers, and record what they deleted in the audit
log (names only, never contents).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import socket
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from govkit.models import AuditEvent

FOREIGN_AGE = 24 * 3600
"""Seconds after which a leftover made on another host is taken for dead."""

_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]
_TAG = re.compile(r"gk([0-9a-f]{6})p(\d+)t([0-9a-f]+)r[0-9a-f]+")
FILE_MARKS = (".govkit-stage", ".govkit-tmp", ".manifest-stage")
TABLE_PREFIXES = ("_govkit_stage_",)
TEMP_PREFIX = "govkit-protect-"


def stage_tag() -> str:
    """A tag for a new staging place: ``gk<host>p<pid>t<time>r<token>``."""
    return f"gk{_HOST}p{os.getpid()}t{int(time.time()):x}r{secrets.token_hex(3)}"


def stage_table_name() -> str:
    """A staging table name (under 63 characters, PostgreSQL's limit)."""
    return f"_govkit_stage_{stage_tag()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def is_dead(name: str, now: float | None = None) -> bool:
    """True when ``name`` carries a tag of a run that is over (see the module docstring)."""
    found = _TAG.search(name)
    if found is None:
        return False  # not ours, or from an older govkit: left for a person to judge
    host, pid, started = found.group(1), int(found.group(2)), int(found.group(3), 16)
    if host == _HOST:
        return pid != os.getpid() and not _alive(pid)
    return (now or time.time()) - started > FOREIGN_AGE


@dataclass
class Cleaned:
    """What a cleanup removed (paths and table names only)."""

    files: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many leftovers were removed."""
        return len(self.files) + len(self.tables)


def dead_files(folder: Path, *, recursive: bool = False) -> list[Path]:
    """Hidden staging files of dead runs in ``folder``."""
    if not folder.is_dir():
        return []
    candidates = folder.rglob(".*") if recursive else folder.glob(".*")
    return sorted(p for p in candidates if any(m in p.name for m in FILE_MARKS) and is_dead(p.name))


def dead_temp_dirs() -> list[Path]:
    """``govkit-protect-…`` folders of dead runs in the system temp directory."""
    root = Path(tempfile.gettempdir())
    return sorted(p for p in root.glob(f"{TEMP_PREFIX}*") if is_dead(p.name))


def clean_files(paths: Iterable[Path], into: Cleaned) -> Cleaned:
    """Delete files and folders (a failure is noted, never raised)."""
    for path in paths:
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
            into.files.append(str(path))
        except OSError:
            into.failed.append(str(path))
    return into


def clean_tables(url: str, into: Cleaned) -> Cleaned:
    """Drop the stage tables of dead runs in the database at ``url``."""
    import sqlalchemy as sa

    from govkit.datasets.sql import create_engine
    from govkit.datasets.uri import redact_url

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = [
                n
                for n in sa.inspect(conn).get_table_names()
                if n.startswith(TABLE_PREFIXES) and is_dead(n)
            ]
        for name in names:
            try:
                with engine.begin() as conn:
                    quoted = conn.dialect.identifier_preparer.quote(name)
                    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {quoted}")
                into.tables.append(f"{redact_url(url)}#{name}")
            except sa.exc.SQLAlchemyError:
                into.failed.append(f"{redact_url(url)}#{name}")
    except sa.exc.SQLAlchemyError:
        into.failed.append(redact_url(url))
    finally:
        engine.dispose()
    return into


def clean_leftovers(
    folders: Iterable[Path] = (),
    urls: Iterable[str] = (),
    *,
    recursive: bool = False,
    temp: bool = True,
) -> Cleaned:
    """Remove dead runs' staging files in ``folders``, tables in ``urls`` and temp folders."""
    cleaned = Cleaned()
    for folder in dict.fromkeys(Path(f) for f in folders):
        clean_files(dead_files(folder, recursive=recursive), cleaned)
    if temp:
        clean_files(dead_temp_dirs(), cleaned)
    for url in dict.fromkeys(urls):
        with contextlib.suppress(Exception):  # an unreachable database: the run reports it
            clean_tables(url, cleaned)
    return cleaned


def cleanup_event(cleaned: Cleaned, *, by: str) -> AuditEvent:
    """The ``cleanup`` audit event: how many leftovers went, and which (names, never data)."""
    names = [*cleaned.files, *cleaned.tables]
    return AuditEvent(
        action="cleanup",
        outcome="failure" if cleaned.failed else "success",
        reason=f"could not remove {len(cleaned.failed)} leftover(s)" if cleaned.failed else None,
        counts={"files": len(cleaned.files), "tables": len(cleaned.tables)},
        details={"by": by, "removed": "; ".join(names)[:4000] or None},
    )
