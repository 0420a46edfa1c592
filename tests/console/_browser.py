"""A real ``govkit serve`` on a free port and the system's headless Chromium driving it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from tests.console.conftest import PASSWORD, ROOT, Project
from tests.report._png import read_png

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--window-size=1280,900",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(project: Project, *args: str) -> Iterator[str]:
    """Run ``govkit serve`` on the project until the generator is closed; yield its base URL."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GOVKIT_AUDIT_URL", None)
    cmd = [
        sys.executable, "-m", "govkit", "--quiet", "serve", "--pipeline", str(project.pipeline),
        "--catalog", str(project.catalog), "--port", str(port), *args,
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, cwd=project.root, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # wait for the server to answer (not a timing assertion)
            if proc.poll() is not None:
                raise AssertionError(
                    f"govkit serve exited {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}"
                )
            try:
                if httpx.get(base + "/login", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("govkit serve did not answer")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def chromium_driver(profile: Path) -> Any:
    """Headless Chromium through the system chromedriver (selenium-manager never runs)."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists() and shutil.which("chromium")):
        message = "chromium/chromedriver not installed (run tests/ensure_packages.sh as root)"
        if IN_CI:
            pytest.fail(message + " (CI=true: the browser tests must run)")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # belt and braces: selenium-manager may not download
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def sign_in(driver: Any, base: str, user: str, password: str = PASSWORD) -> None:
    from selenium.webdriver.common.by import By

    driver.get(base + "/login")
    driver.find_element(By.ID, "username").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "sign-in").click()
    wait_for(driver, lambda d: d.find_elements(By.ID, "logout"))


def wait_for(driver: Any, condition: Any, seconds: int = 30) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)


def screenshot_is_not_blank(driver: Any, path: Path) -> np.ndarray:
    """Save a screenshot and check it shows a painted page (header, text, colours)."""
    assert driver.save_screenshot(str(path))
    image = read_png(path.read_bytes())[:, :, :3].astype(np.int64)
    assert image.shape[0] > 400 and image.shape[1] > 600
    assert image.std() > 20  # a blank page has (nearly) zero variance
    assert len({tuple(c) for c in image.reshape(-1, 3)[::53].tolist()}) > 20
    assert image[:30, :, :].reshape(-1, 3).mean(axis=0).max() < 80  # the dark header bar
    return image


def csp_violations(driver: Any) -> list[str]:
    """Browser console messages about the Content-Security-Policy or errors."""
    return [
        str(e.get("message", ""))
        for e in driver.get_log("browser")
        if "Content Security Policy" in str(e.get("message", "")) or e.get("level") == "SEVERE"
    ]
