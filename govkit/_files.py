"""Small text files (catalogs, manifests, reports, checkpoints, the keyring), written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text_atomic(path: Path, text: str, *, mode: int = 0o644, fsync: bool = False) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place.

    Readers see the old file or the new one, never a part; a failure leaves no
    temporary file behind.

    Args:
        path: the target; its directory must exist.
        text: the content, written as UTF-8.
        mode: permission bits of the new file (0o600 for secrets).
        fsync: flush the data to disk before the rename (for files a crash must not lose).

    Raises:
        OSError: the file could not be written; the target is unchanged.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
