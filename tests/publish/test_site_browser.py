"""The digest site in headless Chromium, driven over the DevTools protocol.

Needs Debian's `chromium` (and `fonts-noto-cjk` so Chinese renders in the
screenshots) and the `websocket-client` package; skipped without them.
Screenshots go to $DIGEST_SCREENSHOTS (default: the test's temp folder).
"""
import base64
import functools
import json
import os
import subprocess
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_fixtures import (
    chinese_headline,
    english,
    failed,
    french,
    hostile,
)

from pipeline.publish.markdown import file_stem
from pipeline.publish.site import build_site

CHROMIUM = "/usr/bin/chromium"
websocket = pytest.importorskip("websocket", reason="the browser tests need websocket-client")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not found: apt-get install chromium")]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
         "--remote-debugging-port=0"]
WIDTHS = {"desktop": 1280, "phone": 390}
DOCS = {"french": french(), "chinese-headline": chinese_headline(), "english": english(), "failed": failed(),
        "hostile": hostile()}


class Browser:
    """One headless Chromium tab; records console errors, exceptions and every request it makes."""

    def __init__(self, profile: Path):
        self.process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port, path = self._endpoint(profile / "DevToolsActivePort")
        self.socket = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", suppress_origin=True, timeout=30)
        self.calls, self.events, self.session = 0, [], None
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def _endpoint(self, port_file: Path) -> list[str]:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if port_file.exists() and len(lines := port_file.read_text().split()) == 2:
                return lines
            if self.process.poll() is not None:
                raise RuntimeError(f"{CHROMIUM} exited with {self.process.returncode} before opening DevTools")
            time.sleep(0.1)
        raise RuntimeError(f"{CHROMIUM} did not open DevTools in 30 s")

    def call(self, method: str, **params) -> dict:
        self.calls += 1
        message = {"id": self.calls, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv())
            if reply.get("id") != self.calls:
                self.events.append(reply)
            elif "error" in reply:
                raise RuntimeError(f"{method}: {reply['error']}")
            else:
                return reply["result"]

    def open(self, url: str, width: int = WIDTHS["desktop"]) -> None:
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1,
                  mobile=width < 600)
        self.events = []
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + 30
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            assert time.monotonic() < deadline, f"{url} did not load in 30 s"
            self.events.append(json.loads(self.socket.recv()))

    def settle(self, seconds: float = 0.5) -> None:
        """Let late requests (the favicon) and their errors arrive."""
        self.evaluate(f"new Promise(done => setTimeout(done, {seconds * 1000}))")

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the first visible element matching `selector`."""
        box = self.evaluate(f"""(() => {{
            const node = [...document.querySelectorAll({json.dumps(selector)})].find(n => n.offsetParent);
            node.scrollIntoView({{block: "center"}});
            const r = node.getBoundingClientRect();
            return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries (CSP violations, failed loads) so far."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                found.append(f"console: {[a.get('value', a.get('description')) for a in params['args']]}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(f"log: {params['entry']['text']} {params['entry'].get('url', '')}")
        return found

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def screenshot(self, path: Path) -> None:
        height = self.evaluate("document.documentElement.scrollHeight")
        width = self.evaluate("window.innerWidth")
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("run")
    write_run(folder)
    (folder / "reports" / "mt").mkdir(parents=True)
    (folder / "reports" / "mt" / "report.html").write_text("<!doctype html><title>mt report</title>")
    build_site(folder)
    return folder


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
    parts = urlsplit(url)
    return parts.scheme == "file" or (parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost"))


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
        overflow = browser.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than a {WIDTHS[width]}px screen"
        browser.screenshot(folder / f"{name}-{width}.png")
        assert (folder / f"{name}-{width}.png").stat().st_size > 5000
