"""Capture what the demo pipeline publishes, to prove a speed change altered nothing.

Run:
    .venv/bin/python bench/compare_outputs.py capture DIR        # keys made once in DIR/keys
    .venv/bin/python bench/compare_outputs.py diff DIR_A DIR_B   # exit 1 on any difference

``capture`` runs the demo pipeline (examples/pipeline.yaml's seven outputs over the
demo's 2,000 generated customers) with the keys in ``DIR/keys`` (created on the first
capture; copy them to compare two code versions under the same keys) and writes
``DIR/values.json`` (every published value; AES-GCM ciphertexts, random by design,
replaced by their decryption) and ``DIR/events.json`` (the audit events without ids,
times, hashes, fingerprints of run-specific files, durations and paths).
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import ROOT

_VOLATILE = {"run_id", "ts", "time", "seconds", "duration", "elapsed", "host", "pid", "actor"}


def _pipeline(folder: Path, data: Path) -> Path:
    spec = yaml.safe_load((ROOT / "examples" / "pipeline.yaml").read_text(encoding="utf-8"))
    for source in spec["sources"].values():
        source["uri"] = str(data / Path(source["uri"]).name)
    spec["scan"]["catalog"] = str(ROOT / "policies" / "tests" / "catalog.yaml")
    spec["policies"] = str(ROOT / "policies")
    spec["expectations"] = str(ROOT / "expectations")
    for out in spec["outputs"]:
        out["uri"] = str(folder / "published" / Path(out["uri"]).relative_to("out/published"))
    spec["audit"] = {"url": f"sqlite:///{folder / 'audit.db'}"}
    spec["keys"] = {
        "keyring": str(folder / "keys" / "keyring"),
        "master_key_file": str(folder / "keys" / "master.key"),
    }
    spec["reports"] = {"dir": str(folder / "reports")}
    file = folder / "pipeline.yaml"
    file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return file


def _reveal(value: str, keys: Any) -> str:
    from govkit.protect.codec import b64decode
    from govkit.protect.encrypt import _opener

    parts = value.split(".", 2)
    if len(parts) != 3 or parts[0] != "gk1":
        return value
    try:
        key = keys.get(parts[1])
    except Exception:  # noqa: BLE001 - not a key id: an ordinary value
        return value
    if key.purpose != "encrypt":
        return value
    return "ENC:" + _opener(key)(b64decode(parts[2])).decode("utf-8")


def _rows(path: Path) -> list[list[str | None]]:
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        return [table.schema.names] + [list(r.values()) for r in table.to_pylist()]
    with path.open(encoding="utf-8", newline="") as fh:
        return [list(r) for r in csv.reader(fh)]


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if k not in _VOLATILE}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def capture(folder: Path) -> None:
    """Run the demo pipeline into ``folder`` and dump its values and audit events."""
    from examples.demo import ensure_data
    from govkit.pipeline.run import run_pipeline
    from govkit.pipeline.scaffold import create_local_keys
    from govkit.protect.keys import open_keyring
    from govkit.settings import GovkitSettings

    folder = folder.resolve()
    for old in ("published", "reports", "audit.db", "audit.db.checkpoint", "pipeline.yaml"):
        target = folder / old
        shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(True)
    if not (folder / "keys" / "keyring").exists():
        create_local_keys(folder / "keys")
    data = ensure_data(ROOT / "bench" / "out" / "demo")["customers"].parent
    report = run_pipeline(_pipeline(folder, data))
    assert report.status == "published", report.error
    settings = GovkitSettings(
        keyring=folder / "keys" / "keyring", master_key_file=folder / "keys" / "master.key"
    )
    keys = open_keyring(settings)
    values: dict[str, Any] = {}
    for path in sorted((folder / "published").rglob("*.*")):
        rows = _rows(path)
        values[str(path.relative_to(folder))] = [
            [None if v is None else _reveal(str(v), keys) for v in row] for row in rows
        ]
    (folder / "values.json").write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    with sqlite3.connect(folder / "audit.db") as db:
        bodies = [
            json.loads(b)
            for (b,) in db.execute("select body from govkit_audit_events order by seq")
        ]
    events = [_scrub(b) for b in bodies]
    text = json.dumps(events, ensure_ascii=False, sort_keys=True, indent=1)
    text = text.replace(str(folder), "<DIR>").replace(str(ROOT), "<ROOT>")
    (folder / "events.json").write_text(text, encoding="utf-8")
    print(f"captured {len(values)} outputs, {len(events)} events into {folder}")


def diff(a: Path, b: Path) -> int:
    """0 when both captures hold the same values and events, 1 otherwise (says where)."""
    status = 0
    va = json.loads((a / "values.json").read_text(encoding="utf-8"))
    vb = json.loads((b / "values.json").read_text(encoding="utf-8"))
    for name in sorted(set(va) | set(vb)):
        if va.get(name) != vb.get(name):
            status = 1
            rows_a, rows_b = va.get(name) or [], vb.get(name) or []
            bad = [i for i, (x, y) in enumerate(zip(rows_a, rows_b, strict=False)) if x != y]
            print(f"{name}: differs ({len(rows_a)} vs {len(rows_b)} rows; first rows {bad[:5]})")
    ea = (a / "events.json").read_text(encoding="utf-8").replace(str(a.resolve()), "<DIR>")
    eb = (b / "events.json").read_text(encoding="utf-8").replace(str(b.resolve()), "<DIR>")
    if ea != eb:
        status = 1
        la, lb = ea.splitlines(), eb.splitlines()
        first = next((i for i, (x, y) in enumerate(zip(la, lb, strict=False)) if x != y), None)
        print(f"events differ ({len(la)} vs {len(lb)} lines; first at line {first})")
    print("identical" if status == 0 else "DIFFERENT")
    return status


if __name__ == "__main__":
    if sys.argv[1:2] == ["capture"] and len(sys.argv) == 3:
        capture(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["diff"] and len(sys.argv) == 4:
        sys.exit(diff(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
