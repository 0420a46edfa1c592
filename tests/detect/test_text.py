"""TextDetector: spans of personal data inside free text, Chinese and English."""

from __future__ import annotations

import pyarrow as pa
import pytest

from govkit.detect.text import Span, TextDetector

DETECTOR = TextDetector.default()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "我是张伟，住在北京市朝阳区建国路88号，电话13812345678",
            [("张伟", "PERSON"), ("北京市朝阳区建国路88号", "LOCATION"), ("13812345678", "PHONE_NUMBER")],
        ),
        (
            "客户李娜来电投诉，身份证号11010519491231002X，邮箱lina@example.com",
            [("李娜", "PERSON"), ("11010519491231002X", "CN_RESIDENT_ID"), ("lina@example.com", "EMAIL_ADDRESS")],
        ),
        (
            "My name is John Smith, call +44 20 7946 0958. Card 4111 1111 1111 1111.",
            [("John Smith", "PERSON"), ("+44 20 7946 0958", "PHONE_NUMBER"), ("4111 1111 1111 1111", "CREDIT_CARD")],
        ),
        ("电话：１３８－１２３４－５６７８", [("１３８－１２３４－５６７８", "PHONE_NUMBER")]),
        ("+86 138 1234 5678 请回电", [("+86 138 1234 5678", "PHONE_NUMBER")]),
        ("座机010-12345678", [("010-12345678", "PHONE_NUMBER")]),
        ("车牌粤B12345，IP 192.168.1.10", [("粤B12345", "CN_LICENSE_PLATE"), ("192.168.1.10", "IP_ADDRESS")]),
        ("SSN 123-45-6789", [("123-45-6789", "US_SSN")]),
        ("出生日期：1990-03-07", [("1990-03-07", "DATE_OF_BIRTH")]),
        ("护照E12345678，通行证H1234567890", [("E12345678", "CN_PASSPORT"), ("H1234567890", "CN_HK_MACAU_PERMIT")]),
        ("IBAN GB82 WEST 1234 5698 7654 32", [("GB82 WEST 1234 5698 7654 32", "IBAN_CODE")]),
        ("I live at 1600 Pennsylvania Avenue, Washington, DC 20500", [("1600 Pennsylvania Avenue, Washington, DC 20500", "LOCATION")]),
        # tricky negatives: nothing to find
        ("订单号202401051234567890已发货，金额128.50元", []),
        ("流水号 1234567890123456789 处理完毕", []),
        ("SKU-AB-10293 缺货，预计2024-03-05到货", []),
        ("版本 1.2.3 已发布；时间 2024-01-05 10:11:12", []),
        ("服务很好，谢谢", []),
        ("The delivery was late but the staff were helpful.", []),
        ("SSN 000-12-3456 is not valid", []),
        ("", []),
    ],
)  # fmt: skip
def test_find(text: str, expected: list[tuple[str, str]]) -> None:
    spans = DETECTOR.find(text)
    assert [(text[s.start : s.end], s.entity) for s in spans] == expected


def test_spans_are_sorted_and_disjoint() -> None:
    text = "客户王芳 13812345678 wang@example.com 6222021234567890128 11010519491231002X"
    spans = DETECTOR.find(text)
    assert spans == sorted(spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    assert all(isinstance(s, Span) for s in spans)


def test_find_column_scans_only_prefiltered_rows_and_keeps_row_numbers() -> None:
    values = pa.array(["服务很好", None, "电话13812345678", "好评", "邮箱a@b.cn"])
    found = dict(DETECTOR.find_column(values))
    assert sorted(found) == [2, 4]
    assert [s.entity for s in found[2]] == ["PHONE_NUMBER"]
    assert DETECTOR.candidate_rows(values).to_pylist() == [False, False, True, False, True]


def test_names_can_be_switched_off() -> None:
    detector = TextDetector(names=False)
    assert detector.find("我是张伟") == []
