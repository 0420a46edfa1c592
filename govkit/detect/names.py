"""Person names inside text: several cheap signals, jieba as one of them.

Chinese: honorifics after a surname (``王先生``, ``李娜经理``), names next to a
phone number or before ``收``, compound surnames (``欧阳``, ``上官``), minority
names with ``·``, and jieba's part of speech (``nr``) in short windows after
cue words (``我是``, ``客户``, ``联系销售`` …) or as confirmation of a weak
signal. English: cue words, the US Census name lists (:mod:`.en_names`), and a
spaCy model only when one is installed and named in settings
(``GOVKIT_SPACY_MODEL``). Nothing is ever downloaded; the cost is linear in the
text (jieba reads bounded windows).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from govkit.detect.en_names import census_full_names, census_single_names
from govkit.detect.vocab import (
    COMPOUND_SURNAMES,
    JIEBA_NAME_STOP,
    SURNAMES,
    ZH_NAME_CUES,
)

_HAN = "\u4e00-\u9fff"
_SURNAME = "(?:" + "|".join(sorted(COMPOUND_SURNAMES)) + "|[" + "".join(sorted(SURNAMES)) + "])"
ZH_CUE = re.compile("|".join(ZH_NAME_CUES))
_WINDOW_CUES = re.compile(
    "我是|我叫|本人|客户|顾客|用户|姓名|联系人|收件人|持卡人|收货人|投诉人|名叫"
)
"""Cues after which jieba reads a whole window (its HMM costs ~3 ms a window); after the
other cues only the candidate right after the cue is confirmed (:func:`_name_at`)."""
_TITLES = "先生|女士|小姐|师傅|经理|老师|医生|律师|主任|总监|同学|阿姨|老板"
_NOT_GIVEN = "的了是在和与及或说等收给到从把被向对也都就还要已会能您你我他她们这那个位先女小经老师医律主总同阿"
_GIVEN = f"(?:(?![{_NOT_GIVEN}])[{_HAN}])"
_ZH_TITLE = re.compile(_SURNAME + _GIVEN + r"{0,2}(?=" + _TITLES + ")")
_ZH_COMPOUND = re.compile(
    "(?:欧阳|司马|诸葛|上官|皇甫|尉迟|公孙|慕容|令狐|长孙|宇文|夏侯|司徒|端木|独孤|呼延)"
    + _GIVEN
    + "{1,2}"
)
_ZH_AFTER_CUE = re.compile("(?:" + "|".join(ZH_NAME_CUES) + r")[:：\s]{0,2}")
_ZH_WHOLE_NAME = re.compile(_SURNAME + _GIVEN + "{1,2}")
_ZH_MINORITY = re.compile(f"(?<![{_HAN}])[{_HAN}]{{2,6}}[·•・]" + _GIVEN + "{2,8}")
_ZH_WEAK = re.compile(
    # a name right before a phone number, or before 收 (a recipient), or between separators
    f"(?<![{_HAN}])"
    + _SURNAME
    + _GIVEN
    + r"{1,2}"
    + r"(?=[\s:：,，]{0,2}(?:\+?86)?1[3-9][0-9]|收|[\s,，。；;、)）]|$)"
)
_EN_CUE = re.compile(
    r"(?:(?i:my name is|i am|i'm|this is|name:|customer|contact|mr\.?|mrs\.?|ms\.?|dr\.?|dear))\s+"
    r"(?P<v>[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2})"
)
NAME_PREFILTER = (
    "|".join(ZH_NAME_CUES)
    + "|"
    + _TITLES
    + r"|[·•・]|欧阳|司马|诸葛|上官|皇甫|尉迟|公孙|慕容|令狐|长孙|宇文|夏侯|司徒|端木|独孤|呼延"
    + r"|(?:^|[^\x{4e00}-\x{9fff}])["
    + "".join(sorted(SURNAMES))
    + r"][\x{4e00}-\x{9fff}]{1,2}(?:$|[^\x{4e00}-\x{9fff}]|收)"
    + r"|[A-Z][a-z]+(?: [A-Z]\.)? [A-Z]"
)
"""RE2 pattern (pyarrow): a cell that does not match holds no name :func:`zh_names` or
:func:`en_names` would find (cue words, titles, compound surnames, ``·``, a surname at a
boundary, two capitalised words)."""
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
    """Return spans of Chinese person names in ``text``.

    jieba reads a short window around each cue, never more than ``4 + len(cue) +
    _WINDOW`` characters, and a window text already read in this call is not read
    again; so the cost grows linearly with the text, however many cues it holds.
    """
    if text.isascii():
        return []
    spans = [m.span() for m in _ZH_TITLE.finditer(text) if m.group() not in JIEBA_NAME_STOP]
    spans += [(m.start(), m.end()) for m in _ZH_COMPOUND.finditer(text)]
    spans += [(m.start(), m.end()) for m in _ZH_MINORITY.finditer(text)]
    confirmed: dict[str, bool] = {}
    for cue in _ZH_AFTER_CUE.finditer(text):
        spans.extend(_name_at(text, cue.end(), confirmed))
    for m in _ZH_WEAK.finditer(text):
        word = m.group()
        if word not in confirmed:
            confirmed[word] = _jieba_confirms(word)
        if confirmed[word]:
            spans.append(m.span())
    read: dict[str, list[tuple[int, int]]] = {}
    last_end = -1
    for cue in _WINDOW_CUES.finditer(text):
        start, end = max(0, cue.start() - 4, last_end), min(len(text), cue.end() + _WINDOW)
        if end <= start:
            continue
        last_end = end
        window = text[start:end]
        if window not in read:
            read[window] = _jieba_names(window)
        spans.extend((start + a, start + b) for a, b in read[window])
    return spans


def _name_at(text: str, pos: int, confirmed: dict[str, bool]) -> list[tuple[int, int]]:
    """The longest surname + given name starting at ``pos`` that jieba reads as a name."""
    for length in (4, 3, 2):
        word = text[pos : pos + length]
        if len(word) != length or not _ZH_WHOLE_NAME.fullmatch(word):
            continue
        if word not in confirmed:
            confirmed[word] = _jieba_confirms(word)
        if confirmed[word]:
            return [(pos, pos + length)]
    return []


@lru_cache(maxsize=1 << 16)
def _jieba_confirms(word: str) -> bool:
    """Jieba reads ``word`` (2–3 characters) as one person name, or as surname + name."""
    tagged = list(_jieba_posseg().cut(word))
    if len(tagged) == 1:
        return tagged[0].flag in ("nr", "nrfg", "nrt") and tagged[0].word not in JIEBA_NAME_STOP
    return bool(tagged) and tagged[0].flag in ("nr", "nrfg", "nrt") and len(tagged[0].word) == 1


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
    """Return spans of English person names: cue words, Census name pairs, optional spaCy."""
    spans = [
        m.span("v") for m in _EN_CUE.finditer(text) if m.group("v").split()[0] not in _NOT_NAMES
    ]
    spans += census_full_names(text) + census_single_names(text)
    if spacy_model and text.isascii():
        doc = _spacy(spacy_model)(text)
        spans += [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    return spans
