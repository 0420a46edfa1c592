"""The public surface of ``import govkit``: pinned names, typed doors, one stage behind each."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import govkit
from govkit.engines.local import LocalEngine

ROOT = Path(__file__).resolve().parents[1]

EXPECTED = [
    "AccessDecision",
    "Catalog",
    "Governor",
    "GovkitSettings",
    "Pipeline",
    "ProtectResult",
    "QualityResult",
    "RunReport",
    "ScanReport",
    "TextSpan",
    "__version__",
    "errors",
    "find_spans",
    "load_pipeline",
    "open_dataset",
    "protect",
    "run",
    "scan",
    "validate",
    "write_dataset",
]


def test_all_is_sorted_and_pinned() -> None:
    assert govkit.__all__ == EXPECTED


def test_all_matches_the_lazy_exports() -> None:
    assert set(govkit.__all__) - {"__version__", "errors"} == set(govkit._EXPORTS)


HOMES = {name: module for name, module in govkit._EXPORTS.items()}


@pytest.mark.parametrize("name", sorted(HOMES))
def test_every_public_name_is_its_home_object(name: str) -> None:
    import importlib
    import types

    value, home = getattr(govkit, name), getattr(importlib.import_module(HOMES[name]), name)
    if isinstance(value, types.ModuleType):  # govkit.protect once the package is imported
        assert name == "protect" and callable(value)
        return
    assert value is home


@pytest.mark.parametrize("name", ["Scan", "scan_dataset", "nope"])
def test_unknown_names_raise_attribute_error(name: str) -> None:
    with pytest.raises(AttributeError):
        getattr(govkit, name)


# The doors: govkit.<stage>, Governor.<stage> and the stage function take the same typed
# options (no **options: a misspelt option is a TypeError, and mypy sees it).

STAGES = {
    "scan": "govkit.detect.api",
    "protect": "govkit.protect.api",
    "validate": "govkit.quality.api",
}


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_doors_are_typed_and_match_the_stage(stage: str) -> None:
    import importlib
    import inspect

    function = getattr(importlib.import_module(STAGES[stage]), stage)
    stage_params = set(inspect.signature(function).parameters) - {"context", "engine"}
    public = importlib.import_module("govkit.pipeline.api")  # govkit.<stage> (see above)
    for door, drop in (
        (getattr(public, stage), {"governor"}),
        (getattr(govkit.Governor, stage), {"self"}),
    ):
        kinds = {p.kind for p in inspect.signature(door).parameters.values()}
        assert inspect.Parameter.VAR_KEYWORD not in kinds, door
        extra = set(inspect.signature(door).parameters) - drop - stage_params
        # only the doors' own switches: raising on failure, the engine to run on
        # (protect: default a LocalEngine of ``workers``) and its worker count
        assert extra <= {"raise_on_failure", "workers", "engine"}, (door, extra)


@pytest.mark.parametrize("stage", ["scan", "protect", "validate"])
def test_a_misspelt_option_is_a_type_error(stage: str) -> None:
    with pytest.raises(TypeError, match="unexpected keyword"):
        getattr(govkit, stage)("x.csv", samplesize=10)


def _governor(tmp_path: Path, name: str) -> govkit.Governor:
    return govkit.Governor(
        govkit.GovkitSettings(
            audit_url=f"sqlite:///{tmp_path}/{name}.db",
            policy_dir=ROOT / "policies",
            expectations_dir=ROOT / "expectations",
            actor="tester",
        )
    )


def _events(gov: govkit.Governor) -> list[dict[str, Any]]:
    from govkit.audit.api import query_log
    from govkit.audit.query import AuditQuery

    volatile = {"ts", "seq", "hash", "prev_hash", "mac", "host", "chain_id", "key_id"}
    return [
        {k: v for k, v in r.event.items() if k not in volatile}
        for r in query_log(gov.settings, AuditQuery())
    ]


@pytest.mark.parametrize(
    ("stage", "source", "options"),
    [
        ("scan", "transactions.csv", {"sample_size": 200}),
        ("validate", "tickets.csv", {}),
        ("protect", "transactions.csv", {"catalog": None}),
    ],
)
def test_every_door_gives_the_same_result_and_event(
    tmp_path: Path, stage: str, source: str, options: dict[str, Any]
) -> None:
    """One stage behind three doors: same result, same audit event fields."""
    import importlib

    path = str(ROOT / "examples" / "data" / source)
    engine = {"engine": LocalEngine("auto")} if stage == "protect" else {}
    stage_fn = getattr(importlib.import_module(STAGES[stage]), stage)
    doors: dict[str, Callable[[govkit.Governor], Any]] = {
        "package": lambda g: getattr(govkit, stage)(path, governor=g, **options),
        "governor": lambda g: getattr(g, stage)(path, **options),
        # the stage function takes its engine from the door; the doors' default is "auto"
        "stage": lambda g: stage_fn(path, context=g, **options, **engine),
    }
    results: dict[str, Any] = {}
    events: dict[str, list[dict[str, Any]]] = {}
    for name, call in doors.items():
        gov = _governor(tmp_path, name)
        result = call(gov)
        results[name] = result.manifest if stage == "protect" else result
        events[name] = _events(gov)
    dumps = {k: v.model_dump() for k, v in results.items()}
    assert dumps["package"] == dumps["governor"] == dumps["stage"]
    assert len(events["stage"]) == 1 and events["stage"][0]["action"] == stage
    assert events["package"] == events["governor"] == events["stage"]


@pytest.mark.parametrize("module", ["govkit", "govkit.governor", "govkit.context"])
def test_import_govkit_is_light(module: str) -> None:
    heavy = ("pyarrow", "pandas", "sqlalchemy", "presidio_analyzer", "great_expectations")
    code = f"import sys, {module}; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
