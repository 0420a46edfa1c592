"""The run report lists every entity found in a free-text column, not only the main one."""

from __future__ import annotations

import pytest

from govkit.report.html import _entities


@pytest.mark.parametrize(
    ("kind", "entity", "found", "shown"),
    [
        ("free_text", "PERSON", ["EMAIL_ADDRESS", "PERSON", "PHONE_NUMBER"],
         "PERSON, EMAIL_ADDRESS, PHONE_NUMBER"),
        ("free_text", None, ["PERSON", "PHONE_NUMBER"], "PERSON, PHONE_NUMBER"),
        ("free_text", None, [], "—"),
        ("structured", "PHONE_NUMBER", ["PHONE_NUMBER", "PERSON"], "PHONE_NUMBER"),
        ("structured", None, [], "—"),
    ],
)  # fmt: skip
def test_entities_cell(kind: str, entity: str | None, found: list[str], shown: str) -> None:
    assert _entities(kind, entity, found) == shown
