"""Verify an export offline, with the public key only (what an external auditor runs).

Input: an unfiltered ``govkit audit export`` (JSONL or CSV) and its
``.checkpoint.json``. The plain chain is recomputed from the exported rows and
must end exactly at the signed checkpoint. The per-row MACs need the secret audit
key and are not checked: the signed checkpoint already covers every exported row.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from govkit.audit.chain import genesis
from govkit.audit.checkpoints import read_checkpoint
from govkit.audit.findings import VerifyResult
from govkit.audit.keys import load_public_key, public_key_id
from govkit.audit.rows import Row
from govkit.audit.verify import ChainWalk, check_checkpoint
from govkit.datasets.cells import restore
from govkit.errors import AuditError

_NULL = "\x1d"


def _rows(path: Path) -> Iterator[Row]:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            records = (
                (
                    {k: restore(v) if isinstance(v, str) else v for k, v in r.items()}
                    for r in csv.DictReader(handle)
                )
                if path.suffix.lower() == ".csv"
                else (json.loads(line) for line in handle if line.strip())
            )
            for n, rec in enumerate(records, 1):
                values = [rec.get(k) or None for k in ("actor", "role", "dataset")]
                actor, role, dataset = (v if v is not None else _NULL for v in values)
                proj = "\x1f".join((rec["ts"], actor, role, rec["action"], rec["outcome"], dataset))
                try:
                    seq = int(rec["seq"])
                except (TypeError, ValueError) as exc:
                    raise AuditError(f"{path}: record {n} has no integer seq") from exc
                yield (
                    seq, proj.encode(), rec["body"].encode(), rec["prev_hash"].encode(),
                    rec["hash"].encode(), None, None,
                )  # fmt: skip
    except OSError as exc:
        raise AuditError(f"{path}: cannot read the export: {exc.strerror}") from exc
    except (KeyError, ValueError, AttributeError) as exc:
        raise AuditError(f"{path}: not a govkit audit export (missing or bad field)") from exc


def verify_export(
    export: Path, *, checkpoint: Path | None = None, public_key: str | None = None
) -> VerifyResult:
    """Check an export against its signed checkpoint.

    Args:
        export: the JSONL/CSV export.
        checkpoint: its checkpoint (default ``<export>.checkpoint.json``).
        public_key: the auditee's published public key (base64). Without it the key
            in the checkpoint file is used and a BAD_SIGNATURE-free result only shows
            the export is internally consistent — pin the key.

    Raises:
        AuditError: a file is unreadable or not an export/checkpoint.
        KeyMaterialError: ``public_key`` is not an Ed25519 key.
    """
    cp_path = checkpoint or export.with_name(export.name + ".checkpoint.json")
    cp = read_checkpoint(cp_path)
    if public_key is None:
        try:
            public_key = str(json.loads(cp_path.read_text(encoding="utf-8"))["public_key"])
        except (KeyError, ValueError) as exc:
            raise AuditError(f"{cp_path}: no public_key; pass --public-key") from exc
    public = load_public_key(public_key)
    chain_id = cp.chain_id or ""
    walk = ChainWalk(genesis(chain_id), None, [cp.size or 0], sys.maxsize)
    walk.run(_rows(export))
    size = walk.expected - 1
    anchored = (cp.size or 0) if check_checkpoint(
        cp, (public, public_key_id(public), chain_id), walk, size, str(cp_path)
    ) else 0  # fmt: skip
    if size > anchored:
        walk.log.add("UNANCHORED", anchored + 1, "not covered by the checkpoint", size)
    return VerifyResult(
        store=str(export),
        chain_id=chain_id,
        events=walk.count,
        head_seq=size,
        head_hash=walk.last_hash.decode() if size else None,
        key_id=public_key_id(public),
        checkpoints=[cp],
        anchored=anchored,
        findings=walk.log.sorted(),
    )
