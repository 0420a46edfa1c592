"""Person names inside text: cue words first, then jieba (Chinese) or a spaCy model (English).

jieba's part-of-speech pass costs ~0.6 ms per sentence, so it runs only on
texts where a cheap cue (``我是``, ``客户``, ``先生`` …) says a name may follow.
A spaCy model is used for English only when one is installed and named in
settings (``GOVKIT_SPACY_MODEL``); nothing is ever downloaded.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from govkit.detect.vocab import (
    COMPOUND_SURNAMES,
    JIEBA_NAME_STOP,
    SURNAMES,
    ZH_NAME_CUES,
)

_HAN = "\u4e00-\u9fff"
_SURNAME = "(?:" + "|".join(sorted(COMPOUND_SURNAMES)) + "|[" + "".join(sorted(SURNAMES)) + "])"
ZH_CUE = re.compile("|".join(ZH_NAME_CUES))
_ZH_TITLE = re.compile(_SURNAME + r"(?=先生|女士|小姐|师傅|经理)")
_EN_CUE = re.compile(
    r"(?:(?i:my name is|i am|i'm|this is|name:|customer|contact|mr\.?|mrs\.?|ms\.?|dr\.?|dear))\s+"
    r"(?P<v>[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2})"
)
_NOT_NAMES = frozenset(["I", "The", "My", "Your", "Order", "Customer", "Service", "Please", "Sir"])


def is_zh_name(token: str) -> bool:
    """Return True for 2–4 Chinese characters starting with a known surname."""
    if not 2 <= len(token) <= 4 or not all(_HAN[0] <= c <= _HAN[-1] for c in token):
        return False
    return token[0] in SURNAMES or token[:2] in COMPOUND_SURNAMES


@lru_cache(maxsize=1)
def _jieba_posseg() -> Any:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


@lru_cache(maxsize=2)
def _spacy(model: str) -> Any:
    import spacy

    return spacy.load(model, exclude=["tagger", "parser", "lemmatizer", "attribute_ruler"])


_WINDOW = 12
"""Characters after a cue that jieba reads (names follow ``我是``/``客户`` closely)."""


def zh_names(text: str) -> list[tuple[int, int]]:
    """Return spans of Chinese person names near cue words in ``text``.

    jieba reads a short window around each cue, never more than ``4 + len(cue) +
    _WINDOW`` characters, and a window text already read in this call is not read
    again; so the cost grows linearly with the text, however many cues it holds.
    """
    spans = [(m.start(), m.end()) for m in _ZH_TITLE.finditer(text)]
    read: dict[str, list[tuple[int, int]]] = {}
    last_end = -1
    for cue in ZH_CUE.finditer(text):
        start, end = max(0, cue.start() - 4, last_end), min(len(text), cue.end() + _WINDOW)
        if end <= start:
            continue
        last_end = end
        window = text[start:end]
        if window not in read:
            read[window] = _jieba_names(window)
        spans.extend((start + a, start + b) for a, b in read[window])
    return spans


def _jieba_names(window: str) -> list[tuple[int, int]]:
    """Offsets of the words jieba tags as person names in ``window`` that look like names."""
    found = []
    pos = 0
    for word, flag in _jieba_posseg().cut(window):
        stop = pos + len(word)
        if flag in ("nr", "nrfg", "nrt") and word not in JIEBA_NAME_STOP and is_zh_name(word):
            found.append((pos, stop))
        pos = stop
    return found


def en_names(text: str, spacy_model: str | None = None) -> list[tuple[int, int]]:
    """Return spans of English person names: after cue words, or from a configured spaCy model."""
    spans = [
        m.span("v") for m in _EN_CUE.finditer(text) if m.group("v").split()[0] not in _NOT_NAMES
    ]
    if spacy_model and text.isascii():
        doc = _spacy(spacy_model)(text)
        spans += [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    return spans
