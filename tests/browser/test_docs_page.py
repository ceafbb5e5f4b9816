"""The rendered reference, opened in headless Chromium: it shows the API and loads nothing from outside.

Run by `make docs`, which installs Debian's chromium first; the screenshot is
left in build/docs/ to be looked at.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests import article
from tests.contract import operations

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "index.html"
OUT = ROOT / "build" / "docs"
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


def _route(operation_id: str) -> str:
    """The page's own (hash) route of an operation: #/<tag>/<operationid>."""
    op = operations()[operation_id].raw
    return f"#/{op['tags'][0]}/{operation_id.lower()}"


@cache
def page(route: str = "") -> Visit:
    name = route.strip("#/").replace("/", "-") or "overview"
    return visit(PAGE.as_uri() + route, OUT / f"{name}.png")


def test_the_overview_explains_the_path_keys() -> None:
    assert "The part after # is not sent" in page().text


@pytest.mark.parametrize("operation_id", sorted(operations()))
def test_operation_and_its_fields_are_on_its_page(operation_id: str) -> None:
    op = operations()[operation_id]
    text = page(_route(operation_id)).text
    assert op.raw["summary"] in text
    for field in op.request_schema["properties"]:
        assert re.search(rf"(?<![\w$]){re.escape(field)}(?!\w)", text), f"field {field!r} is not shown"


def test_the_preview_example_is_on_the_page() -> None:
    text = page(_route("previewRescueImages")).text
    for image in article.images():
        assert image.uuid in text and image.os_name in text, f"image {image} is not shown"


def test_the_pages_load_nothing_from_outside() -> None:
    for route in ["", *map(_route, sorted(operations()))]:
        assert page(route).outside_requests == [], route


def test_the_outside_request_check_can_fail(tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text('<html><body><img src="https://zomro-docs-control.invalid/x.png"></body></html>')
    assert visit(control.as_uri()).outside_requests == ["https://zomro-docs-control.invalid/x.png"]


def test_screenshots_were_taken() -> None:
    page(_route("previewRescueImages"))
    assert (OUT / "overview.png").stat().st_size > 10_000
    assert (OUT / "rescue-previewrescueimages.png").stat().st_size > 10_000
