"""CSV specifics: strings only, encodings decided over the whole file, empty fields as nulls."""

from __future__ import annotations

import codecs
from collections.abc import Generator
from pathlib import Path

import pytest

from govkit.datasets import open_dataset
from govkit.errors import DatasetError

ROWS_ZH = "姓名,身份证号,卡号\n张伟,11010519491231002X,6222020200112233445\n李娜,,0012\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (ROWS_ZH.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ROWS_ZH.encode("utf-8"), "utf-8-sig"),
        (ROWS_ZH.encode("gb18030"), "gb18030"),
        (ROWS_ZH.encode("gbk"), "gb18030"),
        (ROWS_ZH.encode("utf-16"), "utf-16"),
        # Chinese only after 2 MB of ASCII: a head sample would call this ASCII/UTF-8.
        (b"a,b,c\n" + b"x,y,z\n" * 350_000 + "张,伟,李\n".encode("gbk"), "gb18030"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom", "late-chinese-gbk"],
)
def test_encoding_is_detected(tmp_path: Path, raw: bytes, expected: str) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(raw)
    dataset = open_dataset(str(path))
    assert dataset.encoding == expected  # type: ignore[attr-defined]
    table = dataset.read_all()
    assert table.num_rows >= 2


def test_chinese_values_survive_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(ROWS_ZH.encode("gb18030"))
    table = open_dataset(str(path)).read_all()
    assert table.column("姓名").to_pylist() == ["张伟", "李娜"]


@pytest.mark.parametrize(
    ("raw", "encoding", "error"),
    [
        ("name\nMüller, Hauptstraße 5\n".encode("cp1252"), None, "cannot tell the text encoding"),
        (ROWS_ZH.encode("gbk"), "utf-8", "undecodable bytes for encoding 'utf-8'"),
        (b"a,b\n1,2\n", "no-such-codec", "unknown encoding 'no-such-codec'"),
    ],
    ids=["latin1-looks-like-gb18030", "wrong-override", "unknown-codec"],
)
def test_ambiguous_or_wrong_encodings_are_refused(
    tmp_path: Path, raw: bytes, encoding: str | None, error: str
) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(raw)
    with pytest.raises(DatasetError, match=error):
        open_dataset(str(path), encoding=encoding)


def test_encoding_override_reads_latin1(tmp_path: Path) -> None:
    path = tmp_path / "de.csv"
    path.write_bytes("name\nMüller\n".encode("cp1252"))
    table = open_dataset(str(path), encoding="cp1252").read_all()
    assert table.column("name").to_pylist() == ["Müller"]


def test_ids_and_cards_stay_strings_and_empty_fields_are_null(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text(ROWS_ZH, encoding="utf-8")
    table = open_dataset(str(path)).read_all()
    assert all(str(t) == "string" for t in table.schema.types)
    assert table.column("卡号").to_pylist() == ["6222020200112233445", "0012"]
    assert table.column("身份证号").to_pylist() == ["11010519491231002X", None]


def test_a_ten_megabyte_cell_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("id,note\n1," + "长" * 3_500_000 + "\n2,x\n", encoding="utf-8")
    table = open_dataset(str(path)).read_all()
    assert table.num_rows == 2
    assert len(table.column("note")[0].as_py()) == 3_500_000


def test_header_only_file_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "empty_rows.csv"
    path.write_text("a,b\n", encoding="utf-8")
    assert open_dataset(str(path)).count_rows() == 0


def test_quoted_values_spanning_lines_cross_block_boundaries(tmp_path: Path) -> None:
    """Multi-line complaints (Excel exports) must not read as ragged rows at a block edge."""
    path = tmp_path / "multiline.csv"
    rows = "".join(f'{i},"第一行, 有逗号\n第二行 ""引号"" {i}"\n' for i in range(3_000))
    path.write_text("id,note\n" + rows, encoding="utf-8")
    dataset = open_dataset(str(path))
    dataset.block_size = 4_096  # type: ignore[attr-defined]  # many block boundaries
    notes = dataset.read_all().column("note").to_pylist()
    assert len(notes) == 3_000
    assert notes[2_999] == '第一行, 有逗号\n第二行 "引号" 2999'


@pytest.mark.parametrize(
    ("header", "names"),
    [
        ("姓名,,电话", ["姓名", "column_2", "电话"]),
        ("a,,", ["a", "column_2", "column_3"]),
        (" a , b ", ["a", "b"]),
    ],
)
def test_blank_header_cells_get_positional_names(
    tmp_path: Path, header: str, names: list[str]
) -> None:
    path = tmp_path / "h.csv"
    path.write_text(header + "\n" + ",".join("x" * len(names)) + "\n", encoding="utf-8")
    assert open_dataset(str(path)).schema.names == names


@pytest.mark.parametrize(
    ("text", "error"),
    [(",,\n1,2,3\n", "no header row"), ("a,b,a\n1,2,3\n", "duplicate column names: a")],
)
def test_unusable_headers_are_refused(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "h.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError, match=error):
        open_dataset(str(path))


@pytest.mark.parametrize("where", [0, 40_000], ids=["first-row", "late-row"])
def test_a_row_longer_than_the_block_is_read_with_a_larger_block(
    tmp_path: Path, where: int
) -> None:
    """pyarrow fails on a row longer than its block; govkit re-reads with a larger block
    and skips the rows it already gave, so nothing is lost or repeated."""
    rows = [f"{i},short {i}" for i in range(60_000)]
    rows[where] = f"{where}," + "长" * 1_500_000  # 4.5 MB of UTF-8
    path = tmp_path / "wide.csv"
    path.write_text("id,note\n" + "\n".join(rows) + "\n", encoding="utf-8")
    dataset = open_dataset(str(path), batch_rows=7_000)
    dataset.block_size = 1 << 20  # type: ignore[attr-defined]
    table = dataset.read_all()
    assert table.column("id").to_pylist() == [str(i) for i in range(60_000)]
    assert len(table.column("note")[where].as_py()) == 1_500_000


def test_gb18030_is_transcoded_across_many_blocks(tmp_path: Path) -> None:
    """Multi-byte characters cut at a block edge are carried over, not mangled."""
    rows = [f"{i},客户{i}号，投诉物流" for i in range(30_000)]
    path = tmp_path / "gbk.csv"
    path.write_bytes(("编号,备注\n" + "\n".join(rows) + "\n").encode("gb18030"))
    dataset = open_dataset(str(path))
    dataset.block_size = 64 << 10  # type: ignore[attr-defined]
    notes = dataset.read_all().column("备注").to_pylist()
    assert notes == [f"客户{i}号，投诉物流" for i in range(30_000)]


def test_a_stream_abandoned_early_releases_the_file(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("a\n" + "".join(f"{i}\n" for i in range(200_000)), encoding="utf-8")
    dataset = open_dataset(str(path), batch_rows=1_000)
    dataset.block_size = 64 << 10  # type: ignore[attr-defined]
    stream = dataset.batches()
    assert isinstance(stream, Generator)
    assert next(stream).num_rows == 1_000
    stream.close()  # the reader thread must not stay blocked on the throttle
    assert dataset.count_rows() == 200_000
