"""Expectation suites: find, load and check GX 1.x suite files (``expectations/*.json``).

A suite file is plain GX 1.x JSON (``name``, ``expectations[].type/kwargs/meta``)
with one govkit rule: every expectation carries a unique ``meta.rule_id``, the
key of every result govkit reports. Loading and checking the file needs no GX;
:func:`build_gx_suite` imports GX and fails loudly when GX would have dropped a
rule (GX itself only logs unknown types and carries on).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from govkit.errors import QualityToolError, SuiteError

if TYPE_CHECKING:
    import great_expectations as gx

PERSONAL_HINTS = (
    "name", "phone", "mobile", "tel", "email", "mail", "address", "addr", "id_number",
    "idcard", "id_card", "national_id", "passport", "birth", "card", "account", "ip",
    "身份证", "证件", "姓名", "手机", "电话", "邮箱", "地址", "住址", "出生", "银行卡", "卡号",
)  # fmt: skip
"""Column-name fragments treated as personal even when the suite does not say so."""


class Rule(BaseModel):
    """One expectation of a suite file."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(min_length=1)
    kwargs: dict[str, Any] = Field(default_factory=dict)
    meta: dict[str, Any] = Field(default_factory=dict, validate_default=True)

    @field_validator("meta")
    @classmethod
    def _has_rule_id(cls, meta: dict[str, Any]) -> dict[str, Any]:
        rule_id = meta.get("rule_id")
        if not isinstance(rule_id, str) or not rule_id.strip():
            raise ValueError("every expectation needs a non-empty meta.rule_id")
        return meta

    @property
    def rule_id(self) -> str:
        """The stable id of this rule (``meta.rule_id``)."""
        return str(self.meta["rule_id"])

    @property
    def columns(self) -> list[str]:
        """The columns this rule reads (empty for table-level rules)."""
        kw = self.kwargs
        if isinstance(kw.get("column"), str):
            return [kw["column"]]
        if isinstance(kw.get("column_A"), str) and isinstance(kw.get("column_B"), str):
            return [kw["column_A"], kw["column_B"]]
        if isinstance(kw.get("column_list"), list):
            return [str(c) for c in kw["column_list"]]
        return []


class Suite(BaseModel):
    """A suite file, checked: a name and rules with unique ids."""

    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1)
    expectations: list[Rule] = Field(min_length=1)  # an empty suite would pass any data
    meta: dict[str, Any] = Field(default_factory=dict)
    path: Path = Path("<memory>")

    def personal_columns(self) -> set[str]:
        """Columns whose observed values must never be shown.

        Those listed in ``meta.personal_columns``, those of rules marked
        ``meta.personal``, those read by govkit identifier expectations, and
        those whose name suggests personal data.
        """
        from govkit.quality.expectations import IDENTIFIER_TYPES

        personal = {str(c) for c in self.meta.get("personal_columns", [])}
        for rule in self.expectations:
            if rule.type in IDENTIFIER_TYPES or rule.meta.get("personal"):
                personal.update(rule.columns)
            personal.update(c for c in rule.columns if looks_personal(c))
        return personal


def looks_personal(column: str) -> bool:
    """Return True when a column name suggests personal data."""
    lowered = column.lower()
    return any(hint in lowered for hint in PERSONAL_HINTS)


def find_suite(expectations_dir: Path, dataset_name: str) -> Path:
    """Return ``<expectations_dir>/<dataset_name>.json``.

    Raises:
        SuiteError: there is no suite for that dataset.
    """
    path = expectations_dir / f"{dataset_name}.json"
    if not path.is_file():
        raise SuiteError(
            f"{path}: no expectation suite for dataset {dataset_name!r}; "
            "pass --suite FILE or set GOVKIT_EXPECTATIONS_DIR"
        )
    return path


def load_suite(path: Path) -> Suite:
    """Read and check a suite file (no GX import).

    Raises:
        SuiteError: unreadable JSON, a missing field, or duplicate rule ids;
            the message names the file and the field path.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SuiteError(f"{path}: no such suite file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError(f"{path}: cannot read suite file ({type(exc).__name__})") from exc
    except json.JSONDecodeError as exc:
        raise SuiteError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno})") from exc
    if not isinstance(raw, dict):
        raise SuiteError(f"{path}: a suite must be a JSON object")
    _name_plain_rules(raw)
    try:
        suite = Suite.model_validate({**raw, "path": path})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "<root>"
        raise SuiteError(f"{path}: {where}: {err['msg']}") from exc
    seen: set[str] = set()
    for index, rule in enumerate(suite.expectations):
        if rule.rule_id in seen:
            raise SuiteError(
                f"{path}: expectations.{index}.meta.rule_id: duplicate {rule.rule_id!r}"
            )
        seen.add(rule.rule_id)
    return suite


def _name_plain_rules(raw: dict[str, Any]) -> None:
    """Give each rule of a plain GX suite (no ``meta.rule_id``) a stable id.

    The id is GX's own expectation ``id`` when the file has one, else
    ``<position>-<type>[-<column>]``; a ``meta.rule_id`` given but empty stays an error.
    """
    rules = raw.get("expectations")
    if not isinstance(rules, list):
        return
    for position, rule in enumerate(rules, start=1):
        if not isinstance(rule, dict):
            continue
        meta = rule.get("meta")
        if meta is None:
            meta = rule["meta"] = {}
        if not isinstance(meta, dict) or "rule_id" in meta:
            continue
        column = (rule.get("kwargs") or {}).get("column")
        given = rule.get("id")
        meta["rule_id"] = (
            str(given)
            if isinstance(given, str) and given.strip()
            else "-".join([str(position), str(rule.get("type", "rule"))]
                          + ([column] if isinstance(column, str) else []))
        )  # fmt: skip


def build_gx_suite(suite: Suite, rules: list[Rule], name: str | None = None) -> gx.ExpectationSuite:
    """Build a GX suite of ``rules``, failing when any rule would not run as written.

    ``name`` overrides the suite's name (govkit runs parts of a suite separately).

    Raises:
        QualityToolError: a rule's type is unknown to GX and govkit, or GX
            dropped a rule; the message names the rule.
        SuiteError: a rule's kwargs do not fit its type (names rule and field).
    """
    import great_expectations as gx
    from great_expectations.exceptions import exceptions as gx_exc
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    from govkit.quality.expectations import register

    register()
    built = []
    for rule in rules:
        config = ExpectationConfiguration(type=rule.type, kwargs=rule.kwargs, meta=rule.meta)
        try:
            built.append(config.to_domain_obj())
        except (
            gx_exc.ExpectationNotFoundError,
            gx_exc.InvalidExpectationConfigurationError,
        ) as exc:
            raise QualityToolError(
                f"{suite.path}: rule {rule.rule_id}: unknown expectation type {rule.type!r}"
            ) from exc
        except Exception as exc:  # pydantic v1 ValidationError from GX's models
            raise SuiteError(f"{suite.path}: rule {rule.rule_id}: {_kwargs_problem(exc)}") from exc
    gx_suite = gx.ExpectationSuite(
        name=name or suite.name, expectations=built, meta=dict(suite.meta)
    )
    kept = {str(e.meta.get("rule_id")) for e in gx_suite.expectations if e.meta}
    for rule in rules:
        if rule.rule_id not in kept:
            raise QualityToolError(
                f"{suite.path}: rule {rule.rule_id} ({rule.type}) was dropped by GX"
            )
    return gx_suite


def _kwargs_problem(exc: Exception) -> str:
    """Name the offending kwarg of a GX config error without echoing its value."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            first = errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            return f"kwargs.{where}: {first.get('msg', 'invalid')}"
        except (IndexError, TypeError, AttributeError):
            pass
    return f"invalid kwargs ({type(exc).__name__})"
