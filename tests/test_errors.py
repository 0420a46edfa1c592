"""One exit-code map: the error class carries its code; the CLI and `run` read the same one."""

from __future__ import annotations

import inspect

import pytest
import typer

from govkit import errors
from govkit.cli._errors import exit_code

CLASSES = [
    c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, errors.GovkitError)
]


def _branch(cls: type[errors.GovkitError]) -> int:
    if issubclass(cls, errors.ComplianceFailure):
        return 1
    if issubclass(cls, errors.UsageError):
        return 2
    return 3


def test_every_error_class_is_listed() -> None:
    assert len(CLASSES) >= 20
    doc = errors.__doc__ or ""
    assert [c.__name__ for c in CLASSES if c.__name__ not in doc] == []


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_exit_code_is_the_class_branch(cls: type[errors.GovkitError]) -> None:
    exc = cls("x")
    assert errors.exit_code_of(exc) == _branch(cls) == exit_code(exc)


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (ValueError("value 13812345678"), 3),
        (KeyError("k"), 3),
        (errors.PolicyTestFailedError("p"), 1),
        (errors.AccessWidenedError("p"), 1),
        (errors.UsageError("u"), 2),
        (typer.BadParameter("bad"), 2),
    ],
)
def test_foreign_and_cli_errors(exc: BaseException, code: int) -> None:
    assert exit_code(exc) == code
