"""Chinese words for name decisions, read once from the dictionary jieba ships.

jieba (MIT licence) ships ``dict.txt``: one word a line with its frequency and
part of speech. Name detection needs two facts from it, both plain look-ups:
whether a string starting with a surname character is an ordinary word
(``高兴``, ``王国``, ``方式``) or a name (``nr``), and whether two characters form
a word (so ``来电`` in ``张伟来电`` ends the name before ``来``). The file is read
with two regular expressions (~0.3 s, once per process, only when a Chinese
name candidate needs a decision); jieba itself is never imported and its HMM
never runs.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from govkit.detect.vocab import COMPOUND_SURNAMES, SURNAMES

__all__ = ["NAME_TAGS", "Lexicon", "lexicon"]

NAME_TAGS = frozenset(["nr", "nrfg", "nrt"])
"""jieba's person-name parts of speech."""
MIN_PAIR_FREQ = 20
"""Two-character words rarer than this do not split a name from the next word."""


@dataclass(frozen=True)
class Lexicon:
    """Look-ups over jieba's dictionary.

    Attributes:
        words: word → (frequency, part of speech), for words of 2–4 characters
            that start with a surname character (incl. compound surnames).
        pairs: two-character words with frequency ≥ :data:`MIN_PAIR_FREQ`.
        plain_pairs: those of ``pairs`` not tagged as a person name (``今天``, not
            ``瓦尔``), where a transliterated name ends.
    """

    words: dict[str, tuple[int, str]]
    pairs: frozenset[str]
    plain_pairs: frozenset[str]

    def common(self, word: str, min_freq: int = 0) -> bool:
        """``word`` is a dictionary word that is not tagged as a person name."""
        entry = self.words.get(word)
        return entry is not None and entry[1] not in NAME_TAGS and entry[0] >= min_freq

    def named(self, word: str) -> bool:
        """``word`` is in the dictionary as a person name."""
        entry = self.words.get(word)
        return entry is not None and entry[1] in NAME_TAGS


def _dictionary() -> Path:
    spec = importlib.util.find_spec("jieba")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is required for Chinese name detection")
    return Path(spec.origin).parent / "dict.txt"


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, read on first use."""
    text = _dictionary().read_text(encoding="utf-8")
    first = "".join(sorted(SURNAMES | {s[0] for s in COMPOUND_SURNAMES}))
    words = {
        w: (int(f), tag)
        for w, f, tag in re.findall(rf"^([{first}]\S{{1,3}}) (\d+) (\S+)$", text, re.M)
    }
    found = [
        (w, t)
        for w, f, t in re.findall(r"^(\S\S) (\d+) (\S+)$", text, re.M)
        if int(f) >= MIN_PAIR_FREQ
    ]
    pairs = frozenset(w for w, _ in found)
    return Lexicon(words, pairs, frozenset(w for w, t in found if t not in NAME_TAGS))
