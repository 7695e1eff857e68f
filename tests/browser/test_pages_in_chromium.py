"""A real headless Chromium loads the landing page, a resource page and the query page, runs a
query in YASGUI and sees the result table. Screenshots go to var/screenshots/."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as DriverService
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import REPO, Service
from tests.published import start_published

SCREENSHOTS = REPO / "var" / "screenshots"
# The machine has no network: these flags keep Chromium from waiting on it.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    running = start_published(tmp_path_factory.mktemp("browser"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    # Finnish first, as a reader in the region would have it (Accept-Language).
    options.add_argument("--lang=fi")
    options.add_experimental_option("prefs", {"intl.accept_languages": "fi,en"})
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=DriverService(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(20)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """Save the whole page as var/screenshots/{name}.png and print where."""
    path = SCREENSHOTS / f"{name}.png"
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(int(height), 800), 4000))
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    print(f"screenshot: {path}")
    return path


def test_landing_page_shows_the_dataset_and_its_figures(
    published: Service, browser: webdriver.Chrome
) -> None:
    browser.get(f"{published.url}/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Osaamiskartta"
    tables = browser.find_elements(By.CSS_SELECTOR, "main table")
    assert len(tables) == 3
    assert (
        "Pohjois-Savo" in browser.find_element(By.ID, "regions").find_element(By.XPATH, "..").text
    )
    links = {a.get_attribute("href").split("?")[0] for a in browser.find_elements(By.TAG_NAME, "a")}
    for path in ("/sparql", "/docs", "/dumps/", "/ontology", "/catalog"):
        assert f"{published.url}{path}" in links
    assert screenshot(browser, "landing").stat().st_size > 10_000


def test_resource_iri_opens_its_page_with_labels_and_groups(
    published: Service, browser: webdriver.Chrome
) -> None:
    browser.get(f"{published.url}/id/network/jory")
    assert browser.current_url.startswith(f"{published.url}/doc/network/jory")
    assert browser.find_element(By.TAG_NAME, "h1").text == "JORY (johtoryhmä)"
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "main h2")]
    assert headings[:3] == ["Tunnistetiedot", "Kuvaus", "Suhteet"]
    assert "Lähdeasiakirjat" in headings and "Viittaukset tähän" in headings
    main_text = browser.find_element(By.TAG_NAME, "main").text
    assert "Itä-Suomen yliopisto" in main_text
    screenshot(browser, "resource-jory")
    browser.find_element(By.LINK_TEXT, "In English").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "JORY (management group)"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    screenshot(browser, "resource-jory-en")


def test_query_page_runs_a_query_in_yasgui_and_shows_a_table(
    published: Service, browser: webdriver.Chrome
) -> None:
    browser.get(f"{published.url}/sparql")
    wait = WebDriverWait(browser, 15)
    wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
    # The named queries are offered as examples; one opens in a new tab.
    example = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#examples button")))
    browser.execute_script(
        "window.osaamiskarttaYasgui.getTab().setQuery(arguments[0]);",
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?network ?label WHERE {\n"
        "  ?network a <https://w3id.org/osaamiskartta/ontology#Network> ;\n"
        "           skos:prefLabel ?label .\n"
        '  FILTER(LANG(?label) = "fi")\n'
        "} ORDER BY ?label",
    )
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    table = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".yasr table")))
    wait.until(lambda _: "JORY (johtoryhmä)" in table.text)
    assert "ELOverkko" in table.text
    screenshot(browser, "query-results")
    example.click()
    tabs = browser.find_elements(By.CSS_SELECTOR, ".tabsList .tab")
    assert len(tabs) == 2
