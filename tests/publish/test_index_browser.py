"""The index in headless Chromium: the reading language (kept across pages and visits), the filters, the page
without JavaScript, and screenshots in each language at desktop and phone widths.

Screenshots go to $DIGEST_SCREENSHOTS (default: the test's temp folder).
"""
import json
import os
from pathlib import Path

import pytest
from chromium import WIDTHS, Browser
from site_fixtures import build_run, chinese, french, hostile

pytestmark = pytest.mark.slow
SHOWN = """[...document.querySelectorAll("li.entry")].filter(e => e.offsetParent)
    .map(e => [...e.querySelectorAll(".title a")].find(a => a.offsetParent).textContent)"""


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> str:
    return (build_run(tmp_path_factory.mktemp("run")) / "index.html").as_uri()


@pytest.fixture(scope="module")
def tab(tmp_path_factory):
    tab = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield tab
    tab.close()


@pytest.fixture
def browser(tab, index):
    """The browser, with no reading language kept from another test and scripts on."""
    tab.call("Emulation.setScriptExecutionDisabled", value=False)
    tab.open(index)
    tab.evaluate("localStorage.clear()")
    return tab


def choose(browser: Browser, reader: str) -> None:
    browser.click(f'.switch input[value="{reader}"] + span')


def shown_titles(browser: Browser) -> list[str]:
    return browser.evaluate(SHOWN)


def test_the_reading_language_is_kept_across_pages_and_visits(browser, index):
    browser.open(index)
    assert shown_titles(browser)[0] == french().title_english and browser.evaluate("localStorage.length") == 0
    choose(browser, "fr")
    assert shown_titles(browser)[:2] == [french().title, chinese().title_english]
    assert browser.evaluate('localStorage.getItem("digest.read")') == "fr"
    browser.follow("li.entry .title a")  # to a document page and back
    assert "/docs/" in browser.evaluate("location.href")
    browser.open(index)
    assert browser.evaluate('document.documentElement.dataset.read') == "fr"
    assert shown_titles(browser)[0] == french().title
    assert browser.evaluate('document.querySelector(".switch input:checked").value') == "fr"
    choose(browser, "zh")
    browser.open(index)
    assert shown_titles(browser)[1] == chinese().title
    assert browser.evaluate('document.querySelector("select[name=lang] option").textContent') == "全部"
    assert browser.problems() == []


def set_field(browser: Browser, name: str, value) -> None:
    key = "checked" if isinstance(value, bool) else "value"
    browser.evaluate(f"""(() => {{ const field = document.querySelector('form.filters [name={name}]');
        field.{key} = {json.dumps(value)}; field.dispatchEvent(new Event("change", {{bubbles: true}})); }})()""")


@pytest.mark.parametrize("fields, count", [
    ({"lang": "zh"}, 1), ({"lang": "fr"}, 2), ({"lang": "en"}, 3),
    ({"from": "2025-02-01"}, 3), ({"to": "2025-01-31"}, 2), ({"from": "2025-02-08", "to": "2025-02-28"}, 1),
    ({"flagged": True}, 6), ({"lang": "en", "flagged": True}, 2), ({"lang": "zh", "to": "2025-01-31"}, 0),
])
def test_filters(browser, index, fields, count):
    browser.open(index)
    for name, value in fields.items():
        set_field(browser, name, value)
    assert len(shown_titles(browser)) == count
    assert browser.evaluate('document.querySelector("output[name=shown]").textContent') == f"{count} / 7"
    assert browser.evaluate('document.querySelector("p.no-match").offsetParent !== null') == (count == 0)
    browser.click("form.filters button[type=reset]")
    browser.settle(0.1)
    assert len(shown_titles(browser)) == 7 and browser.problems() == []


def test_the_flags_filter_by_a_real_click(browser, index):
    browser.open(index, WIDTHS["phone"])
    browser.click("form.filters input[name=flagged]")
    shown = shown_titles(browser)
    assert len(shown) == 6 and "China-EU trade talks make progress" not in shown


def test_without_javascript_the_index_reads_in_english(browser, index):
    browser.evaluate('localStorage.setItem("digest.read", "zh")')  # a choice the page cannot apply without scripts
    browser.call("Emulation.setScriptExecutionDisabled", value=True)
    browser.open(index)
    visible = browser.evaluate("""(() => {
        const seen = selector => [...document.querySelectorAll(selector)].filter(n => n.offsetParent).length;
        return {en: seen("li.entry > .in-en"), fr: seen(".in-fr"), zh: seen(".in-zh"), switch: seen(".switch label"),
                filters: seen("form.filters select"), ran: document.documentElement.classList.contains("js")}; })()""")
    assert visible == {"en": 7, "fr": 0, "zh": 0, "switch": 0, "filters": 0, "ran": False}


def test_hostile_titles_and_summaries_execute_in_no_language(browser, index):
    browser.open(index)
    for reader in ("en", "fr", "zh"):
        choose(browser, reader)
        state = browser.evaluate("""[window.__pwned ?? null, document.title,
            document.querySelectorAll("img, svg, iframe, object, embed, a[href^='javascript']").length]""")
        assert state[0] is None and "PWNED" not in state[1] and state[2] == 0, (reader, state)
    text = browser.evaluate("document.body.innerText")
    assert hostile().title_english in text  # the reader sees the attack as text
    assert browser.problems() == []


@pytest.mark.parametrize("width", WIDTHS)
def test_index_screenshots_in_each_language_fit_the_width(browser, index, tmp_path, width):
    folder = Path(os.environ.get("DIGEST_SCREENSHOTS") or tmp_path)
    for reader in ("en", "fr", "zh"):
        browser.open(index, WIDTHS[width])
        choose(browser, reader)
        overflow = browser.overflow()
        assert overflow <= 0, f"the {reader} index is {overflow}px wider than a {WIDTHS[width]}px screen"
        path = folder / f"index-{reader}-{width}.png"
        browser.screenshot(path)
        assert path.stat().st_size > 20000
    assert browser.problems() == []
