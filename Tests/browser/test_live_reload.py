"""`chancery serve` in a real browser: edits show up without the test reloading the page."""
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import REPO, Served, console_errors

FIXTURE = REPO / "Tests" / "ChanceryTests" / "Fixtures" / "valid" / "small-report"


def test_edit_appears_without_reloading_from_the_test(browser):
    served = Served(FIXTURE)
    try:
        browser.get(served.url + "/chapter-1/russia/")
        assert "Relations with Kazakhstan deepened." in browser.find_element(By.TAG_NAME, "main").text
        WebDriverWait(browser, 10).until(lambda d: d.execute_script("return window.performance.getEntriesByType('resource').some(e => e.name.includes('/__chancery/live.js'))"))

        served.edit("content/chapter-1/01-russia.md", "Relations with Kazakhstan deepened.", "Relations with Kazakhstan deepened further.")
        # The page is replaced while the wait reads it: an element from the old page may go stale under it, or
        # Chromium may answer "unhandled inspector error" mid-navigation; the wait reads again either way.
        WebDriverWait(browser, 15, ignored_exceptions=[StaleElementReferenceException, WebDriverException]).until(
            lambda d: "deepened further." in d.find_element(By.TAG_NAME, "main").text)

        # A stylesheet change applies in place: the page is not reloaded (the marker survives).
        browser.execute_script("window.__chanceryMarker = 42")
        (served.site / "templates" / "assets").mkdir(parents=True, exist_ok=True)
        (served.site / "templates" / "assets" / "style.css").write_text("body { color: rgb(1, 2, 3); }\n")
        WebDriverWait(browser, 15).until(lambda d: d.execute_script("return getComputedStyle(document.body).color") == "rgb(1, 2, 3)")
        assert browser.execute_script("return window.__chanceryMarker") == 42

        # A broken file shows the errors over the page; fixing it clears them.
        served.edit("content/chapter-1/01-russia.md", "countries: [russia, kazakhstan]", "countries: [russia, kazakstan]")
        WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.ID, "chancery-error-overlay"))
        overlay = browser.find_element(By.ID, "chancery-error-overlay").text
        assert "content/chapter-1/01-russia.md:6:21: error: unknown country 'kazakstan'" in overlay
        served.edit("content/chapter-1/01-russia.md", "countries: [russia, kazakstan]", "countries: [russia, kazakhstan]")
        WebDriverWait(browser, 15).until(lambda d: not d.find_elements(By.ID, "chancery-error-overlay"))
        assert console_errors(browser) == []
    finally:
        served.stop()
