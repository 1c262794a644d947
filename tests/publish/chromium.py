"""Headless Chromium driven over the DevTools protocol, for the site's browser tests.

Needs Debian's `chromium` (and `fonts-noto-cjk` so Chinese renders in
screenshots) and the `websocket-client` package; a test module that imports
this is skipped without them.
"""
from __future__ import annotations

import base64
import json
import os
import subprocess
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
websocket = pytest.importorskip("websocket", reason="the browser tests need websocket-client")
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} not found: apt-get install chromium", allow_module_level=True)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
         "--remote-debugging-port=0"]
WIDTHS = {"desktop": 1280, "phone": 390}


class Browser:
    """One headless Chromium tab; records console errors, exceptions and every request it makes."""

    def __init__(self, profile: Path):
        profile.mkdir(parents=True, exist_ok=True)
        (profile / "DevToolsActivePort").unlink(missing_ok=True)  # an earlier browser's, on a reused profile
        self.process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        env={**os.environ, "TMPDIR": str(profile)})  # its temp files go with it
        try:
            port, path = self._endpoint(profile / "DevToolsActivePort")
            self.socket = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", suppress_origin=True,
                                                      timeout=30)
        except BaseException:
            self.process.kill()
            raise
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
        self.width = width
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

    def follow(self, selector: str) -> None:
        """Click the link `selector` and wait until the page it leads to has loaded."""
        seen = len(self.events)
        self.click(selector)
        deadline = time.monotonic() + 30
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events[seen:]):
            assert time.monotonic() < deadline, f"following {selector} loaded no page in 30 s"
            self.events.append(json.loads(self.socket.recv()))

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

    def overflow(self) -> int:
        """How many pixels the page is wider than the screen (a phone zooms out to show them, so `innerWidth`
        grows with the page and cannot tell)."""
        return self.evaluate("document.documentElement.scrollWidth") - self.width

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

