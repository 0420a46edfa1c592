"""Render the steward page in headless Chromium: not blank, key numbers in the DOM, offline."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from govkit.report import render_html
from tests.report._png import read_png
from tests.report._sample import sample_report

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "chromium not installed (run tests/ensure_packages.sh as root)"
        if IN_CI:
            pytest.fail(message + " (CI=true: the report test must run)")
        pytest.skip(message)
    return path


def _chromium(binary: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [binary, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=tmp_path,
    )


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(sample_report()), encoding="utf-8")
    return path


def test_screenshot_is_not_blank(chromium: str, page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    _chromium(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1100,900", page.as_uri())
    image = read_png(shot.read_bytes())[:, :, :3].astype(np.int64)
    assert image.shape[:2] == (900, 1100)
    assert image.std() > 20  # a blank page has (nearly) zero variance
    colours = {tuple(c) for c in image.reshape(-1, 3)[::97].tolist()}
    assert len(colours) > 20
    header = image[:40, :, :].reshape(-1, 3).mean(axis=0)
    assert header.max() < 80  # the dark page header was painted


@pytest.mark.parametrize(
    "needle",
    [
        'id="sum-high"><b>2</b>',
        'id="sum-published"><b>812</b>',
        'id="sum-filtered"><b>188</b>',
        'id="sum-events"><b>9</b>',
        "consent_marketing == true",
        "<svg",
        "published</span>",
    ],
)
def test_key_numbers_in_dom(chromium: str, page: Path, tmp_path: Path, needle: str) -> None:
    dom = _chromium(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout
    assert needle in dom
