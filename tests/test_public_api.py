"""The public surface of ``import govkit`` is pinned: every name resolves, nothing extra leaks."""

from __future__ import annotations

import subprocess
import sys

import pytest

import govkit

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


@pytest.mark.parametrize("name", EXPECTED)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(govkit, name) is not None


@pytest.mark.parametrize("name", ["Scan", "scan_dataset", "nope"])
def test_unknown_names_raise_attribute_error(name: str) -> None:
    with pytest.raises(AttributeError):
        getattr(govkit, name)


def test_governor_has_a_method_per_stage() -> None:
    for stage in ("scan", "protect", "reveal", "validate", "run", "decide", "record"):
        assert callable(getattr(govkit.Governor, stage))


def test_import_govkit_is_light() -> None:
    heavy = ("pyarrow", "pandas", "presidio_analyzer", "great_expectations")
    code = f"import sys, govkit; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
