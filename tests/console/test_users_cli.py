"""``govkit users``: Argon2id accounts beside the audit store, exit codes, audit events."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest

from govkit.audit.query import AuditQuery, query_store
from govkit.audit.store import AuditStore
from govkit.cli import run
from govkit.console.accounts import UserStore
from govkit.settings import GovkitSettings
from tests.console.conftest import Project

GOOD = "correct horse battery"


def _govkit(tmp: Path, monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return run(["--quiet", "--audit-url", f"sqlite:///{tmp / 'audit.db'}", "users", *argv])


@pytest.mark.parametrize(
    ("argv", "stdin", "code", "message"),
    [
        (["add", "alice", "--role", "auditor", "--password-stdin"], GOOD + "\n", 0, ""),
        (["add", "bo b", "--role", "auditor", "--password-stdin"], GOOD + "\n", 2, "user name"),
        (
            ["add", "carol", "--role", "admin", "--password-stdin"],
            GOOD + "\n",
            2,
            "not a console role",
        ),
        (["add", "dave", "--role", "steward", "--password-stdin"], "short\n", 2, "at least 12"),
        (["passwd", "nobody", "--password-stdin"], GOOD + "\n", 2, "no user 'nobody'"),
        (["disable", "nobody"], "", 2, "no user 'nobody'"),
    ],
)
def test_users_commands_and_exit_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    argv: list[str], stdin: str, code: int, message: str,
) -> None:  # fmt: skip
    assert _govkit(tmp_path, monkeypatch, *argv, stdin=stdin) == code
    err = capsys.readouterr().err
    if code:
        assert err.startswith("Error: ") and message in err and len(err.strip().splitlines()) == 1
        assert "Traceback" not in err


def test_the_accounts_file_holds_argon2id_hashes_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _govkit(tmp_path, monkeypatch, "add", "alice", "--role", "auditor", "--role",
                   "steward", "--password-stdin", stdin=GOOD + "\n") == 0  # fmt: skip
    path = tmp_path / "console-users.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert GOOD not in text
    account = json.loads(text)["users"]["alice"]
    assert account["password_hash"].startswith("$argon2id$")
    assert account["roles"] == ["auditor", "steward"]
    assert _govkit(tmp_path, monkeypatch, "add", "alice", "--role", "auditor",
                   "--password-stdin", stdin=GOOD + "\n") == 2  # fmt: skip


def test_disable_enable_passwd_and_their_audit_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = UserStore(tmp_path / "console-users.json")
    assert _govkit(tmp_path, monkeypatch, "add", "alice", "--role", "auditor",
                   "--password-stdin", stdin=GOOD + "\n") == 0  # fmt: skip
    assert users.authenticate("alice", GOOD) == ("ok", ["auditor"])
    assert users.authenticate("alice", GOOD + "x")[0] == "bad_password"
    assert _govkit(tmp_path, monkeypatch, "disable", "alice") == 0
    assert users.authenticate("alice", GOOD)[0] == "disabled"
    assert _govkit(tmp_path, monkeypatch, "enable", "alice") == 0
    assert _govkit(tmp_path, monkeypatch, "passwd", "alice", "--password-stdin",
                   stdin="another long password\n") == 0  # fmt: skip
    assert users.authenticate("alice", GOOD)[0] == "bad_password"
    assert users.authenticate("alice", "another long password")[0] == "ok"
    assert _govkit(tmp_path, monkeypatch, "list") == 0
    store = AuditStore.open(
        GovkitSettings(audit_url=f"sqlite:///{tmp_path / 'audit.db'}"), create=False
    )
    try:
        ops = [
            r.event["details"]["op"] for r in query_store(store, AuditQuery(action="console.user"))
        ]
    finally:
        store.close()
    assert ops == ["add", "disable", "enable", "passwd"]


@pytest.mark.parametrize(
    ("name", "outcome"),
    [("alice", "ok"), ("ALICE", "unknown"), ("../etc", "unknown"), ("", "unknown")],
)
def test_authenticate_unknown_names(tmp_path: Path, name: str, outcome: str) -> None:
    users = UserStore(tmp_path / "u.json")
    users.add("alice", GOOD, ["auditor"])
    assert users.authenticate(name, GOOD)[0] == outcome


def test_serve_without_a_store_is_an_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["--audit-url", f"sqlite:///{tmp_path / 'none.db'}", "serve", "--port", "1"])
    err = capsys.readouterr().err
    assert code == 3 and err.startswith("Error: ") and "no audit store" in err


def test_users_with_pipeline_write_beside_the_pipelines_audit_store(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(GOOD + "\n"))
    argv = ["--quiet", "users", "add", "piper", "--role", "steward", "--pipeline",
            str(project.pipeline), "--password-stdin"]  # fmt: skip
    assert run(argv) == 0
    beside = Path(project.settings.audit_url.removeprefix("sqlite:///")).parent
    assert "piper" in UserStore(beside / "console-users.json").read().users
