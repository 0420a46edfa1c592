"""Detection per cell takes time linear in its length, on adversarial repetitions too.

Not a wall-clock limit: each case times one text and the same text 8× longer
(best of a few runs) and fails when the longer one costs more than 32× (quadratic
growth would cost 64×). Times are the thread's CPU time, so other jobs on a shared
machine (which made wall-clock ratios fail at load 9–10) do not count.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable

import pytest

from govkit.detect.names import en_names, zh_names
from govkit.detect.text import TextDetector

SMALL, FACTOR, BOUND = 12_000, 8, 32.0
_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
UNITS = [
    "我是", "我是张伟李娜王芳", "客户李", "张先生", "北京市", "a", "1", "1 ", "1-", "1:", "a@", "a.",
    "+1 ", "(1", "E1", "京A", "Mr. Smith ", "·", "联系电话", "IBAN DE89 ", "::", "0755-",
    "call John ", "1  ", "订单号 ", "SSN ", "护照", "北京市朝阳区", "北京市区的", "地址：", "张伟和",
    "小李", "王总", "古丽·阿不都",
]  # fmt: skip


def _ratio(run: Callable[[str], object], small: str, large: str) -> float:
    """Time of ``large`` over time of ``small``; a second try sheds a load spike."""
    first = _best(run, large, 2) / max(_best(run, small, 5), 1e-4)
    if first < BOUND:
        return first
    return min(first, _best(run, large, 3) / max(_best(run, small, 7), 1e-4))


def _best(run: Callable[[str], object], text: str, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.thread_time()
        run(text)
        best = min(best, time.thread_time() - start)
    return best


@pytest.fixture(scope="module")
def detector() -> TextDetector:
    found = TextDetector.default()
    found.find("我是张伟")  # load jieba outside the timings
    return found


@pytest.mark.parametrize("unit", UNITS)
def test_text_detector_is_linear(detector: TextDetector, unit: str) -> None:
    small = unit * (SMALL // len(unit))
    large = small * FACTOR
    ratio = _ratio(detector.find, small, large)
    assert ratio < BOUND, f"{unit!r}: {FACTOR}× longer text took {ratio:.1f}× as long"


@pytest.mark.parametrize("unit", ["我是", "我是张伟李娜王芳", "Mr. Smith ", "客户李", "ask Mary "])
def test_name_finders_are_linear(detector: TextDetector, unit: str) -> None:
    def names(text: str) -> object:
        return zh_names(text) + en_names(text)

    small = unit * (SMALL // len(unit))
    large = small * FACTOR
    ratio = _ratio(names, small, large)
    assert ratio < BOUND, f"{unit!r}: {FACTOR}× longer text took {ratio:.1f}× as long"


@pytest.mark.parametrize(
    "text",
    [
        "'我是' * 50_000",
        "'我是张伟李娜王芳' * 10_000",
        "'客户' + '天' * 100_000",
        "'客户李娜来电投诉'",
    ],
)
def test_no_tagger_runs(text: str) -> None:
    """Names are found with look-ups only: jieba (and its HMM) is never imported."""
    code = (
        "import sys\n"
        "from govkit.detect.names import zh_names\n"
        f"found = zh_names({text})\n"
        "assert 'jieba' not in sys.modules, 'jieba imported'\n"
        "print(len(found))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_ENV
    )
    assert int(out.stdout) > 0 or "李娜" not in text
