"""Keyring: wrapped keys, 0600 file, rotation, retirement, crypto-shredding, master key rules."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from govkit.errors import KeyMaterialError, UsageError
from govkit.masterkey import read_key_file
from govkit.protect.keys import PURPOSES, KeyProvider, LocalKeyring


def test_init_makes_one_active_key_per_purpose(ring: LocalKeyring) -> None:
    infos = ring.list()
    assert sorted(i.purpose for i in infos) == sorted(PURPOSES)
    assert {i.status for i in infos} == {"active"}
    assert isinstance(ring, KeyProvider)


def test_file_is_0600_and_holds_no_key_material(ring: LocalKeyring) -> None:
    assert stat.S_IMODE(ring.path.stat().st_mode) == 0o600
    text = ring.path.read_text()
    for purpose in PURPOSES:
        material = ring.active(purpose).material
        for form in (
            material.hex(),
            base64.b64encode(material).decode(),
            base64.urlsafe_b64encode(material).decode(),
        ):
            assert form not in text


def test_key_repr_hides_material(ring: LocalKeyring) -> None:
    key = ring.active("encrypt")
    assert key.material.hex() not in repr(key) and "material" not in repr(key)


def test_reopen_with_same_master_key(ring: LocalKeyring, master_key: bytes) -> None:
    again = LocalKeyring(ring.path, master_key)
    assert again.active("tokenize").material == ring.active("tokenize").material


def test_wrong_master_key_is_refused(ring: LocalKeyring) -> None:
    with pytest.raises(
        KeyMaterialError, match="does not unwrap: wrong master key or tampered keyring"
    ):
        LocalKeyring(ring.path, os.urandom(32)).active("tokenize")


def test_tampered_wrapped_key_is_refused(ring: LocalKeyring, master_key: bytes) -> None:
    data = json.loads(ring.path.read_text())
    blob = bytearray(base64.b64decode(data["keys"][0]["wrapped"]))
    blob[-1] ^= 1
    data["keys"][0]["wrapped"] = base64.b64encode(bytes(blob)).decode()
    ring.path.write_text(json.dumps(data))
    with pytest.raises(KeyMaterialError, match="does not unwrap"):
        LocalKeyring(ring.path, master_key).get(data["keys"][0]["id"])


def test_create_refuses_existing(ring: LocalKeyring, master_key: bytes) -> None:
    with pytest.raises(UsageError, match="keyring already exists"):
        LocalKeyring.create(ring.path, master_key)


def test_rotate_keeps_old_key_for_reveal(ring: LocalKeyring, master_key: bytes) -> None:
    old = ring.active("tokenize")
    new = ring.rotate("tokenize")
    again = LocalKeyring(ring.path, master_key)
    assert again.active("tokenize").id == new.id != old.id
    assert again.get(old.id).material == old.material
    assert {i.id: i.status for i in again.list()}[old.id] == "retired"


def test_retire_leaves_no_active_key(ring: LocalKeyring) -> None:
    key = ring.active("hash")
    assert ring.retire(key.id).status == "retired"
    with pytest.raises(KeyMaterialError, match="no active hash key"):
        ring.active("hash")
    assert ring.get(key.id).material == key.material


def test_destroy_is_crypto_shredding(ring: LocalKeyring, master_key: bytes) -> None:
    key = ring.active("encrypt")
    ring.destroy(key.id)
    again = LocalKeyring(ring.path, master_key)
    entry = next(e for e in json.loads(ring.path.read_text())["keys"] if e["id"] == key.id)
    assert entry["wrapped"] == "" and entry["status"] == "destroyed"
    with pytest.raises(KeyMaterialError, match=f"key {key.id} was destroyed"):
        again.get(key.id)
    with pytest.raises(KeyMaterialError, match=f"key {key.id} is destroyed"):
        again.retire(key.id)


def test_destroying_twice_keeps_the_first_date(
    ring: LocalKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_id = ring.active("encrypt").id
    first = ring.destroy(key_id).changed
    monkeypatch.setattr("govkit.protect.keys._now", lambda: "2099-01-01T00:00:00Z")
    assert ring.destroy(key_id).changed == first != "2099-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("mode", "ok"), [(0o600, True), (0o400, True), (0o640, False), (0o604, False)]
)
def test_master_key_file_mode(tmp_path: Path, mode: int, ok: bool) -> None:
    path = tmp_path / "master.key"
    path.write_text(base64.b64encode(os.urandom(32)).decode())
    path.chmod(mode)
    if ok:
        assert len(read_key_file(path)) == 32
    else:
        with pytest.raises(KeyMaterialError, match="accessible by group or others"):
            read_key_file(path)


@pytest.mark.parametrize("retired_first", [False, True])
def test_rotate_under_a_wrong_master_key_is_refused(
    ring: LocalKeyring, master_key: bytes, retired_first: bool
) -> None:
    if retired_first:  # no active hash key left: nothing of that purpose to check against
        ring.retire(ring.active("hash").id)
    before = ring.path.read_text()
    with pytest.raises(KeyMaterialError, match="does not unwrap"):
        LocalKeyring(ring.path, os.urandom(32)).rotate("hash")
    assert ring.path.read_text() == before
    assert LocalKeyring(ring.path, master_key).rotate("hash").status == "active"


@pytest.mark.parametrize("wrapped", ["not base64!", "QUJD"])
def test_unreadable_wrapped_key_is_a_key_error(
    ring: LocalKeyring, master_key: bytes, wrapped: str
) -> None:
    data = json.loads(ring.path.read_text())
    data["keys"][0]["wrapped"] = wrapped
    ring.path.write_text(json.dumps(data))
    with pytest.raises(KeyMaterialError, match="does not unwrap"):
        LocalKeyring(ring.path, master_key).get(data["keys"][0]["id"])


def test_unreadable_master_key_path_is_a_key_error(tmp_path: Path) -> None:
    folder = tmp_path / "master.key"
    folder.mkdir(mode=0o700)
    with pytest.raises(KeyMaterialError, match="cannot read master key file"):
        read_key_file(folder)


def test_a_stale_keyring_copy_cannot_undo_a_destroy(ring: LocalKeyring, master_key: bytes) -> None:
    stale = LocalKeyring(ring.path, master_key)  # another process, opened earlier
    shredded = stale.active("encrypt")
    LocalKeyring(ring.path, master_key).destroy(shredded.id)
    stale.rotate("hash")  # re-reads the keyring under its lock before saving
    statuses = {i.id: i.status for i in LocalKeyring(ring.path, master_key).list()}
    assert statuses[shredded.id] == "destroyed"
    with pytest.raises(KeyMaterialError, match="was destroyed"):
        stale.get(shredded.id)  # its cached copy is not served either


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.pop("purpose"),
        lambda e: e.update(status="lost"),
        lambda e: e.update(wrapped=None),
        lambda e: e.clear(),
    ],
)
def test_malformed_entry_makes_the_keyring_unreadable(
    ring: LocalKeyring, master_key: bytes, change: Any
) -> None:
    data = json.loads(ring.path.read_text())
    change(data["keys"][0])
    ring.path.write_text(json.dumps(data))
    with pytest.raises(KeyMaterialError, match=r"keyring unreadable \(ValueError\)"):
        LocalKeyring(ring.path, master_key)
