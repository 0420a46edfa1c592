"""The console in headless Chromium against a real ``govkit serve`` on the demo project.

Signs in, opens every page through the navigation, searches the audit log, runs
"verify now", takes screenshots checked for painted content, and answers the
issue's question without a terminal: which columns of customers are high tier,
who received them last week, and is the log intact?
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govkit.catalog import load_catalog
from tests.console._browser import (
    chromium_driver,
    csp_violations,
    screenshot_is_not_blank,
    serve,
    sign_in,
    wait_for,
)
from tests.console.conftest import XSS, Project

pytestmark = pytest.mark.slow
SHOTS = os.environ.get("GOVKIT_CONSOLE_SCREENSHOTS")  # a folder: keep the screenshots (docs)
PAGES = [  # (nav link text, heading)
    ("Dashboard", "Dashboard"),
    ("Catalog", "Catalog"),
    ("Access explorer", "Access explorer"),
    ("Run reports", "Run reports"),
    ("Audit log", "Audit log"),
    ("Actors", "Per-actor summary"),
]


@pytest.fixture(scope="module")
def base(project: Project) -> Iterator[str]:
    yield from serve(project)


@pytest.fixture()
def driver(tmp_path: Path) -> Iterator[Any]:
    made = chromium_driver(tmp_path / "profile")
    try:
        yield made
    finally:
        made.quit()


def _by() -> Any:
    from selenium.webdriver.common.by import By

    return By


def _shot(driver: Any, tmp_path: Path, name: str) -> None:
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    screenshot_is_not_blank(driver, folder / f"console-{name}.png")


def _table(driver: Any, ident: str) -> list[list[str]]:
    rows = driver.find_elements(_by().CSS_SELECTOR, f"#{ident} tbody tr")
    return [[td.text for td in row.find_elements(_by().TAG_NAME, "td")] for row in rows]


def _fill(driver: Any, values: dict[str, str]) -> None:
    for name, value in values.items():
        box = driver.find_element(_by().ID, f"f-{name}")
        box.clear()
        box.send_keys(value)


def test_every_page_through_the_navigation(driver: Any, base: str, tmp_path: Path) -> None:
    By = _by()
    sign_in(driver, base, "bob")  # both roles: every link
    for link, heading in PAGES:
        driver.find_element(By.LINK_TEXT, link).click()
        wait_for(driver, lambda d, h=heading: d.find_element(By.TAG_NAME, "h1").text.startswith(h))
        _shot(driver, tmp_path, link.lower().replace(" ", "-"))
    driver.find_element(By.LINK_TEXT, "Access explorer").click()
    from selenium.webdriver.support.ui import Select

    for ident, value in (("role", "analyst"), ("purpose", "analytics"), ("dataset", "customers")):
        Select(driver.find_element(By.ID, ident)).select_by_visible_text(value)
    driver.find_element(By.ID, "explain").click()
    wait_for(driver, lambda d: d.find_elements(By.ID, "decision"))
    views = {row[0]: row[1] for row in _table(driver, "views")}
    assert len(views) == 14 and set(views.values()) <= {
        "raw", "masked", "tokenized", "generalized", "deny"
    }  # fmt: skip
    _shot(driver, tmp_path, "access-decision")
    driver.find_element(By.LINK_TEXT, "Run reports").click()
    driver.find_element(By.CSS_SELECTOR, "table a[href^='/runs/']").click()
    frame = wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, "iframe.report"))
    driver.switch_to.frame(frame)
    assert wait_for(driver, lambda d: d.find_element(By.ID, "sum-high")).text  # the report drew
    driver.switch_to.default_content()
    _shot(driver, tmp_path, "run")
    assert csp_violations(driver) == []
    driver.find_element(By.ID, "logout").click()
    wait_for(driver, lambda d: d.find_elements(By.ID, "sign-in"))


def test_wrong_password_stays_out(driver: Any, base: str) -> None:
    By = _by()
    driver.get(base + "/login")
    driver.find_element(By.ID, "username").send_keys("audrey")
    driver.find_element(By.ID, "password").send_keys("not the password")
    driver.find_element(By.ID, "sign-in").click()
    assert (
        "Wrong user name or password"
        in wait_for(driver, lambda d: d.find_element(By.ID, "error")).text
    )
    driver.get(base + "/audit")
    assert driver.find_elements(By.ID, "sign-in")  # sent back to sign in


def test_markup_in_names_is_shown_as_text_never_run(driver: Any, base: str) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    _by()
    sign_in(driver, base, "bob")
    driver.get(base + "/catalog/hostile")
    names = [row[0] for row in _table(driver, "columns")]
    assert XSS in names  # the literal text, escaped by the page
    driver.get(base + "/audit?reason=&actor=" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert any(XSS in cell for row in _table(driver, "events") for cell in row)
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - nothing ran
    assert [m for m in csp_violations(driver) if "inline" in m] == []


def test_steward_and_auditor_answer_the_question_without_a_terminal(
    driver: Any, base: str, project: Project, tmp_path: Path
) -> None:
    """Which columns of customers are high tier, who received them last week, is the log intact?"""
    By = _by()
    expected_high = sorted(
        name for name, col in load_catalog(project.catalog).datasets["customers"].columns.items()
        if col.sensitivity == "high"
    )  # fmt: skip
    assert expected_high

    # The steward: catalog → customers → high tier.
    sign_in(driver, base, "stella")
    assert not driver.find_elements(By.LINK_TEXT, "Audit log")  # not a steward's page
    driver.find_element(By.LINK_TEXT, "Catalog").click()
    driver.find_element(By.LINK_TEXT, "customers").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "tier"))
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, "tier")).select_by_visible_text("high")
    driver.find_element(By.ID, "apply-tier").click()
    wait_for(driver, lambda d: "tier=high" in d.current_url)
    rows = _table(driver, "columns")
    assert sorted(row[0] for row in rows) == expected_high
    assert {row[2] for row in rows} == {"high"}
    _shot(driver, tmp_path, "catalog-high")
    driver.find_element(By.ID, "logout").click()
    wait_for(driver, lambda d: d.find_elements(By.ID, "sign-in"))

    # The auditor: who received customers in the last 7 days, then verify the chain.
    sign_in(driver, base, "audrey")
    driver.find_element(By.LINK_TEXT, "Audit log").click()
    _fill(driver, {"since": "7d", "action": "protect", "dataset": "*customers.csv"})
    driver.find_element(By.ID, "search").click()
    wait_for(driver, lambda d: "action=protect" in d.current_url)
    events = _table(driver, "events")
    receivers = {(row[3], row[6]) for row in events}  # role, purpose
    assert receivers == {
        ("analyst", "analytics"), ("marketing", "marketing"),
        ("customer_service", "customer_service"),
    }  # fmt: skip
    received = {row[3]: {c for c in expected_high if c in row[8]} for row in events}
    assert (
        received
        == {  # the high-tier columns each role received (protected); denied ones dropped
            "analyst": {"id_number", "bank_card"},
            "customer_service": {"id_number", "bank_card"},
            "marketing": set(),
        }
    )
    assert "3 matching events" in driver.find_element(By.ID, "count").text
    _shot(driver, tmp_path, "audit-search")
    driver.find_element(By.ID, "verify").click()
    verdict = wait_for(driver, lambda d: d.find_element(By.ID, "verdict")).text
    assert verdict.startswith("Intact:")
    _shot(driver, tmp_path, "verify")
    # the verification is itself on the record, in the auditor's name
    driver.get(base + "/audit?action=audit.verify&actor=audrey")
    assert any(row[2] == "audrey" for row in _table(driver, "events"))
    assert csp_violations(driver) == []
