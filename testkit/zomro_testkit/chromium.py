"""Headless Chromium, as the browser tests drive it: a page's visible text, what it drew, and the requests it made.

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: no port,
no websocket), so a test waits for what it needs (Redoc has drawn the operation) instead of a
fixed budget of time, and takes its screenshot then. The flags keep Chromium off the network
(only loopback is reachable on these machines); each visit has a browser and a profile of its
own, and Chromium's net log tells which requests the page made.
"""

from __future__ import annotations

import base64
import html
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--force-device-scale-factor=1", "--font-render-hinting=none",
]  # fmt: skip
# Chromium's own requests (time, update, accounts) carry this initiator; a page's carry its origin.
BROWSER_INITIATOR = "not an origin"
# The window a person reads the reference in: a laptop's width.
WIDTH, HEIGHT = 1400, 1000
STEP_TIMEOUT = 60.0


@dataclass(frozen=True)
class Visit:
    text: str
    outside_requests: list[str]


class ChromiumError(Exception):
    pass


def _chromium() -> str:
    found = shutil.which("chromium")
    assert found, "Chromium is not installed: run `make docs` (it installs Debian's chromium)"
    return found


def _page_requests(netlog: Path) -> list[str]:
    """URLs the page itself asked for over the network (not Chromium's own background requests)."""
    log = json.loads(netlog.read_text())
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    starts = [event.get("params", {}) for event in log["events"] if event["type"] == start_job]
    return [
        params["url"]
        for params in starts
        if params.get("initiator") != BROWSER_INITIATOR and params.get("url", "").startswith(("http:", "https:", "ws:", "wss:"))
    ]


def visible_text(dom: str) -> str:
    """What the page shows: the DOM without scripts (the page embeds the whole contract in one)."""
    body = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", dom, flags=re.S | re.I)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


class _Pipe:
    """The DevTools protocol on Chromium's pipe: JSON messages, each ended by a NUL byte."""

    def __init__(self, to_chromium: IO[bytes], from_chromium: IO[bytes]) -> None:
        self._out = to_chromium
        self._answers: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._next = 0
        self.events: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, args=(from_chromium,), daemon=True)
        self._reader.start()

    def _read(self, stream: IO[bytes]) -> None:
        buffer = b""
        while chunk := stream.read1(1 << 16):  # type: ignore[attr-defined]
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        waiting = self._answers.get(message["id"])
                    if waiting is not None:
                        waiting.put(message)
                else:
                    self.events.append(message)
        with self._lock:  # Chromium has gone: nobody waits for ever
            for waiting in self._answers.values():
                waiting.put({"error": {"message": "Chromium closed the pipe"}})

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None, timeout: float = STEP_TIMEOUT) -> Any:
        with self._lock:
            self._next += 1
            number = self._next
            answer: queue.Queue[dict[str, Any]] = queue.Queue()
            self._answers[number] = answer
        message = {"id": number, "method": method, "params": params or {}} | ({"sessionId": session} if session else {})
        self._out.write(json.dumps(message).encode() + b"\0")
        self._out.flush()
        try:
            reply = answer.get(timeout=timeout)
        except queue.Empty:
            raise ChromiumError(f"{method}: no answer from Chromium within {timeout:g} s") from None
        finally:
            with self._lock:
                self._answers.pop(number, None)
        if "error" in reply:
            raise ChromiumError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})


@dataclass(frozen=True)
class Picture:
    """What a PNG shows, as Chromium decodes it."""

    width: int
    height: int
    ink: float  # the share of pixels clearly unlike the most common colour (the background)
    deviation: float  # the standard deviation of the pixels' luminance, 0 to 255

    @property
    def blank(self) -> bool:
        """Nothing drawn, or next to nothing: a page of text and frames has far more ink than this."""
        return self.ink < 0.01 or self.deviation < 4


# Decodes a PNG (a data: URL) in the page and measures it: Python has no PNG decoder fast enough
# (Chromium's screenshots use the Paeth filter), the browser has one.
_MEASURE = """(async (source) => {
  const image = new Image();
  image.src = source;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const counts = new Map();
  let sum = 0, squares = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const key = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
    counts.set(key, (counts.get(key) || 0) + 1);
    const luminance = 0.2126 * pixels[i] + 0.7152 * pixels[i + 1] + 0.0722 * pixels[i + 2];
    sum += luminance;
    squares += luminance * luminance;
  }
  let background = 0, most = -1;
  for (const [key, n] of counts) if (n > most) { most = n; background = key; }
  const [r, g, b] = [background >> 16, (background >> 8) & 255, background & 255];
  let near = 0;
  for (const [key, n] of counts) {
    if (Math.max(Math.abs((key >> 16) - r), Math.abs(((key >> 8) & 255) - g), Math.abs((key & 255) - b)) <= 24) near += n;
  }
  const total = pixels.length / 4, mean = sum / total;
  return {width: canvas.width, height: canvas.height, ink: 1 - near / total, deviation: Math.sqrt(Math.max(0, squares / total - mean * mean))};
})"""


@dataclass
class Page:
    """A page open in headless Chromium."""

    _pipe: _Pipe
    _session: str
    _target: str

    def close(self) -> None:
        self._pipe.call("Target.closeTarget", {"targetId": self._target})

    def call(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return self._pipe.call(method, params, self._session)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (a promise is awaited), as JSON brings it back."""
        result = self.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True, "returnByValue": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise ChromiumError(f"{expression[:80]!r}: {details.get('exception', {}).get('description') or details.get('text')}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = STEP_TIMEOUT) -> Any:
        """Poll a JavaScript expression until it is truthy; its value (true for an element). It may throw meanwhile (not drawn yet)."""
        deadline = time.monotonic() + timeout
        probe = f"(() => {{ try {{ const value = ({expression}); return value instanceof Node ? true : value; }} catch {{ return false; }} }})()"
        while not (value := self.evaluate(probe)):
            if time.monotonic() > deadline:
                raise ChromiumError(f"the page did not get to {expression!r} within {timeout:g} s")
            time.sleep(0.1)
        return value

    def settle(self) -> None:
        """Wait until the page has painted what its scripts last did (two animation frames)."""
        self.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))")

    def box(self, element: str) -> dict[str, float]:
        """Where the element (a JavaScript expression) is, in CSS pixels, once scrolled into view (its first line's box, for a wrapped link)."""
        if not self.evaluate(
            f"(() => {{ const el = {element}; if (el) el.scrollIntoView({{block: 'center', behavior: 'instant'}}); return !!el; }})()"
        ):
            raise ChromiumError(f"no element {element!r} on the page")
        self.settle()
        found = self.evaluate(
            f"(() => {{ const el = {element}; const r = el.getClientRects()[0] || el.getBoundingClientRect();"
            " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height, top: r.top, left: r.left}; })()"
        )
        return dict(found)

    def click(self, element: str) -> None:
        """Click the element (a JavaScript expression) as a person does: the mouse, at its middle."""
        box = self.box(element)
        x, y = box["left"] + box["width"] / 2, box["top"] + box["height"] / 2
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})
        self.settle()

    def dom(self) -> str:
        return str(self.evaluate("document.documentElement.outerHTML"))

    @property
    def text(self) -> str:
        return visible_text(self.dom())

    def screenshot(self, path: Path | None = None, clip: dict[str, float] | None = None) -> bytes:
        """A PNG of the window (or of `clip`, in CSS pixels of the page), written to `path` when given."""
        self.settle()
        params: dict[str, Any] = {"format": "png"}
        if clip is not None:
            params |= {"clip": clip | {"scale": 1}, "captureBeyondViewport": True}
        png = base64.b64decode(self.call("Page.captureScreenshot", params)["data"])
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png)
        return png

    def measure(self, png: bytes) -> Picture:
        """What a PNG shows (decoded by this page's Chromium)."""
        source = "data:image/png;base64," + base64.b64encode(png).decode()
        found = self.evaluate(f"{_MEASURE}({json.dumps(source)})")
        return Picture(int(found["width"]), int(found["height"]), float(found["ink"]), float(found["deviation"]))


class Browser:
    """A headless Chromium of its own (a fresh profile); `outside_requests` is filled once it has closed."""

    def __init__(self, pipe: _Pipe) -> None:
        self._pipe = pipe
        self.outside_requests: list[str] = []

    def open(self, url: str, ready: str = "document.readyState === 'complete'", width: int = WIDTH, height: int = HEIGHT) -> Page:
        """A new page at `url`, once `ready` (JavaScript) is true there."""
        target = self._pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        page = Page(self._pipe, self._pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"], target)
        page.call("Page.enable")
        page.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        page.call("Page.navigate", {"url": url})
        page.wait_for(ready)
        return page

    def measure(self, png: bytes) -> Picture:
        """What a PNG shows, decoded in a blank page of this browser."""
        blank = self.open("about:blank")
        try:
            return blank.measure(png)
        finally:
            blank.close()


@contextmanager
def browser() -> Iterator[Browser]:
    """A fresh headless Chromium, driven over its pipe; closed (and its net log read) after the block."""
    with tempfile.TemporaryDirectory(prefix="zomro-chromium-") as profile:
        netlog = Path(profile) / "netlog.json"
        to_chromium_r, to_chromium_w = os.pipe()
        from_chromium_r, from_chromium_w = os.pipe()

        def at_fds_3_and_4() -> None:  # the pipe's ends where Chromium looks for them
            os.dup2(to_chromium_r, 3)
            os.dup2(from_chromium_w, 4)

        process = subprocess.Popen(
            [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}/user", f"--log-net-log={netlog}",
             "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=at_fds_3_and_4,
        )  # fmt: skip
        os.close(to_chromium_r)
        os.close(from_chromium_w)
        pipe = _Pipe(os.fdopen(to_chromium_w, "wb"), os.fdopen(from_chromium_r, "rb"))
        running = Browser(pipe)
        try:
            yield running
        finally:
            try:
                pipe.call("Browser.close", timeout=10)
            except ChromiumError:
                process.kill()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if netlog.exists():
            running.outside_requests.extend(_page_requests(netlog))


def visit(url: str, screenshot: Path | None = None, ready: str = "document.readyState === 'complete'") -> Visit:
    """The page's text once `ready` is true, and what it asked for over the network."""
    with browser() as chromium:
        page = chromium.open(url, ready)
        text = page.text
        if screenshot is not None:
            page.screenshot(screenshot)
    return Visit(text, chromium.outside_requests)
