"""Chinese words for name decisions, read once from the dictionary jieba ships.

jieba (MIT licence) ships ``dict.txt``: one word a line with its frequency and
part of speech. Name detection needs two facts from it, both plain look-ups:
whether a string starting with a surname character is an ordinary word
(``高兴``, ``王国``, ``方式``) or a name (``nr``), and whether two characters form
a word (so ``来电`` in ``张伟来电`` ends the name before ``来``). The file is read
with two regular expressions (~0.3 s on a quiet machine, once, only when a
Chinese name candidate needs a decision); jieba itself is never imported and
its HMM never runs. The result is kept in the user's cache directory
(``$XDG_CACHE_HOME/govkit``, else ``~/.cache/govkit``) under the SHA-256 of the
dictionary and of the rules that shape it, so later processes load it with
JSON, without the regex pass; a missing, stale, corrupt or unwritable
cache only means the dictionary is read again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import tempfile
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


_CACHE_FORMAT = "govkit-lexicon-json-1"
"""Changes whenever the cached structure or the way it is built changes."""

_Parts = tuple[dict[str, tuple[int, str]], frozenset[str], frozenset[str]]


def _parse(text: str, first: str) -> _Parts:
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
    return words, pairs, frozenset(w for w, t in found if t not in NAME_TAGS)


def cache_dir() -> Path:
    """Where the built lexicon is kept: ``$XDG_CACHE_HOME/govkit``, else ``~/.cache/govkit``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "govkit"


def _cached(path: Path) -> _Parts | None:
    """The parts stored at ``path``; None when absent, unreadable or not what we wrote."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        words, freqs, tags, pairs, plain = doc
        if not all(isinstance(part, list) for part in doc):
            return None
        table = dict(zip(words, zip(freqs, tags, strict=True), strict=True))
        if not all(
            isinstance(w, str) and isinstance(f, int) and isinstance(t, str)
            for w, (f, t) in table.items()
        ):
            return None
        if not all(isinstance(w, str) for w in (*pairs, *plain)):
            return None
    except (OSError, ValueError, TypeError):  # JSONDecodeError and unpacking are ValueErrors
        return None
    return table, frozenset(pairs), frozenset(plain)


def _store(path: Path, parts: _Parts) -> None:
    """Write the cache atomically; a directory that cannot be written is no error."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            words = list(parts[0])
            doc = [
                words,
                [parts[0][w][0] for w in words],
                [parts[0][w][1] for w in words],
                sorted(parts[1]),
                sorted(parts[2]),
            ]
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(doc, handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def load_lexicon(cache: Path | None) -> Lexicon:
    """Build the lexicon from jieba's dictionary, through the cache in ``cache`` when given."""
    raw = _dictionary().read_bytes()
    first = "".join(sorted(SURNAMES | {s[0] for s in COMPOUND_SURNAMES}))
    key = hashlib.sha256(raw)
    key.update(f"\0{_CACHE_FORMAT}\0{MIN_PAIR_FREQ}\0{sorted(NAME_TAGS)}\0{first}".encode())
    path = cache / f"lexicon-{key.hexdigest()[:32]}.json" if cache is not None else None
    parts = _cached(path) if path is not None else None
    if parts is None:
        parts = _parse(raw.decode("utf-8"), first)
        if path is not None:
            _store(path, parts)
    return Lexicon(*parts)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, loaded on first use (from the user's cache when it is there)."""
    try:
        cache: Path | None = cache_dir()
    except RuntimeError:  # no home directory to be found: no cache
        cache = None
    return load_lexicon(cache)
