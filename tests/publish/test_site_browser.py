"""The digest site's document pages in headless Chromium (see chromium.py for what it needs).

Screenshots go to $DIGEST_SCREENSHOTS (default: the test's temp folder).
"""
import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from chromium import WIDTHS, Browser
from site_fixtures import build_run, french, hostile, named

from pipeline.publish.markdown import file_stem

pytestmark = pytest.mark.slow
DOCS = named()


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return build_run(tmp_path_factory.mktemp("run")).parent


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    tab = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def served(out):
    """The run folder over http://127.0.0.1, as `python -m http.server` would serve it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def page_paths() -> list[str]:
    return ["site/index.html"] + [f"site/docs/{file_stem(doc.doc_id)}.html" for doc in DOCS.values()]


def local(url: str) -> bool:
    """Whether a request stays on this machine: the site's files, or Chromium's own inline images (data: URLs,
    such as the date fields' calendar icon)."""
    parts = urlsplit(url)
    return parts.scheme in ("file", "data") or (parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost"))


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_every_page_loads_clean_and_stays_local(browser, out, served, scheme):
    base = out.as_uri() if scheme == "file" else served
    for path in page_paths():
        browser.open(f"{base}/{path}")
        browser.settle()
        assert browser.problems() == [], path
        requests = browser.requests()
        assert [url for url in requests if not local(url)] == [], path
        assert any(url.endswith("/assets/site.js") for url in requests), path


def test_evidence_highlights_the_supporting_source_sentences(browser, out):
    browser.open((out / "site/docs" / f"{file_stem(french().doc_id)}.html").as_uri())
    browser.click('button.sent[data-summary="0"]')
    state = browser.evaluate("""(() => ({
        hits: [...document.querySelectorAll("tr.hit")].map(r => r.id),
        badges: [...document.querySelectorAll(".support-badge")].map(b => b.textContent),
        evidence: document.querySelector("tr.evidence-row")?.previousElementSibling.contains(
            document.querySelector('button.sent[aria-pressed="true"]')),
        visible: document.querySelector("tr.evidence-row")?.offsetParent !== null }))()""")
    assert state == {"hits": ["s-0", "s-1"], "badges": ["support 0.82", "support 0.77"],
                     "evidence": True, "visible": True}
    browser.click('button.sent[data-summary="2"]')
    text = browser.evaluate('document.querySelector("tr.evidence-row").innerText')
    assert "possible hallucination" in text and browser.evaluate('document.querySelectorAll("tr.hit").length') == 0
    browser.click('button.sent[data-summary="2"]')  # a second click closes it
    assert browser.evaluate('document.querySelectorAll("tr.evidence-row").length') == 0
    assert browser.problems() == []


@pytest.mark.parametrize("label, visible, lang", [
    ("French | English", "source", "fr"), ("English | French", "en-fr", "fr"),
    ("English | Chinese", "en-zh", "zh-Hans"),
])
def test_pair_picker_shows_one_pair(browser, out, label, visible, lang):
    browser.open((out / "site/docs" / f"{file_stem(french().doc_id)}.html").as_uri(), WIDTHS["phone"])
    browser.click(f'.picker input[value="{visible}"] + span')
    shown = browser.evaluate("""[...document.querySelectorAll("table.pairs")].filter(t => t.offsetParent)
        .map(t => [t.dataset.pair, t.caption.innerText, [...t.querySelectorAll("td.text")].map(c => c.lang)])""")
    assert len(shown) == 1 and shown[0][0] == visible and label.replace("English", "").strip(" |") in shown[0][1]
    assert set(shown[0][2]) == {"en", lang}
    browser.click(f'table[data-pair="{visible}"] button.sent[data-summary="1"]')
    assert browser.evaluate('[...document.querySelectorAll("tr.hit")].map(r => r.id)') == ["s-2"]


def test_hostile_article_executes_nothing(browser, out):
    for path in ("site/index.html", f"site/docs/{file_stem(hostile().doc_id)}.html"):
        browser.open((out / path).as_uri())
        for index in range(2):
            if path.endswith("index.html"):
                break
            browser.click(f'button.sent[data-summary="{index}"]')
        state = browser.evaluate("""[window.__pwned ?? null, document.title,
            document.querySelectorAll("img, svg, iframe, object, embed, a[href^='javascript']").length]""")
        assert state[0] is None and "PWNED" not in state[1] and state[2] == 0, (path, state)
        assert browser.problems() == [], path


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_fit_the_width(browser, out, tmp_path, width):
    folder = Path(os.environ.get("DIGEST_SCREENSHOTS") or tmp_path)
    names = ["index", *DOCS]
    for name, path in zip(names, page_paths()):
        browser.open((out / path).as_uri(), WIDTHS[width])
        if name == "french":
            browser.click('button.sent[data-summary="0"]')
        overflow = browser.overflow()
        assert overflow <= 0, f"{name} is {overflow}px wider than a {WIDTHS[width]}px screen"
        browser.screenshot(folder / f"{name}-{width}.png")
        assert (folder / f"{name}-{width}.png").stat().st_size > 5000
