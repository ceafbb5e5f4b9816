"""Headless Chromium, as the browser tests drive it: a page's visible text and the requests it made.

The flags keep Chromium off the network (only loopback is reachable on these
machines), and a fresh profile each visit keeps visits apart.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# Chromium's own requests (time, update, accounts) carry this initiator; a page's carry its origin.
BROWSER_INITIATOR = "not an origin"


@dataclass(frozen=True)
class Visit:
    text: str
    outside_requests: list[str]


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


def _visible_text(dom: str) -> str:
    """What the page shows: the DOM without scripts (the page embeds the whole contract in one)."""
    body = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", dom, flags=re.S | re.I)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def visit(url: str, screenshot: Path | None = None) -> Visit:
    with tempfile.TemporaryDirectory(prefix="zomro-chromium-") as profile:
        netlog = Path(profile) / "netlog.json"
        common = [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}/user", "--virtual-time-budget=10000"]
        dom = subprocess.run(
            [*common, f"--log-net-log={netlog}", "--dump-dom", url],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout  # fmt: skip
        requests = _page_requests(netlog)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [*common, "--window-size=1400,3000", f"--screenshot={screenshot}", url],
                capture_output=True, timeout=120, check=True,
            )  # fmt: skip
    return Visit(_visible_text(dom), requests)
