"""The name lexicon's cache: same look-ups as reading jieba's dictionary, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.detect.lexicon import _cached, cache_dir, lexicon, load_lexicon


@pytest.fixture(scope="module")
def fresh() -> tuple[object, ...]:
    built = load_lexicon(None)
    return built.words, built.pairs, built.plain_pairs


def _parts(cache: Path | None) -> tuple[object, ...]:
    got = load_lexicon(cache)
    return got.words, got.pairs, got.plain_pairs


def _one_file(cache: Path) -> Path:
    files = list(cache.glob("lexicon-*.json"))
    assert len(files) == 1, files
    return files[0]


@pytest.mark.parametrize(
    "damage",
    [
        None,
        b"",
        b"not json",
        b'{"a": 1}',
        b'[["\\u5f20\\u4f1f"], [1, 2], ["nr"], [], []]',  # lists of different lengths
        b'[["\\u5f20\\u4f1f"], ["1"], ["nr"], [], []]',  # a frequency that is not a number
        b"[1, 2, 3, 4, 5]",
    ],
    ids=["intact", "empty", "not-json", "wrong-shape", "ragged", "wrong-type", "not-lists"],
)
def test_the_cache_gives_the_dictionarys_lexicon_or_is_rebuilt(
    tmp_path: Path, fresh: tuple[object, ...], damage: bytes | None
) -> None:
    assert _parts(tmp_path) == fresh  # first load: built and written
    path = _one_file(tmp_path)
    if damage is not None:
        path.write_bytes(damage)
    assert _parts(tmp_path) == fresh  # read back, or rebuilt when damaged
    assert _cached(path) is not None


def test_a_valid_cache_is_what_later_loads_read(tmp_path: Path) -> None:
    load_lexicon(tmp_path)
    path = _one_file(tmp_path)
    path.write_text('[["王测试"], [5], ["n"], ["测试"], []]', encoding="utf-8")
    got = load_lexicon(tmp_path)
    assert (got.words, got.pairs, got.plain_pairs) == (
        {"王测试": (5, "n")},
        frozenset({"测试"}),
        frozenset(),
    )


def test_an_unwritable_cache_directory_only_costs_time(
    tmp_path: Path, fresh: tuple[object, ...]
) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x", encoding="utf-8")
    assert _parts(blocker / "govkit") == fresh
    assert not (blocker / "govkit").exists()


@pytest.mark.parametrize(
    ("xdg", "expected"),
    [("/srv/cache", Path("/srv/cache/govkit")), ("", Path.home() / ".cache" / "govkit")],
    ids=["xdg-cache-home", "default"],
)
def test_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, xdg: str, expected: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache_dir() == expected


def test_the_process_wide_lexicon_is_the_dictionarys(fresh: tuple[object, ...]) -> None:
    got = lexicon()
    assert (got.words, got.pairs, got.plain_pairs) == fresh
