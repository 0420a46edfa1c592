"""The sample-data generator: deterministic, valid check characters, the promised problems."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from examples.generate import EXPECTED, FREE_TEXT, TABLES, generate, main
from govkit.datasets import open_dataset
from govkit.datasets.write import PARQUET_ROW_GROUP
from govkit.entities import ENTITIES

DATA = Path(__file__).resolve().parent.parent / "examples" / "data"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_ok(value: str) -> bool:
    """Reference GB 11643 MOD 11-2 check, independent of the generator's numpy version."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    return (
        "10X98765432"[sum(int(c) * w for c, w in zip(value, WEIGHTS, strict=False)) % 11]
        == value[17]
    )


def luhn_ok(value: str) -> bool:
    """Reference Luhn check."""
    if not value.isdigit():
        return False
    total = 0
    for i, c in enumerate(reversed(value)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("11010519491231002X", True),
        ("110105194912310021", False),
        ("11010519491231002", False),
        ("1101051949123100XX", False),
    ],
)
def test_reference_id_check(value: str, ok: bool) -> None:
    assert id_ok(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("4111111111111111", True),
        ("4111111111111112", False),
        ("6222020200112233445", False),
        ("62-22", False),
    ],
)
def test_reference_luhn(value: str, ok: bool) -> None:
    assert luhn_ok(value) is ok


@cache
def sample(customers: int = 2_000, seed: int = 11) -> dict[str, pa.Table]:
    return generate(customers, seed)


def column(table: str, name: str) -> list[str | None]:
    values: list[str | None] = sample()[table].column(name).to_pylist()
    return values


def present(values: Iterable[str | None]) -> list[str]:
    return [v for v in values if v is not None]


def test_same_seed_same_tables_other_seed_other_tables() -> None:
    first, again, other = generate(300, 7), generate(300, 7), generate(300, 8)
    assert all(first[t].equals(again[t]) for t in TABLES)
    assert not first["customers"].equals(other["customers"])


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    for out in ("a", "b"):
        assert main(["--out", str(tmp_path / out), "--customers", "120", "--seed", "3"]) == 0
    for table in TABLES:
        name = f"{table}.csv"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_committed_sample_is_the_generators_output() -> None:
    tables = generate(500, 42)
    for table in TABLES:
        back = open_dataset(str(DATA / f"{table}.csv")).read_all()
        assert back.equals(tables[table]), f"regenerate examples/data ({table})"


def test_expected_names_every_column_with_a_known_entity() -> None:
    tables = sample()
    assert set(EXPECTED) == set(TABLES) == set(tables)
    for table, columns in EXPECTED.items():
        assert list(columns) == tables[table].column_names, table
        for entity in columns.values():
            assert entity is None or entity == FREE_TEXT or entity in ENTITIES


def test_resident_ids_pass_the_check_and_match_birth_date_and_gender() -> None:
    ids, births = column("customers", "id_number"), column("customers", "birth_date")
    genders = column("customers", "gender")
    long = [(i, b, g) for i, b, g in zip(ids, births, genders, strict=True) if i and len(i) == 18]
    assert long and all(id_ok(i) for i, _, _ in long)
    assert all(i[6:14] == b.replace("-", "") for i, b, _ in long if b)
    assert all((int(i[16]) % 2 == 1) == (g in ("男", "M")) for i, _, g in long)
    legacy = [i for i in present(ids) if len(i) == 15]
    assert legacy and all(i.isdigit() for i in legacy)
    assert {"81", "82", "83"} & {i[:2] for i, _, _ in long}  # residence permits
    assert {len(i) for i in present(ids)} == {15, 18}


def test_bank_cards_pass_luhn() -> None:
    cards = present(column("customers", "bank_card"))
    assert cards and all(luhn_ok(c) for c in cards)
    assert {len(c) for c in cards} == {16, 19}
    assert {c[:2] for c in cards} >= {"62"} and {c[0] for c in cards} >= {"4", "5", "6"}


@pytest.mark.parametrize("name", ["txn_id", "order_no"])
def test_decoy_serials_fail_both_checks(name: str) -> None:
    values = column("transactions", name)
    assert all(v and v.isdigit() and len(v) in (18, 19) for v in values)
    assert not any(id_ok(v) or luhn_ok(v) for v in present(values))


def _digits(phone: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", phone) if c.isdigit())[-11:]


def test_phones_are_typed_the_real_ways() -> None:
    phones = present(column("customers", "phone"))
    kinds: dict[str, Callable[[str], bool]] = {
        "plain": lambda p: p.isascii() and p.isdigit() and len(p) == 11,
        "dashed": lambda p: len(p) == 13 and p[3] == "-" and p[8] == "-",
        "+86 spaced": lambda p: p.startswith("+86 "),
        "0086": lambda p: p.startswith("0086"),
        "full-width": lambda p: "１" in p or "３" in p,
        "landline": lambda p: p.startswith("0") and "-" in p,
    }
    for kind, test in kinds.items():
        assert any(test(p) for p in phones), kind


def test_deliberate_quality_problems_exist() -> None:
    customers = sample()["customers"].to_pylist()
    rows = len(customers)
    people: dict[tuple[object, ...], list[dict[str, str | None]]] = {}
    for row in customers:
        people.setdefault(
            (row["name"], row["id_number"], row["birth_date"], row["email"]), []
        ).append(row)
    dupes = [group for group in people.values() if len(group) > 1]
    assert 0.005 * rows <= len(dupes) <= 0.02 * rows
    for group in dupes:  # same person, new id, the same phone typed differently
        assert len({r["customer_id"] for r in group}) == len(group)
        assert len({r["phone"] for r in group}) == len(group)
        assert len({_digits(str(r["phone"])) for r in group}) == 1
    for name in ("phone", "email"):
        blanks = sum(r[name] is None for r in customers)
        assert 0.01 * rows <= blanks <= 0.04 * rows, name
    malformed = [
        e
        for e in present(column("customers", "email"))
        if e.count("@") != 1 or " " in e or "." not in e.split("@")[-1]
    ]
    assert 3 <= len(malformed) <= 0.01 * rows
    scores = [int(s) for s in present(column("feedback", "score"))]
    assert set(scores) - {1, 2, 3, 4, 5} and set(scores) - {1, 2, 3, 4, 5} <= {0, 6, 9}
    assert any(int(m) < 0 for m in present(column("feedback", "response_minutes")))


def test_free_text_embeds_personal_data_sometimes() -> None:
    tables = sample()
    by_id = {r["customer_id"]: r for r in tables["customers"].to_pylist()}
    tickets = tables["tickets"].to_pylist()
    embedded = 0
    for ticket in tickets:
        person = by_id[ticket["customer_id"]]
        values = [person[k] for k in ("name", "phone", "id_number", "email") if person[k]]
        embedded += any(v in ticket["complaint"] for v in values)
    assert 0.2 <= embedded / len(tickets) <= 0.45
    assert any(not c.isascii() for c in present(column("tickets", "complaint")))
    assert any(c.isascii() for c in present(column("tickets", "complaint")))


def test_keys_refer_to_existing_rows() -> None:
    tables = sample()
    customers = set(column("customers", "customer_id"))
    assert set(column("tickets", "customer_id")) <= customers
    assert set(column("transactions", "customer_id")) <= customers
    ticket_owner = dict(
        zip(column("tickets", "ticket_id"), column("tickets", "customer_id"), strict=True)
    )
    for row in tables["feedback"].to_pylist():
        assert ticket_owner[row["ticket_id"]] == row["customer_id"]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_every_format_reads_back_through_govkit(tmp_path: Path, fmt: str) -> None:
    assert main(["--out", str(tmp_path), "--customers", "60", "--format", fmt]) == 0
    expected = generate(60, 42)
    for table in TABLES:
        path = tmp_path / f"{table}.{fmt}"
        back = open_dataset(str(path)).read_all()
        assert back.column_names == expected[table].column_names
        assert back.num_rows == expected[table].num_rows
        if fmt == "parquet":
            meta = pq.ParquetFile(path).metadata
            assert all(
                meta.row_group(i).num_rows <= PARQUET_ROW_GROUP for i in range(meta.num_row_groups)
            )


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--customers", "10"], 2),  # --out is required
        (["--out", "x", "--format", "xml"], 2),
        (["--out", "x", "--customers", "ten"], 2),
        (["--out", "x", "--customers", "0"], 2),
        (["--out", "x", "--customers", "-5"], 2),
    ],
)
def test_bad_arguments_exit_2(argv: list[str], code: int) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == code


def test_zero_customers_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate(0)


def _tree(folder: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*")} if folder.exists() else {}


def test_demo_generates_missing_data_and_summarises_every_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from examples import demo

    before = _tree(demo.OUT)
    assert demo.main(tmp_path) == 0
    assert _tree(demo.OUT) == before  # a test never writes into the demo's own output folder
    assert (tmp_path / ".govkit" / "audit.db").is_file()
    assert any((tmp_path / "published").rglob("*.parquet"))
    out = capsys.readouterr().out
    assert "generating" in out
    for table in TABLES:
        assert (tmp_path / "data" / f"{table}.csv").exists()
        assert any(line.startswith(table) for line in out.splitlines()), table
    assert demo.main(tmp_path) == 0
    assert "generating" not in capsys.readouterr().out  # existing data is reused
