"""One detector, two paths: the Presidio recognizers and the text scanner give the same spans."""

from __future__ import annotations

import pytest

from govkit.detect.recognizers import BUILTIN
from govkit.detect.text import TextDetector, fold
from tests.detect.test_text_accuracy import CASES

EXTRA = [
    "电话：１３８－１２３４－５６７８，身份证１１０１０１１９９００３０７８５３１",
    "联系\u3000１３８\u3000１２３４\u3000５６７８",
    "tel 2345 6789 / office (646) 786-8997",
    "卡号 4111 1111 1111 1112，身份证110105194912310021",
]
DETECTOR = TextDetector.default()
RECOGNIZERS = {cls.ENTITY: cls("zh") for cls in BUILTIN}
TEXTS = [text for text, _ in CASES] + EXTRA


def _outermost(spans: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Drop spans inside another span (Presidio's ``remove_duplicates`` does the same)."""
    return {s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)}


@pytest.mark.parametrize("text", TEXTS)
def test_same_spans(text: str) -> None:
    candidates = list(DETECTOR._candidates(fold(text)))
    entities = {c.entity for c in candidates} | {
        r.entity_type for rec in RECOGNIZERS.values() for r in rec.analyze(text, [rec.ENTITY])
    }
    for entity in sorted(entities - {"ETHNICITY", "RELIGION", "HEALTH"}):
        ours = _outermost({(c.start, c.end) for c in candidates if c.entity == entity})
        theirs = _outermost({(r.start, r.end) for r in RECOGNIZERS[entity].analyze(text, [entity])})
        assert ours == theirs, (entity, text)


def test_the_table_is_not_empty() -> None:
    assert len(TEXTS) > 100
    assert sum(bool(DETECTOR.find(t)) for t in TEXTS) > 60
