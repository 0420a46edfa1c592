"""The shape shortcut (:mod:`govkit.normalize._shapes`, :mod:`._shortcut`) agrees with the general path.

``phone_numbers`` settles rows of common written shapes from digits read at fixed
byte offsets; every other row goes through the general path. Both are run over the
same generated and adversarial rows (the shortcut forced on for every shape, then
off) and must give the same canonical forms and flags.
"""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest

from govkit.normalize import PhoneNumbers, normalize_phone, phone_numbers, phones
from govkit.normalize._shapes import _templates, shapes
from govkit.normalize._shortcut import settle


@pytest.mark.parametrize("width", [24, 13, 5])
def test_templates_zero_exactly_the_ascii_digits(width: int) -> None:
    every = np.arange(256, dtype=np.uint8)
    wide = np.stack([np.roll(every, -k)[:24] for k in range(0, 256, 3)])
    expected = np.where((wide >= ord("0")) & (wide <= ord("9")), ord("0"), wide)
    expected[:, width:] = 0  # bytes past the row are no part of its template
    got = _templates(wide[:, : -(-width // 8) * 8].copy(), width).view(np.uint8)
    assert (got == expected[:, : got.shape[1]]).all()


@pytest.mark.parametrize(
    ("value", "digits", "plus", "bare"),
    [
        ("13812345678", "13812345678", False, True),
        ("138-1234-5678", "13812345678", False, False),
        ("+86 138 1234 5678", "8613812345678", True, False),
        ("  13812345678\t", "13812345678", False, True),
        ("(010) 1234/5678", "01012345678", False, False),
        ("(13812345678)", "13812345678", False, False),
        ("-13812345678 ", "13812345678", False, False),
        ("１３８１２３４５６７８", "13812345678", False, True),
        ("+86+13812345678", None, False, False),  # a second "+"
        ("86+13812345678", None, False, False),
        ("138x1234x5678", None, False, False),
        ("138·1234·5678", None, False, False),  # not an ASCII separator
        ("1381234567\x00", None, False, False),
        ("１３８-１２３４", None, False, False),  # full-width digits with a separator
        ("１３８1234５６７８", None, False, False),
        ("----", None, False, False),
        ("", None, False, False),
    ],
)
def test_shapes(value: str, digits: str | None, plus: bool, bare: bool) -> None:
    found = shapes(pa.array([value, None], pa.string()), 1)
    if digits is None:
        assert found == []
        return
    (shape,) = found
    assert shape.rows.tolist() == [0]
    assert "".join(map(str, shape.digits[0])) == digits
    assert (shape.plus, shape.bare.tolist()) == (plus, [bare])


def test_shapes_with_too_few_rows_are_left_alone() -> None:
    values = pa.array(["138-1234-5678"] * 3 + ["13812345678"] * 2, pa.string())
    assert [s.rows.tolist() for s in shapes(values, 3)] == [[0, 1, 2]]


@pytest.mark.parametrize(
    ("value", "settled"),
    [
        ("13812345678", True),
        ("138-1234-5678", True),
        ("+86 138 1234 5678", True),
        ("0086 138 1234 5678", True),
        ("8613812345678", True),
        ("010-12345678", True),
        ("0755-8888 6666", True),
        ("１３８１２３４５６７８", True),
        ("+1 646-786-8997", True),
        ("001 646 786 8997", True),
        ("0044 20 7946 0958", True),
        ("+852 2345 678", True),  # settled as not valid, as the general path settles it
        ("+44 00 7946 0958", False),  # a national number starting 0: the library's parse
        ("16001234567", False),  # not a CN mobile: other regions are tried
        ("17406123456", False),
        ("(646) 786-8997", False),
        ("010-80057438", False),
        ("138x1234x5678", False),
        ("+86+13812345678", False),
        ("１３８-１２３４-５６７８", False),
    ],
)
def test_what_the_shortcut_settles(value: str, settled: bool) -> None:
    found = settle(pa.array([value], pa.string()), True, 1)
    assert found.rows.tolist() == ([0] if settled else [])
    if settled:
        assert found.array.to_pylist() == [normalize_phone(value)]


def _generated(rng: random.Random) -> list[str]:
    def digits(k: int) -> str:
        return "".join(rng.choices("0123456789", k=k))

    def mobile() -> str:
        return "1" + rng.choice("3456789") + digits(9)

    def odd_mobile() -> str:  # 1[0-2]…, 1740[6-9]…: not CN mobiles
        return rng.choice(["10", "11", "12", "17406", "17409", "16001"]) + digits(9)[: 11 - 0]

    out: list[str] = []
    for _ in range(300):
        m, area = mobile(), rng.choice(["010", "021", "0755", "0571", "0871", "0123"])
        odd = odd_mobile()[:11]
        out += [
            m,
            f"{m[:3]}-{m[3:7]}-{m[7:]}",
            f"{m[:3]} {m[3:7]} {m[7:]}",
            f"+86 {m[:3]} {m[3:7]} {m[7:]}",
            f"+86{m}",
            f"0086{m}",
            f"86{m}",
            f"0086 {m}",
            "".join(chr(0xFF10 + int(c)) for c in m),
            odd,
            f"+86{odd}",
            f"0086{odd}",
            f"{area}-{digits(rng.choice([7, 8]))}",
            f"{area}{digits(8)}",
            f"+1 {rng.choice('2345678')}{digits(2)}-{digits(3)}-{digits(4)}",
            f"+1{digits(10)}",
            f"001{digits(10)}",
            f"+44 7{digits(3)} {digits(6)}",
            f"+44 20 {digits(4)} {digits(4)}",
            f"0044{digits(10)}",
            f"+852 {digits(4)} {digits(4)}",
            f"+886 9{digits(2)} {digits(3)} {digits(3)}",
            f"+0{digits(10)}",
            f"+{digits(rng.randint(1, 18))}",
            digits(rng.randint(1, 18)),
            f"({digits(3)}) {digits(3)}-{digits(4)}",
            m[:10],
            m + digits(1),
            f"{m[:3]}-{m[3:7]}-{m[7:]}x",
            f"{m[:3]}.{m[3:7]}.{m[7:]}",
            f"({m})",
            f" {m}\t",
            f"/{m}",
        ]
    return out


def _fields(found: PhoneNumbers) -> tuple[object, ...]:
    flags = (found.valid, found.shape, found.national, found.bare)
    return (found.canonical, *(f.tolist() for f in flags))


@pytest.mark.parametrize("regions", [None, ("CN",), ("US", "GB"), ("GB", "CN", "US")])
@pytest.mark.parametrize("exact", [True, False])
def test_shortcut_equals_the_general_path(
    regions: tuple[str, ...] | None, exact: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    values: list[str | None] = [*_generated(random.Random(5)), None]
    random.Random(6).shuffle(values)
    array = pa.array(["+86 138 1234 5678", *values], pa.string()).slice(1)  # an offset too
    monkeypatch.setattr(phones, "SHORTCUT_LEAST", 1)  # every shape, however rare
    shortcut = phone_numbers(array, regions, exact=exact)
    monkeypatch.setattr(phones, "SHORTCUT_LEAST", 10**9)
    general = phone_numbers(array, regions, exact=exact)
    assert _fields(shortcut) == _fields(general)
    assert shortcut.valid.sum() > len(values) // 3  # the test reaches valid rows


def test_shortcut_equals_normalize_phone(monkeypatch: pytest.MonkeyPatch) -> None:
    values = _generated(random.Random(7))[:600]
    monkeypatch.setattr(phones, "SHORTCUT_LEAST", 1)
    found = phone_numbers(pa.array(values, pa.string()))
    assert found.canonical == [normalize_phone(v) for v in values]
