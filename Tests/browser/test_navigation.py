"""A reader's path through the built Bluebook in a real browser, by clicking links, with screenshots."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ARTEFACTS, console_errors
from test_search import published  # noqa: F401  (the module fixture: the site built under /bluebook/ and served)


def click(browser, selector: str, text: str) -> None:
    """Clicks the first link matching `selector` whose text is `text`, and waits for the next page."""
    before = browser.current_url
    links = [link for link in browser.find_elements(By.CSS_SELECTOR, selector) if link.text.strip() == text]
    assert links, f"no link {text!r} ({selector}) on {before}"
    links[0].click()
    WebDriverWait(browser, 15).until(lambda d: d.current_url != before)
    assert console_errors(browser) == [], browser.current_url


def test_home_to_memorandum_by_clicking(browser, published):  # noqa: F811
    browser.get(published)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Diplomatic Bluebook 2013"
    browser.save_screenshot(str(ARTEFACTS / "home.png"))
    assert console_errors(browser) == []

    click(browser, "main h2 a", "Chapter 2: Japan\u2019s Foreign Policy by Region")
    assert browser.current_url == published + "chapter-2/"

    click(browser, "main .section-list a", "5. Russia, Central Asia, and the Caucasus")
    assert browser.current_url == published + "chapter-2/russia-central-asia-caucasus/"
    assert browser.find_element(By.TAG_NAME, "h1").text == "5. Russia, Central Asia, and the Caucasus"
    browser.save_screenshot(str(ARTEFACTS / "russia-section.png"))
    # The footnote links both ways.
    browser.find_element(By.CSS_SELECTOR, "sup.footnote-ref a").click()
    WebDriverWait(browser, 5).until(lambda d: d.current_url.endswith("#fn-11"))

    click(browser, "aside#sidebar a", "Russia")
    assert browser.current_url == published + "countries/russia/"
    click(browser, "main a", "Nikolai Patrushev")
    assert browser.current_url == published + "officials/nikolai-patrushev/"
    assert "Secretary of the Security Council" in browser.find_element(By.TAG_NAME, "main").text
    click(browser, "main a", "Memorandum between the Ministry of Foreign Affairs of Japan and the Security Council of the Russian Federation"
                             " on security dialogue and cooperation")
    assert browser.current_url == published + "agreements/mofa-russia-security-council-memorandum/"
    assert "Not legally binding" in browser.find_element(By.TAG_NAME, "main").text


def test_search_from_the_header_reaches_patrushev(browser, published):  # noqa: F811
    browser.get(published)
    browser.find_element(By.ID, "site-search-q").send_keys("Patrushev", Keys.ENTER)
    WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li a"))
    click(browser, "#search-results li a", "Nikolai Patrushev")
    assert browser.current_url == published + "officials/nikolai-patrushev/"
