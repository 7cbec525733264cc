"""The built-in search in a real browser: the repository's site built under a sub-path and served as static files."""
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CHANCERY, REPO, console_errors, free_port


@pytest.fixture(scope="module")
def published():
    """The repository's site built for http://127.0.0.1:PORT/bluebook/ and served from a plain static file server."""
    root = Path(tempfile.mkdtemp(prefix="chancery-search-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}/bluebook/"
    subprocess.run([str(CHANCERY), "build", "--quiet", "--site", str(REPO), "--output", str(root / "bluebook"), "--base-url", base],
                   check=True)
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the static file server did not start")
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def result_links(driver):
    return [link.get_attribute("href") for link in driver.find_elements(By.CSS_SELECTOR, "#search-results li a")]


def test_search_page_reads_the_query_and_lists_the_official(browser, published):
    browser.get(published + "search/?q=Patrushev")
    WebDriverWait(browser, 15).until(lambda d: result_links(d))
    links = result_links(browser)
    assert links[0] == published + "officials/nikolai-patrushev/"
    assert browser.find_element(By.ID, "search-status").text.endswith("for \u201cPatrushev\u201d.")
    assert not browser.find_element(By.ID, "search-fallback").is_displayed()
    assert console_errors(browser) == []


def test_header_box_leads_to_results_and_typing_filters(browser, published):
    browser.get(published + "chapter-2/europe/")
    box = browser.find_element(By.ID, "site-search-q")
    box.send_keys("patrushev", Keys.ENTER)
    WebDriverWait(browser, 15).until(lambda d: d.current_url.startswith(published + "search/") and result_links(d))
    assert published + "officials/nikolai-patrushev/" in result_links(browser)

    field = browser.find_element(By.ID, "search-q")
    field.clear()
    field.send_keys("kazakh")
    WebDriverWait(browser, 15).until(lambda d: published + "countries/kazakhstan/" in result_links(d))
    assert browser.current_url == published + "search/?q=kazakh"
    # Aliases count: "ROK" is an alias of the Republic of Korea.
    field.clear()
    field.send_keys("ROK")
    WebDriverWait(browser, 15).until(lambda d: published + "countries/south-korea/" in result_links(d))
    # A result follows to its page under the base path.
    browser.find_element(By.CSS_SELECTOR, "#search-results li a").click()
    WebDriverWait(browser, 15).until(lambda d: d.current_url.startswith(published) and "/search/" not in d.current_url)
    assert console_errors(browser) == []


def test_without_javascript_the_search_page_links_the_indexes(published):
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    try:
        driver.get(published + "search/?q=Patrushev")
        assert driver.find_element(By.ID, "search-fallback").is_displayed()
        assert not driver.find_element(By.ID, "search-form").is_displayed()
        links = [link.get_attribute("href") for link in driver.find_elements(By.CSS_SELECTOR, "#search-fallback a")]
        assert links == [published + path for path in ("", "countries/", "officials/", "agreements/", "organizations/")]
    finally:
        driver.quit()
