"""Person names inside text: cheap signals and dictionary look-ups, no tagger.

Chinese: a surname (single or compound, :mod:`.vocab`) followed by one or two
given-name characters, where the context says a name is there — right after a
cue word (``我是``, ``客户``, ``联系销售`` …), right before an honorific
(``王先生``, ``李娜经理``), before ``收`` or a phone number, alone between
separators, two names joined by ``和``/``、`` (``张伟和王芳``), after a word that
takes a person (``和李娜通了电话``, stricter checks) — plus familiar forms
(``小李``, ``老张``, ``王总``), compound surnames anywhere (``欧阳娜娜``) and
minority names with ``·``. Each candidate is checked against jieba's dictionary
(:mod:`.lexicon`): an ordinary word (``高兴``, ``王国``, ``方式``) is not a name,
and a two-character word starting at the last given character (``来电`` in
``张伟来电``) ends the name before it. English: cue words, the US Census name
lists (:mod:`.en_names`), and a spaCy model only when one is installed and named
in settings (``GOVKIT_SPACY_MODEL``). Nothing is downloaded, no statistical
tagger runs, and every step is a regular expression or a set look-up, so the
cost is linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from govkit.detect.en_names import census_full_names, census_single_names
from govkit.detect.lexicon import lexicon
from govkit.detect.vocab import (
    COMPOUND_SURNAMES,
    FAMILIAR_STOP,
    JIEBA_NAME_STOP,
    SURNAMES,
    ZH_NAME_CUES,
)

_HAN = "\u4e00-\u9fff"
_COMPOUND = "|".join(sorted(COMPOUND_SURNAMES))
_SURNAME = "(?:" + _COMPOUND + "|[" + "".join(sorted(SURNAMES)) + "])"
_TITLES = "先生|女士|小姐|师傅|经理|老师|医生|律师|主任|总监|同学|阿姨|老板"
_NOT_GIVEN = frozenset(
    "的了是在和与及或说等收给到从把被向对也都就还要已会能您你我他她们这那个位先女经老师医律主总"
    "同阿地得着过吗呢吧啊哦嗯请让跟来去"
)
"""Characters that end a name rather than continue it (particles, pronouns, verbs, title parts)."""
_PARTICLES = frozenset(
    "的了是在和与及或说等给到从把被向对也都就还要已会能您你我他她们这那个位请让跟找交送"
)
"""Characters that end the word before a ``·`` name's first part (``送给热依拉·…``)."""
_GIVEN = f"(?:(?![{''.join(sorted(_NOT_GIVEN))}])[{_HAN}])"
_TITLE = re.compile(_TITLES)
_AFTER_CUE = re.compile("(?:" + "|".join(ZH_NAME_CUES) + r")[:：\s]{0,2}")
_BEFORE = re.compile(
    # a name ends right before: an honorific, 收 (a recipient), or a mobile number
    rf"(?<=[{_HAN}])(?:(?P<title>{_TITLES})|收|[\s:：,，]{{0,2}}(?:\(?\+?86\)?[ -]?)?1[3-9][0-9])"
)
_ALONE = re.compile(
    # a name between separators (``，赵敏，``) or at either end of the text, also before
    # 的/说 (``李娜的快递``, ``张伟说``)
    f"(?<![{_HAN}])" + _SURNAME + _GIVEN + "{1,2}" + r"(?=[\s,，。；;、)）!！?？]|的|说|$)"
)
_ZH_COMPOUND = re.compile(
    "(?:欧阳|司马|诸葛|上官|皇甫|尉迟|公孙|慕容|令狐|长孙|宇文|夏侯|司徒|端木|独孤|呼延)"
    + _GIVEN
    + "{1,2}"
)
_TAIL = f"(?:(?![{''.join(sorted(_NOT_GIVEN - set('阿都')))}])[{_HAN}])"
"""A character of a transliterated name after ``·`` (``阿不都`` has 阿 and 都)."""
_ZH_MINORITY = re.compile(f"[{_HAN}]{{2,6}}(?P<dot>[·•・])" + _TAIL + "{2,8}")
_JOIN = re.compile(f"(?<=[{_HAN}])[和与、及跟](?={_SURNAME})")
"""A joiner between two names (``张伟和王芳``, ``刘洋、陈静``): both sides must be names."""
_FAMILIAR = re.compile(
    f"(?:(?<=[小老])[{''.join(sorted(SURNAMES))}]|[{''.join(sorted(SURNAMES))}](?=总))"
)
"""``小李``, ``老张`` (the surname), ``王总`` (the surname before 总)."""
_WEAK = re.compile(f"[和跟同与给找问陪叫让请](?={_SURNAME})")
"""A word that takes a person after it (``和李娜通了电话``, ``找孙丽``): a weak cue."""
_VERB_AFTER = frozenset("说来去到在是把被给跟和也都就还要已会能通打发吃聊见谈约签回问讲商")
"""Characters that follow a name far more often than they end one (``孙丽通了电话``)."""
_ROLE_SUFFIX = frozenset("员工人家部处科司局厂店商")
"""Characters that end a role or an organisation (``跟单员``), not a given name."""
_CUE = re.compile("|".join(ZH_NAME_CUES))
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
    + r"][\x{4e00}-\x{9fff}]{1,2}(?:$|[^\x{4e00}-\x{9fff}]|的|说)"
    + r"|["
    + "".join(sorted(SURNAMES))
    + r"][\x{4e00}-\x{9fff}]{0,2}收"
    + r"|[小老"
    + "".join(sorted(SURNAMES))
    + r"]["
    + "".join(sorted(SURNAMES))
    + r"总]|[和与、及跟同给找问陪叫让请]["
    + "".join(sorted(SURNAMES))
    + r"]"
    + r"|[A-Z][a-z]+(?: [A-Z]\.)? [A-Z]"
)
"""RE2 pattern (pyarrow): a cell that does not match holds no name :func:`zh_names` or
:func:`en_names` would find (cue words, titles, compound surnames, ``·``, a surname at a
boundary or before ``收``/``的``/``说``, two capitalised words); a name before a phone number passes the
digit pre-filter."""
_PY_SPACE = (
    r"\t\n\x{0b}\x{0c}\r\x{1c}-\x{1f} \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}"
)
r"""What Python's ``\s`` matches in a str pattern, as an RE2 class body (a test pins it)."""
EN_NAME_GATE = f"[{_PY_SPACE}][A-Z][a-z]"
"""RE2 pattern (pyarrow) that every text :func:`en_names` finds a name in contains
(without a spaCy model): a capitalised word after white space — after a cue word, the
second word of a pair, a lone name after a lower-case word or a comma."""
_NOT_NAMES = frozenset(["I", "The", "My", "Your", "Order", "Customer", "Service", "Please", "Sir"])
_COMMON_NAME_FREQ = 500
"""A dictionary word tagged as a name this frequent is an ordinary word too (``明白``, ``顾问``)."""


def is_zh_name(token: str) -> bool:
    """Return True for 2–4 Chinese characters starting with a known surname."""
    if not 2 <= len(token) <= 4 or not all(_HAN[0] <= c <= _HAN[-1] for c in token):
        return False
    return token[0] in SURNAMES or token[:2] in COMPOUND_SURNAMES


@lru_cache(maxsize=2)
def _spacy(model: str) -> Any:
    import spacy

    return spacy.load(model, exclude=["tagger", "parser", "lemmatizer", "attribute_ruler"])


def zh_names(text: str) -> list[tuple[int, int]]:
    """Return spans of Chinese person names in ``text`` (possibly overlapping)."""
    if text.isascii():
        return []
    spans: list[tuple[int, int]] = []
    for _, rule in ZH_NAME_RULES:
        spans += rule(text)
    return spans


def _minority_names(text: str) -> list[tuple[int, int]]:
    return [m for m in map(_minority, _ZH_MINORITY.finditer(text)) if m]


def _compound_names(text: str) -> list[tuple[int, int]]:
    return [m for m in (_name_at(text, c.start()) for c in _ZH_COMPOUND.finditer(text)) if m]


def _alone_names(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _ALONE.finditer(text) if _plausible(text, *m.span())]


def _familiar_names(text: str) -> list[tuple[int, int]]:
    return [m for m in map(_familiar, _FAMILIAR.finditer(text)) if m]


def _joined_names(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for join in _JOIN.finditer(text):
        left, right = _name_before(text, join.start(), None), _name_at(text, join.end())
        if left and right:
            spans += [left, right]
    return spans


def _weak_cue_names(text: str) -> list[tuple[int, int]]:
    return [m for m in (_after_weak(text, w.end()) for w in _WEAK.finditer(text)) if m]


def _cue_names(text: str) -> list[tuple[int, int]]:
    return [m for m in (_name_at(text, cue.end()) for cue in _AFTER_CUE.finditer(text)) if m]


def _names_before(text: str) -> list[tuple[int, int]]:
    found = (_name_before(text, a.start(), a.group("title")) for a in _BEFORE.finditer(text))
    return [m for m in found if m]


_H = r"\x{4e00}-\x{9fff}"
_S = "(?:" + _COMPOUND + "|[" + "".join(sorted(SURNAMES)) + "])"
ZH_NAME_RULES: tuple[tuple[str, Callable[[str], list[tuple[int, int]]]], ...] = (
    ("[·•・]", _minority_names),
    (_ZH_COMPOUND.pattern[: _ZH_COMPOUND.pattern.index(")") + 1], _compound_names),
    (rf"(?:^|[^{_H}]){_S}[{_H}]{{1,2}}(?:$|[^{_H}]|的|说)", _alone_names),
    (f"[小老]{_S}|{_S}总", _familiar_names),
    (f"[和与、及跟]{_S}", _joined_names),
    (f"[和跟同与给找问陪叫让请]{_S}", _weak_cue_names),
    ("|".join(ZH_NAME_CUES), _cue_names),
    (rf"{_TITLES}|{_S}[{_H}]{{0,2}}收|1[3-9][0-9]", _names_before),
)
""":func:`zh_names`' rules in order, each with an RE2 pattern (pyarrow) that every text the
rule finds a name in contains: ``·``; a compound surname; a surname between separators; 小/老
+ surname or surname + 总; a joiner or a weak cue before a surname; a cue word; a title, 收
after a surname, or a mobile number. Batch detection runs a rule only where its gate passes."""


def _minority(match: re.Match[str]) -> tuple[int, int] | None:
    """A ``·`` name without the cue word or particle before it (``联系阿卜杜拉·…``).

    The part after ``·`` ends where a dictionary word begins (``艾力今天请假`` → ``艾力``).
    """
    text, start, dot = match.string, match.start(), match.start("dot")
    head = text[start:dot]
    cut = max([i + 1 for i, c in enumerate(head) if c in _PARTICLES] + [0])
    cut = max([m.end() for m in _CUE.finditer(head)] + [cut])
    pairs = lexicon().plain_pairs
    end = next((i for i in range(dot + 3, match.end()) if text[i : i + 2] in pairs), match.end())
    return (start + cut, end) if dot - start - cut >= 2 else None


def _after_weak(text: str, pos: int) -> tuple[int, int] | None:
    """A name after a weak cue at ``pos``, when the text after it says a name ended.

    Stricter than after a cue word: the cue must not close a word with the character
    before it (``寻找``, ``总和``) or open one with the surname (``跟单``, ``给予``); the
    name must not end inside a word (``请于明天``: 明天); and what follows must start
    a word, a particle or a verb (``和孙丽吃饭``, ``跟周杰说``) or end the text. A name
    the dictionary knows (``李娜``) is taken as it is.
    """
    lex = lexicon()
    if text[pos - 2 : pos] in lex.pairs or text[pos - 1 : pos + 1] in lex.pairs:
        return None
    size = _surname(text, pos)
    if size and lex.named(text[pos : pos + size + 1]) and _plausible(text, pos, pos + size + 1):
        return pos, pos + size + 1
    if _CUE.match(text, pos + size):
        return None  # 请向客服反映: a cue word, not a given name
    for given in (2, 1):
        end = pos + size + given
        if end > len(text) or not _plausible(text, pos, end):
            continue
        if given == 2 and (text[end - 1] in _VERB_AFTER or text[end - 2 : end] in lex.pairs):
            continue  # 孙丽通了; 向客服, 于下周: the given part is a word
        if text[end - 1] in _ROLE_SUFFIX or text[end - 1 : end + 1] in lex.pairs:
            continue  # 跟单员; 请于明天
        nxt = text[end : end + 1]
        if not nxt or not "\u4e00" <= nxt <= "\u9fff" or nxt in _NOT_GIVEN | _VERB_AFTER:
            return pos, end
        if text[end : end + 2] in lex.pairs:
            return pos, end
    return None


def _familiar(match: re.Match[str]) -> tuple[int, int] | None:
    """``小李``/``老张``/``王总``: the surname, unless the pair is an ordinary word.

    ``小时``, ``老师``, ``小米`` are words (:data:`.vocab.FAMILIAR_STOP`); so is a
    pair the prefix closes with the character before it (``从小``, ``养老``) or the
    surname with the next one (``小龙虾``); in ``周总结`` and ``总部`` 总 starts a word.
    """
    text, pos = match.string, match.start()
    pairs = lexicon().pairs
    if text[pos + 1 : pos + 2] == "总":
        if text[pos + 1 : pos + 3] in pairs or _common(text[pos : pos + 2]):
            return None
        if pos > 0 and text[pos - 1 : pos + 1] in pairs:
            return None
        return pos, pos + 1
    if text[pos - 1 : pos + 1] in FAMILIAR_STOP:
        return None
    if pos > 1 and text[pos - 2 : pos] in pairs:
        return None  # 从小, 养老, 古老
    if _common(text[pos : pos + 2]):
        return None  # 小龙虾: 龙虾; 小程序: 程序
    return pos - 1, pos + 1


def _surname(text: str, pos: int) -> int:
    """Length of the surname starting at ``pos`` (2 compound, 1 single, 0 none)."""
    if text[pos : pos + 2] in COMPOUND_SURNAMES:
        return 2
    return 1 if pos < len(text) and text[pos] in SURNAMES else 0


def _given_ok(given: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" and c not in _NOT_GIVEN for c in given)


def _common(word: str) -> bool:
    """``word`` is an ordinary dictionary word, not a name (``高兴``, ``明白``, ``毛巾``).

    A frequent word tagged as a name counts as ordinary (jieba tags ``明白`` and ``顾问``
    ``nr``), except after a compound surname (``诸葛亮`` is a name).
    """
    if word in JIEBA_NAME_STOP:
        return True
    lex = lexicon()
    if lex.common(word):
        return True
    frequent = lex.named(word) and lex.words[word][0] >= _COMMON_NAME_FREQ
    return frequent and word[:2] not in COMPOUND_SURNAMES


def _title_inside(text: str, start: int, end: int) -> bool:
    """A title starts among the given characters (``王小姐``: 小 begins 小姐)."""
    return any(_TITLE.match(text, pos) for pos in range(start, end))


def _plausible(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` (surname + 1–2 given characters) reads as a name here."""
    size = _surname(text, start)
    given = end - start - size
    if not size or not 1 <= given <= 2 or not _given_ok(text[start + size : end]):
        return False
    if _title_inside(text, start + size, end) or _common(text[start:end]):
        return False
    if given == 2:
        lex = lexicon()
        if _common(text[start : start + size + 1]):
            return False  # 高兴地…, 王国的…: an ordinary word, then one more character
        if text[end - 1 : end + 1] in lex.pairs:
            return False  # 张伟来电: 来电 is a word, so the name ends before 来
    return True


def _name_at(text: str, pos: int) -> tuple[int, int] | None:
    """The longest plausible name starting at ``pos`` (right after a cue word)."""
    size = _name_size(text[pos : pos + _AT_READS])
    return None if size is None else (pos, pos + size)


_AT_READS = 5
"""Characters from ``pos`` on that decide :func:`_name_at`: a surname of up to 2, a given
name of up to 2 and the character after it (a title inside or a word it starts)."""


@lru_cache(maxsize=1 << 16)
def _name_size(window: str) -> int | None:
    """Length of the name :func:`_name_at` finds at the start of ``window`` (None: none).

    Cached: the same few characters follow a cue word in many texts.
    """
    size = _surname(window, 0)
    if not size:
        return None
    for given in (2, 1):
        end = size + given
        if end <= len(window) and _plausible(window, 0, end):
            return end
    return None


def _name_before(text: str, end: int, title: str | None) -> tuple[int, int] | None:
    """The longest plausible name ending at ``end`` (before a title, 收 or a phone)."""
    low = max(0, end - _BEFORE_READS)
    found = _name_ending(text[low : end + 2], end - low, title)
    return None if found is None else (low + found, end)


_BEFORE_READS = 5
"""Characters before ``end`` that decide :func:`_name_before` (a name of up to 4 and the
character before it); the two after it are read as well (a surname after 和)."""


@lru_cache(maxsize=1 << 16)
def _name_ending(window: str, end: int, title: str | None) -> int | None:
    """Start of the name :func:`_name_before` finds ending at ``window[end]`` (None: none).

    Before a title a surname alone is a name (``王先生``) unless surname + title is a
    word (``班主任``). A start whose preceding character forms a word with it
    (``门卫`` in ``门卫赵敏收``) is not a name's start. Cached like :func:`_name_size`;
    ``window`` starts at the text's start or 5 characters before ``end``.
    """
    pairs = lexicon().pairs
    for length in (4, 3, 2, 1):
        start = end - length
        if start < 0 or not _surname(window, start):
            continue
        if start > 0 and window[start - 1 : start + 1] in pairs:
            continue
        if window[start] in _NOT_GIVEN and _surname(window, start + 1):
            continue  # 和李娜经理: 和 joins, 李娜 is the name
        if length == _surname(window, start):
            if title is not None and not _common(window[start:end] + title):
                return start
            continue
        if _plausible_before(window, start, end):
            return start
    return None


def forget_name_windows() -> None:
    """Empty the name-window caches: their keys are a few characters of scanned texts.

    A run (:func:`govkit.protect.cache.run_scope`) and a scan (:func:`govkit.detect.scan.
    scan_dataset`) call it when they end, so no fragment of a text outlives the work it
    was read for, as with the run cache.
    """
    _name_size.cache_clear()
    _name_ending.cache_clear()


def _plausible_before(text: str, start: int, end: int) -> bool:
    size = _surname(text, start)
    given = end - start - size
    if not 1 <= given <= 2 or not _given_ok(text[start + size : end]):
        return False
    if _title_inside(text, start + size, end) or _common(text[start:end]):
        return False
    return not (given == 2 and _common(text[start : start + size + 1]))


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
