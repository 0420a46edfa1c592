"""``govkit protect``, ``reveal`` and ``keys`` end to end on the sample customers (real audit store)."""

from __future__ import annotations

import csv
import hashlib
import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from govkit.audit.query import AuditQuery
from govkit.audit.store import AuditStore
from govkit.settings import GovkitSettings

from .conftest import CUSTOMERS

Cli = Callable[..., Any]
SENSITIVE = [
    "name",
    "id_number",
    "phone",
    "email",
    "birth_date",
    "address",
    "bank_card",
    "ethnicity",
]


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def actions() -> list[tuple[str, str]]:
    store = AuditStore.open(GovkitSettings())
    try:
        return [(r.event["action"], r.event["outcome"]) for r in store.query(AuditQuery())]
    finally:
        store.close()


@pytest.fixture
def protected(cli: Cli, env: dict[str, str], ring: Any, catalog_file: Path, tmp_path: Path) -> Path:
    out = tmp_path / "safe.csv"
    result = cli("protect", str(CUSTOMERS), "-o", str(out), "--catalog", str(catalog_file))
    assert result.code == 0, result.err
    return out


def test_protect_leaves_no_raw_sensitive_value(protected: Path) -> None:
    original, safe = rows(CUSTOMERS), rows(protected)
    text = protected.read_text(encoding="utf-8")
    # 回族/壮族 are part of province names (宁夏回族自治区) that generalized addresses keep
    beside_address = "\n".join(",".join(v for k, v in r.items() if k != "address") for r in safe)
    assert len(safe) == len(original)
    for column in SENSITIVE:
        values = {r[column] for r in original if r[column]}
        haystack = beside_address if column == "ethnicity" else text
        leaked = [v for v in values if v in haystack]
        assert not leaked, f"{column}: {len(leaked)} raw values found"
    assert [r["customer_id"] for r in safe] == [r["customer_id"] for r in original]


def test_scan_of_output_finds_no_sensitive_values(protected: Path) -> None:
    from govkit.datasets import open_dataset
    from govkit.detect.scan import scan_dataset

    scan = scan_dataset(open_dataset(str(protected)), full=True)
    found = {
        c.name: [e.type for e in c.entities if e.count] for c in scan.columns if c.name in SENSITIVE
    }
    assert found == {c: [] for c in SENSITIVE}


def test_manifest_beside_output(protected: Path) -> None:
    manifest = json.loads(Path(str(protected) + ".manifest.json").read_text())
    by = {c["column"]: c for c in manifest["columns"]}
    assert by["id_number"]["transform"] == "tokenize" and by["id_number"]["key_id"].startswith(
        "tk-"
    )
    assert by["ethnicity"]["transform"] == "encrypt" and by["ethnicity"]["reversible"]
    assert by["phone"]["transform"] == "mask" and by["phone"]["values"] > 0
    assert manifest["rows_in"] == manifest["rows_out"] == 500
    digest = hashlib.sha256(CUSTOMERS.read_bytes()).hexdigest()
    assert manifest["fingerprint"] == f"sha256:{digest}"  # of the source file
    assert set(manifest) == {
        "version", "govkit_version", "source", "dataset", "output", "fingerprint", "role",
        "purpose", "policy_hash", "rows_in", "rows_out", "columns", "dropped",
    }  # fmt: skip
    assert set(by["id_number"]) == {
        "column", "transform", "params", "key_id", "entity", "sensitivity", "tags", "rule", "view",
        "reversible", "deterministic", "values", "nulls", "spans",
    }  # fmt: skip
    assert ("protect", "success") in actions()


def test_deterministic_columns_are_identical_across_runs(
    cli: Cli, protected: Path, catalog_file: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again.csv"
    assert (
        cli("protect", str(CUSTOMERS), "-o", str(again), "--catalog", str(catalog_file)).code == 0
    )
    first, second = rows(protected), rows(again)
    for column in ["id_number", "bank_card", "phone", "email", "name", "birth_date", "address"]:
        assert [r[column] for r in first] == [r[column] for r in second], column
    assert [r["ethnicity"] for r in first] != [r["ethnicity"] for r in second]  # random nonces


def test_existing_output_needs_overwrite(cli: Cli, protected: Path, catalog_file: Path) -> None:
    result = cli("protect", str(CUSTOMERS), "-o", str(protected), "--catalog", str(catalog_file))
    assert (result.code, result.err.strip()) == (
        3,
        f"Error: {protected}: already exists (pass --overwrite to replace it)",
    )


def test_reveal_round_trip_for_allowed_role(cli: Cli, protected: Path, tmp_path: Path) -> None:
    out = tmp_path / "revealed.csv"
    result = cli(
        "reveal",
        str(protected),
        "-o",
        str(out),
        "--columns",
        "id_number,bank_card",
        "--role",
        "data_steward",
        "--purpose",
        "security_incident",
    )
    assert result.code == 0, result.err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # raw values: owner only
    original, revealed = rows(CUSTOMERS), rows(out)
    assert [r["id_number"].upper() for r in revealed] == [
        r["id_number"].upper().replace(" ", "") for r in original
    ]
    assert [r["bank_card"] for r in revealed] == [r["bank_card"].replace(" ", "") for r in original]
    assert ("reveal", "success") in actions()


@pytest.mark.parametrize(
    ("columns", "role", "purpose", "code", "error"),
    [
        (
            "id_number",
            "analyst",
            "analytics",
            1,
            "Error: role 'analyst' may not reveal id_number for 'analytics' (its view is not raw)",
        ),
        (
            "ethnicity",
            "data_steward",
            "security_incident",
            1,
            "Error: role 'data_steward' may not reveal ethnicity for 'security_incident' (its view is not raw)",
        ),
        (
            "phone",
            "data_steward",
            "security_incident",
            3,
            "Error: column 'phone' was protected with mask, which is one-way",
        ),
        ("nope", "data_steward", "security_incident", 2, "is not in the protected output"),
    ],
)
def test_reveal_refusals(
    cli: Cli,
    protected: Path,
    tmp_path: Path,
    columns: str,
    role: str,
    purpose: str,
    code: int,
    error: str,
) -> None:
    out = tmp_path / "revealed.csv"
    result = cli(
        "reveal",
        str(protected),
        "-o",
        str(out),
        "--columns",
        columns,
        "--role",
        role,
        "--purpose",
        purpose,
    )
    assert result.code == code
    assert len(result.err.strip().splitlines()) == 1 and error in result.err
    assert not out.exists()
    if code == 1:
        assert ("reveal", "denied") in actions()


def _reveal_fails(cli: Cli, source: Path, out: Path, expected: str) -> None:
    result = cli(
        "reveal",
        str(source),
        "-o",
        str(out),
        "--columns",
        "id_number",
        "--role",
        "data_steward",
        "--purpose",
        "security_incident",
    )
    assert result.code == 3
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0]
    assert not out.exists() and not list(out.parent.glob(".*govkit-stage*"))
    assert actions()[-1] == ("reveal", "failure")  # a failed reveal is audited too


def test_tampered_token_fails_without_output(cli: Cli, protected: Path, tmp_path: Path) -> None:
    text = protected.read_text(encoding="utf-8")
    token = rows(protected)[3]["id_number"]
    head, payload = token.rsplit(".", 1)
    forged = f"{head}.{payload[:-3]}{'AAA' if payload[-3:] != 'AAA' else 'BBB'}"
    protected.write_text(text.replace(token, forged), encoding="utf-8")
    _reveal_fails(cli, protected, tmp_path / "r.csv", "value does not verify")


def test_destroyed_key_fails_without_output(cli: Cli, protected: Path, tmp_path: Path) -> None:
    key_id = rows(protected)[0]["id_number"].split(".")[1]
    result = cli("keys", "destroy", key_id)
    assert result.code == 2 and "pass --yes" in result.err
    assert cli("keys", "destroy", key_id, "--yes").code == 0
    _reveal_fails(cli, protected, tmp_path / "r.csv", f"key {key_id} was destroyed")
    assert ("keys.destroy", "success") in actions()


def test_wrong_master_key_fails_without_output(
    cli: Cli, protected: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import base64
    import os

    monkeypatch.setenv("GOVKIT_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
    monkeypatch.setenv("GOVKIT_AUDIT_URL", f"sqlite:///{tmp_path}/other-audit.db")
    _reveal_fails(cli, protected, tmp_path / "r.csv", "wrong master key or tampered keyring")


def test_rotation_keeps_old_tokens_revealable(
    cli: Cli, protected: Path, catalog_file: Path, tmp_path: Path
) -> None:
    result = cli("keys", "rotate", "tokenize", "-f", "json")
    assert result.code == 0
    new_id = json.loads(result.out)[0]["id"]
    newer = tmp_path / "newer.csv"
    assert (
        cli("protect", str(CUSTOMERS), "-o", str(newer), "--catalog", str(catalog_file)).code == 0
    )
    assert (
        rows(newer)[0]["id_number"].split(".")[1]
        == new_id
        != rows(protected)[0]["id_number"].split(".")[1]
    )
    for source in (protected, newer):
        out = tmp_path / f"r-{source.name}"
        assert (
            cli(
                "reveal",
                str(source),
                "-o",
                str(out),
                "--columns",
                "id_number",
                "--role",
                "data_steward",
                "--purpose",
                "security_incident",
            ).code
            == 0
        )
        assert [r["id_number"] for r in rows(out)][:5] == [r["id_number"] for r in rows(CUSTOMERS)][
            :5
        ]


def test_keys_list_shows_no_material(cli: Cli, env: dict[str, str], ring: Any) -> None:
    result = cli("keys", "list", "-f", "json")
    assert result.code == 0
    listed = json.loads(result.out)
    assert {k["purpose"] for k in listed} == {"tokenize", "encrypt", "hash", "fpe", "audit"}
    assert all(set(k) == {"id", "purpose", "status", "created", "changed"} for k in listed)
    assert env["GOVKIT_MASTER_KEY"] not in result.out + result.err


def test_keys_init_refuses_existing(cli: Cli, env: dict[str, str], ring: Any) -> None:
    result = cli("keys", "init")
    assert result.code == 2 and "keyring already exists" in result.err


def test_keys_init_then_protect_without_catalog(
    cli: Cli, env: dict[str, str], tmp_path: Path
) -> None:
    assert cli("keys", "init").code == 0
    out = tmp_path / "scanned.parquet"
    result = cli("protect", str(CUSTOMERS), "-o", str(out), "-f", "json")
    assert result.code == 0, result.err
    by = {c["column"]: c["transform"] for c in json.loads(result.out)["columns"]}
    assert by["id_number"] == "tokenize" and by["phone"] == "mask"


def test_missing_keyring_is_operational(
    cli: Cli, env: dict[str, str], catalog_file: Path, tmp_path: Path
) -> None:
    result = cli(
        "protect", str(CUSTOMERS), "-o", str(tmp_path / "o.csv"), "--catalog", str(catalog_file)
    )
    assert result.code == 3 and "no keyring (run `govkit keys init`)" in result.err
    assert not (tmp_path / "o.csv").exists()


def test_audit_failure_leaves_no_output(
    cli: Cli,
    env: dict[str, str],
    ring: Any,
    catalog_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("GOVKIT_AUDIT_URL", f"sqlite:///{blocker}/audit.db")
    out = tmp_path / "o.csv"
    result = cli("protect", str(CUSTOMERS), "-o", str(out), "--catalog", str(catalog_file))
    assert result.code == 3 and result.err.startswith("Error: ")
    assert not out.exists() and not Path(str(out) + ".manifest.json").exists()
    assert not list(tmp_path.glob(".*stage*"))


def test_uncovered_high_column_stops_the_run(
    cli: Cli, env: dict[str, str], ring: Any, tmp_path: Path
) -> None:
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "protection.yaml").write_text("sensitivity:\n  low: keep\n  medium: mask\n")
    catalog = tmp_path / "c.yaml"
    catalog.write_text(
        "datasets:\n  customers:\n    columns:\n"
        + "".join(
            f"      {c}: {{sensitivity: {'high' if c == 'id_number' else 'low'}}}\n"
            for c in rows(CUSTOMERS)[0]
        )
    )
    out = tmp_path / "o.csv"
    result = cli(
        "--policy-dir",
        str(policies),
        "protect",
        str(CUSTOMERS),
        "-o",
        str(out),
        "--catalog",
        str(catalog),
    )
    assert result.code == 3
    assert result.err.strip() == (
        "Error: column 'id_number' (unknown entity, high) is not covered by any "
        "protection rule; add one to protection.yaml (fail closed)"
    )
    assert not out.exists()


def test_role_view_drops_and_tokenizes(
    cli: Cli, env: dict[str, str], ring: Any, catalog_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "analyst.parquet"
    result = cli(
        "protect",
        str(CUSTOMERS),
        "-o",
        str(out),
        "--catalog",
        str(catalog_file),
        "--role",
        "analyst",
        "--purpose",
        "analytics",
        "-f",
        "json",
    )
    assert result.code == 0, result.err
    manifest = json.loads(result.out)
    assert "ethnicity" in manifest["dropped"]
    table = pd.read_parquet(out)
    assert (
        "ethnicity" not in table.columns
        and table["id_number"].dropna().str.startswith("gk1.tk-").all()
    )
    assert ("access.decide", "success") in actions()


def test_unknown_role_is_denied(
    cli: Cli, env: dict[str, str], ring: Any, catalog_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "o.csv"
    result = cli(
        "protect",
        str(CUSTOMERS),
        "-o",
        str(out),
        "--catalog",
        str(catalog_file),
        "--role",
        "intern",
        "--purpose",
        "analytics",
    )
    assert result.code == 1 and result.err.startswith(
        "Error: role 'intern' may not use 'customers'"
    )
    assert not out.exists() and ("access.decide", "denied") in actions()


def test_python_api_on_a_dataframe(governor: Any) -> None:
    from govkit.catalog import CatalogColumn, DatasetCatalog
    from govkit.engines.local import LocalEngine
    from govkit.protect import protect

    frame = pd.DataFrame({"phone": ["138-1234-5678", "+86 13812345678", None], "n": [1, 2, 3]})
    catalog = DatasetCatalog(
        columns={
            "phone": CatalogColumn(entity="PHONE_NUMBER", sensitivity="medium"),
            "n": CatalogColumn(),
        }
    )
    result = protect(frame, context=governor, catalog=catalog, engine=LocalEngine(1))
    assert isinstance(result.data, pd.DataFrame)
    assert result.data["phone"].tolist()[:2] == ["138****5678", "138****5678"]
    assert result.data["n"].tolist() == [1, 2, 3]
    assert result.manifest.column("phone").values == 2  # type: ignore[union-attr]


def test_protect_into_a_database_and_reveal_from_it(
    cli: Cli,
    env: dict[str, str],
    ring: Any,
    catalog_file: Path,
    tmp_path: Path,
    db_url: str,
    unique_table: Callable[[str], str],
) -> None:
    table = unique_table("prot")
    manifest = tmp_path / "m.json"
    result = cli(
        "protect",
        str(CUSTOMERS),
        "-o",
        db_url,
        "--output-table",
        table,
        "--catalog",
        str(catalog_file),
        "--manifest",
        str(manifest),
    )
    assert result.code == 0, result.err
    assert json.loads(manifest.read_text())["output"].endswith(f"#{table}")
    out = tmp_path / "r.csv"
    result = cli(
        "reveal",
        db_url,
        "--table",
        table,
        "-o",
        str(out),
        "--columns",
        "id_number",
        "--manifest",
        str(manifest),
        "--role",
        "data_steward",
        "--purpose",
        "security_incident",
    )
    assert result.code == 0, result.err
    assert [r["id_number"] for r in rows(out)][:3] == [r["id_number"] for r in rows(CUSTOMERS)][:3]


def test_missing_catalog_file(cli: Cli, env: dict[str, str], ring: Any, tmp_path: Path) -> None:
    result = cli(
        "protect",
        str(CUSTOMERS),
        "-o",
        str(tmp_path / "o.csv"),
        "--catalog",
        str(tmp_path / "nope.yaml"),
    )
    assert result.code == 3
    assert (
        result.err.strip()
        == f"Error: {tmp_path / 'nope.yaml'}: catalog file not found (write one with `govkit scan --catalog`)"
    )


@pytest.mark.parametrize("suffix", ["parquet", "jsonl", "xlsx"])
def test_other_output_formats(
    cli: Cli, env: dict[str, str], ring: Any, catalog_file: Path, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"o.{suffix}"
    assert cli("protect", str(CUSTOMERS), "-o", str(out), "--catalog", str(catalog_file)).code == 0
    assert out.exists() and Path(f"{out}.manifest.json").exists()


def test_header_only_input(
    cli: Cli, env: dict[str, str], ring: Any, catalog_file: Path, tmp_path: Path
) -> None:
    source = tmp_path / "customers.csv"
    source.write_text(
        CUSTOMERS.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8"
    )
    result = cli(
        "protect",
        str(source),
        "-o",
        str(tmp_path / "o.parquet"),
        "--catalog",
        str(catalog_file),
        "-f",
        "json",
    )
    assert result.code == 0, result.err
    assert json.loads(result.out)["rows_out"] == 0


def test_workers_give_the_same_output(
    cli: Cli, protected: Path, catalog_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "parallel.csv"
    result = cli(
        "protect",
        str(CUSTOMERS),
        "-o",
        str(out),
        "--catalog",
        str(catalog_file),
        "--workers",
        "2",
        "-f",
        "json",
    )
    assert result.code == 0, result.err
    first, second = rows(protected), rows(out)
    for column in [
        "customer_id",
        "id_number",
        "bank_card",
        "phone",
        "email",
        "name",
        "birth_date",
        "address",
    ]:
        assert [r[column] for r in first] == [r[column] for r in second], column
    single = json.loads(Path(f"{protected}.manifest.json").read_text())
    parallel = json.loads(result.out)
    assert [(c["column"], c["values"], c["nulls"]) for c in parallel["columns"]] == [
        (c["column"], c["values"], c["nulls"]) for c in single["columns"]
    ]


def test_reveal_applies_the_role_row_filter(
    cli: Cli, env: dict[str, str], ring: Any, catalog_file: Path, tmp_path: Path
) -> None:
    import shutil

    policies = tmp_path / "policies"
    shutil.copytree(env["GOVKIT_POLICY_DIR"], policies)
    with (policies / "protection.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\ncolumns:\n  email: tokenize\n")
    safe, out = tmp_path / "safe.csv", tmp_path / "emails.csv"
    assert (
        cli(
            "--policy-dir",
            str(policies),
            "protect",
            str(CUSTOMERS),
            "-o",
            str(safe),
            "--catalog",
            str(catalog_file),
        ).code
        == 0
    )
    result = cli(
        "--policy-dir",
        str(policies),
        "reveal",
        str(safe),
        "-o",
        str(out),
        "--columns",
        "email",
        "--role",
        "marketing",
        "--purpose",
        "marketing",
    )
    assert result.code == 0, result.err
    consenting = [r for r in rows(CUSTOMERS) if r["consent_marketing"] == "true"]
    assert 0 < len(consenting) < 500
    assert [r["email"] for r in rows(out)] == [r["email"].strip().lower() for r in consenting]


def test_keys_init_without_master_key(
    cli: Cli, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOVKIT_MASTER_KEY")
    result = cli("keys", "init")
    assert result.code == 3
    assert (
        result.err.strip()
        == "Error: no master key: set GOVKIT_MASTER_KEY (32 random bytes, base64) or "
        "GOVKIT_MASTER_KEY_FILE, or master_key_file in govkit.yaml (govkit init makes one)"
    )
    assert not Path(env["GOVKIT_KEYRING"]).exists()
    assert actions() == []


def test_govkit_protect_can_be_called_twice(governor: Any) -> None:
    import govkit
    from govkit.catalog import CatalogColumn, DatasetCatalog

    frame = pd.DataFrame({"phone": ["13812345678"]})
    catalog = DatasetCatalog(
        columns={"phone": CatalogColumn(entity="PHONE_NUMBER", sensitivity="medium")}
    )
    for _ in range(2):  # importing govkit.protect.* rebinds govkit.protect to the package
        result = govkit.protect(frame, governor=governor, catalog=catalog)
        assert result.data["phone"].tolist() == ["138****5678"]


@pytest.mark.parametrize(
    ("target", "extra", "code", "error"),
    [
        ("db", ["--output-table", "taken"], 3, "table 'taken' already exists (pass --overwrite"),
        ("db", [], 2, "writing to a database needs --output-table"),
        ("file", ["--output-table", "t"], 2, "--output-table applies to database URLs only"),
    ],
)
def test_unfit_targets_are_refused_before_anything_is_recorded(
    cli: Cli,
    env: dict[str, str],
    ring: Any,
    catalog_file: Path,
    tmp_path: Path,
    target: str,
    extra: list[str],
    code: int,
    error: str,
) -> None:
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path}/out.db"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE taken (x TEXT)")
    engine.dispose()
    output = url if target == "db" else str(tmp_path / "o.csv")
    result = cli("protect", str(CUSTOMERS), "-o", output, "--catalog", str(catalog_file), *extra)
    assert result.code == code and error in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert ("protect", "success") not in actions()


def test_zero_workers_is_a_usage_error_before_any_decision(
    cli: Cli, env: dict[str, str], ring: Any, catalog_file: Path, tmp_path: Path
) -> None:
    result = cli(
        "protect", str(CUSTOMERS), "-o", str(tmp_path / "o.csv"), "--catalog", str(catalog_file),
        "--role", "analyst", "--purpose", "analytics", "--workers", "0",
    )  # fmt: skip
    assert (result.code, result.err.strip()) == (2, "Error: --workers must be at least 1, got 0")
    assert actions() == []  # no access.decide recorded for a run that never starts


def test_failed_publish_leaves_no_manifest(
    cli: Cli, env: dict[str, str], ring: Any, catalog_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "o.csv"
    (out / "inside").mkdir(parents=True)  # a directory the output cannot replace
    result = cli(
        "protect", str(CUSTOMERS), "-o", str(out), "--catalog", str(catalog_file), "--overwrite"
    )
    assert result.code == 3 and "cannot publish the output" in result.err
    assert not Path(f"{out}.manifest.json").exists()
    assert not list(tmp_path.glob(".*stage*"))
    # the success recorded before the rename is followed by the failure: nothing was published
    assert actions()[-2:] == [("protect", "success"), ("protect", "failure")]


def test_bad_manifest_params_name_the_manifest(cli: Cli, protected: Path, tmp_path: Path) -> None:
    path = Path(f"{protected}.manifest.json")
    manifest = json.loads(path.read_text())
    next(c for c in manifest["columns"] if c["column"] == "id_number")["params"] = {"bogus": 1}
    path.write_text(json.dumps(manifest))
    result = cli(
        "reveal", str(protected), "-o", str(tmp_path / "r.csv"), "--columns", "id_number",
        "--role", "data_steward", "--purpose", "security_incident",
    )  # fmt: skip
    assert result.code == 3
    assert result.err.strip() == (
        f"Error: {path}: column 'id_number': tokenize.bogus: Extra inputs are not permitted"
    )


@pytest.mark.parametrize(
    ("options", "code", "rows_out"),
    [
        (["--query", "SELECT customer_id, phone FROM {t} WHERE region = '北京'"], 0, None),
        (["--query", "SELECT customer_id, phone FROM {t}"], 0, 500),
        (["--query", "SELECT 1 AS x FROM {t}", "--table", "{t}"], 2, None),  # one, not both
        ([], 2, None),  # a database URL names a table or a query
    ],
)
def test_protect_reads_a_database_query(
    cli: Cli,
    env: dict[str, str],
    ring: Any,
    tmp_path: Path,
    options: list[str],
    code: int,
    rows_out: int | None,
) -> None:
    from govkit.datasets import open_dataset, write_dataset

    url = f"sqlite:///{tmp_path}/crm.db"
    source = open_dataset(str(CUSTOMERS))
    write_dataset(source.batches(), source.schema, url, table="customers")
    out = tmp_path / "q.csv"
    args = [o.replace("{t}", "customers") for o in options]
    result = cli("protect", url, *args, "-o", str(out), "--format", "json")
    assert result.code == code, result.err
    if code:
        assert not out.exists() and result.err.count("Error:") == 1
        return
    made = json.loads(result.out)
    beijing = sum(1 for r in rows(CUSTOMERS) if r["region"] == "北京")
    assert made["dataset"] == "query" and made["rows_out"] == (rows_out or beijing) > 0
    got = rows(out)
    assert [r["customer_id"] for r in got] == [
        r["customer_id"] for r in rows(CUSTOMERS) if rows_out or r["region"] == "北京"
    ]
    assert list(got[0]) == ["customer_id", "phone"]
    assert all(
        a["phone"] != b["phone"] for a, b in zip(got, rows(CUSTOMERS), strict=False) if b["phone"]
    )
