"""A real headless Chromium uses the tools without JavaScript: logs in, fills in a quality
self-assessment and sees its summary, and has a forum phase change refused with the reasons.
Screenshots go to var/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_pages_in_chromium import browser, screenshot
from tests.conftest import TOKEN, Service
from tests.published import start_published

__all__ = ["browser"]
ID = "https://w3id.org/osaamiskartta/id/"
IND = "ohjaus-edistaa-asiakkaan-voimaantumista-"


@pytest.fixture(scope="module")
def tools(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    running = start_published(tmp_path_factory.mktemp("browser-tools"))
    yield running
    running.stop()


def login(driver: webdriver.Chrome, service: Service) -> None:
    driver.get(f"{service.url}/tools/login?next=/tools/")
    driver.find_element(By.ID, "token").send_keys(TOKEN)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    # Selenium's click does not wait for the navigation a form submission starts, and the URL
    # changes before the page has loaded: a navigation started meanwhile can lose to it.
    WebDriverWait(driver, 20).until(ec.url_matches(r"/tools/$"))
    WebDriverWait(driver, 20).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "form[action='/tools/logout']"))
    )


def test_self_assessment_filled_in_the_browser_shows_its_summary(
    tools: Service, browser: webdriver.Chrome
) -> None:
    login(browser, tools)
    browser.get(f"{tools.url}/tools/quality")
    browser.find_element(By.CSS_SELECTOR, "#organisation option[value=savonia-amk]").click()
    browser.find_element(By.ID, "date").send_keys("06012025")  # Chromium's date field: mmddyyyy
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 20).until(ec.url_contains("/tools/quality/savonia-amk/2025-06-01"))
    for n, value in ((1, 4), (2, 5), (3, 3)):
        browser.find_element(
            By.CSS_SELECTOR, f"input[name=value-{IND}{n}][value='{value}']"
        ).click()
    browser.find_element(By.ID, f"comment-{IND}1").send_keys("Urapolut ovat selkeät")
    browser.find_element(By.CSS_SELECTOR, "main form[method=post] button[type=submit]").click()
    WebDriverWait(browser, 20).until(ec.url_contains("saved=1"))
    summary = browser.find_element(By.CSS_SELECTOR, "table.summary").text
    assert (
        "Ohjaus edistää asiakkaan voimaantumista 4 3 4" in summary
    )  # 4 indicators, 3 answered, mean 4
    unanswered = browser.find_element(By.CSS_SELECTOR, "ul.unanswered").text
    assert unanswered.startswith("Varmistaako ohjauspalvelujen johto")
    assert screenshot(browser, "tools-self-assessment").stat().st_size > 10_000
    body = httpx.get(f"{tools.url}/api/tools/quality/savonia-amk/2025-06-01").json()
    assert {a["value"] for a in body["answers"]} == {4, 5, 3}


def test_refused_forum_phase_change_shows_the_reasons(
    tools: Service, browser: webdriver.Chrome
) -> None:
    r = httpx.post(
        f"{tools.url}/api/tools/forums",
        json={"label_fi": "Sosiaalialan foorumi", "sector": ID + "sector/09"},
        headers=tools.auth,
    )
    assert r.status_code == 201
    login(browser, tools)
    browser.get(f"{tools.url}/tools/forums/sosiaalialan-foorumi")
    browser.find_element(By.ID, "move").click()
    errors = (
        WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "err-phase"))).text
    )
    assert "ok:hasRules" in errors and "ok:hasCompetenceMap" in errors and "ok:hasGoal" in errors
    assert browser.find_element(By.ID, "phase").text.startswith("1.")
    assert browser.find_element(By.ID, "move").get_attribute("aria-invalid") == "true"
    assert screenshot(browser, "tools-forum-phase-refused").stat().st_size > 10_000
