"""The cached Chinese name decisions equal the decisions read from the whole text.

:func:`~govkit.detect.names._name_at` and :func:`~govkit.detect.names._name_before`
decide from a few characters around a cue, cached by those characters. The
references below decide from the whole text, as the detector did before the cache;
both must agree at every position of the corpora and of generated texts.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from govkit.detect import names
from govkit.detect.lexicon import lexicon
from tests.detect.test_find_many import TEXTS

TITLES = [None, "先生", "女士", "经理", "小姐", "老师"]


def _at(text: str, pos: int) -> tuple[int, int] | None:
    size = names._surname(text, pos)
    if not size:
        return None
    for given in (2, 1):
        end = pos + size + given
        if end <= len(text) and names._plausible(text, pos, end):
            return pos, end
    return None


def _before(text: str, end: int, title: str | None) -> tuple[int, int] | None:
    pairs = lexicon().pairs
    for length in (4, 3, 2, 1):
        start = end - length
        if start < 0 or not names._surname(text, start):
            continue
        if start > 0 and text[start - 1 : start + 1] in pairs:
            continue
        if text[start] in names._NOT_GIVEN and names._surname(text, start + 1):
            continue
        if length == names._surname(text, start):
            if title is not None and not names._common(text[start:end] + title):
                return start, end
            continue
        if names._plausible_before(text, start, end):
            return start, end
    return None


def _generated() -> list[str]:
    """Texts built from surnames (single, compound, ones that are also particles), given
    names, titles, particles and words that end or start a name."""
    parts = [
        "李", "王", "张", "和", "向", "诸葛", "上官", "欧阳", "司马", "娜", "伟", "芳", "小", "老",
        "先生", "经理", "收", "来电", "门卫", "班主任", "高兴", "的", "说", "，", "。", " ", "1",
        "明", "亮", "国", "跟", "与", "请", "找",
    ]  # fmt: skip
    rng = random.Random(5)
    return ["".join(rng.choices(parts, k=rng.randint(1, 9))) for _ in range(3000)]


@pytest.mark.parametrize("source", ["corpora", "generated"])
def test_cached_name_decisions_equal_whole_text_ones(source: str) -> None:
    texts = TEXTS if source == "corpora" else _generated()
    at = [(t, p) for t in texts for p in range(len(t) + 1)]
    assert [names._name_at(t, p) for t, p in at] == [_at(t, p) for t, p in at]
    found = sum(1 for t, p in at if _at(t, p))
    before = [(t, e, title) for t in texts for e in range(len(t) + 1) for title in TITLES]
    assert [names._name_before(*b) for b in before] == [_before(*b) for b in before]
    assert found > 50 and sum(1 for b in before if _before(*b)) > 50  # names are decided


def _cached() -> int:
    return names._name_size.cache_info().currsize + names._name_ending.cache_info().currsize


@pytest.mark.parametrize("ending", ["run scope", "scan"])
def test_the_windows_are_forgotten_when_a_run_or_a_scan_ends(
    ending: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govkit.detect.text import TextDetector

    TextDetector.default().find_many(["客户张伟来电", "请王先生回电13812345678", "联系人：李娜"])
    assert _cached() > 0  # fragments of the texts are cached while the work goes on
    if ending == "run scope":
        from govkit.protect.cache import run_scope

        with run_scope():
            pass
    else:
        from govkit.detect.api import scan
        from govkit.governor import Governor
        from govkit.settings import GovkitSettings

        monkeypatch.chdir(tmp_path)
        path = tmp_path / "t.csv"
        path.write_text("note\n客户张伟来电\n", encoding="utf-8")
        settings = GovkitSettings(audit_url=f"sqlite:///{tmp_path / 'audit.db'}")
        scan(str(path), context=Governor(settings))
    assert _cached() == 0
