"""needs_span_scan: the vectorised pre-filter never skips a cell that holds a span."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.detect.text import TextDetector, needs_span_scan

FRAGMENTS = [
    "13812345678", "138 1234 5678", "+86 138-1234-5678", "(010) 1234 5678", "0755-8888 6666",
    "(646) 786-8997", "+44 20 7946 0958", "2345 6789", "110101199003078531", "11010519491231002X",
    "4111 1111 1111 1111", "6222021234567890", "DE89 3704 0044 0532 0130 00", "123-45-6789",
    "zw@example.com", "192.168.1.1", "fe80::1", "2001:db8::8a2e:370:7334", "京A12345", "E12345678",
    "出生日期：1990-03-07", "DOB 1990/03/07", "born on 1985-12-01", "北京市朝阳区建国路88号",
    "123 Main Street", "我是张伟", "客户李娜", "王先生", "Mr. Smith", "my name is John Brown",
    "91350100M000100Y43", "H1234567890", "订单", "好的", "谢谢", " ", "，", "ok", "a", "1", "-",
    "2024", "10:30", "¥100", "SKU-AB", "the", "发货", "收到",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6))
def test_never_skips_a_cell_with_a_span(parts: list[str]) -> None:
    text = "".join(parts)
    detector = TextDetector.default()
    if detector.find(text):
        assert needs_span_scan(pa.array([text])).to_pylist() == [True], text


@pytest.mark.parametrize(
    ("text", "scan"),
    [
        ("好的，谢谢，已经收到了", False),
        ("Thanks, received the parcel.", False),
        ("订单已发货", False),
        ("", False),
        (None, False),
        ("电话13812345678", True),
        ("邮箱 a@b.cn", True),
        ("我是张伟", True),
        ("fe80::1", True),
    ],
)
def test_examples(text: str | None, scan: bool) -> None:
    assert needs_span_scan(pa.array([text], pa.string())).to_pylist() == [scan]


def test_every_fragment_with_a_span_is_kept() -> None:
    detector = TextDetector.default()
    with_spans = [f for f in FRAGMENTS if detector.find(f)]
    assert len(with_spans) >= 25
    assert all(needs_span_scan(pa.array(with_spans)).to_pylist())
