"""The guide (build/site/, rendered by `make docs` from guide/ and the README), opened in headless Chromium as a reader
opens it from a static web server: every page of the nav draws its title and the nav, every link on it leads to a
page that is there, search finds a page by a word of it, and nothing is loaded from another host or logs an error."""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from playwright.sync_api import BrowserContext, Page, Route, expect

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "build" / "site"
OUT = ROOT / "build" / "docs"
NAV = [(title, page) for entry in yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"] for title, page in entry.items()]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # pytest shows what matters on failure
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    assert (SITE / "index.html").exists(), "no build/site/: `make docs` renders the guide before these tests"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def _reading(new_context: Callable[[], BrowserContext], site: str) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A page of a fresh context; the requests it tried to another host (refused), and the errors it logged."""
    outside: list[str] = []
    errors: list[str] = []

    def refuse(route: Route) -> None:
        if not route.request.url.startswith(site):
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    with new_context() as context:
        context.route(re.compile(r"^(https?|wss?):"), refuse)
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page, outside, errors


def _html(name: str) -> str:
    return name.removesuffix(".md") + ".html"


@pytest.mark.parametrize(("title", "name"), NAV, ids=[name for _, name in NAV])
def test_each_page_draws_its_title_and_the_nav_and_its_links_lead_somewhere(
    new_context: Callable[[], BrowserContext], site: str, title: str, name: str
) -> None:
    with _reading(new_context, site) as (page, outside, errors):
        url = urljoin(site, _html(name))
        assert page.goto(url).status == 200  # type: ignore[union-attr]
        heading = page.locator("article h1").first
        heading.wait_for()
        assert heading.inner_text().strip(), f"{name}: no title"
        nav = [text.strip() for text in page.locator("nav.md-nav--primary .md-nav__link").all_inner_texts() if text.strip()]
        assert all(any(entry == shown for shown in nav) for entry, _ in NAV), f"{name}: the nav shows {nav}"
        hrefs = {
            urljoin(url, href) for href in page.locator("article a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        }
        here = {href.split("#")[0] for href in hrefs if href.startswith(site)}
        for target in sorted(here):
            answer = page.request.get(target)
            assert answer.status == 200, f"{name}: a link to {urlsplit(target).path}, which the site does not have"
        OUT.mkdir(parents=True, exist_ok=True)
        picture = page.screenshot(path=OUT / f"guide-{name.removesuffix('.md')}.png")
        assert len(set(picture[100:5000])) > 10, f"{name}: a blank screenshot"
    assert not outside, f"{name} loaded from another host: {outside}"
    assert not errors, f"{name} logged: {errors}"


def test_search_finds_the_page_that_holds_a_word(new_context: Callable[[], BrowserContext], site: str) -> None:
    with _reading(new_context, site) as (page, outside, errors):
        page.goto(site + "index.html")
        search = page.locator("input.md-search__input")  # in the header, at a laptop's width
        search.click()
        search.press_sequentially("upstream")  # typed: the theme searches on each key, not on a value set at once
        # The theme searches again on each key, in a worker: the first result may still be a shorter word's
        # ("ups") for a moment, so wait for the list to settle on the whole word's, not for a first result.
        first = page.locator("a.md-search-result__link").first
        expect(first).to_have_attribute("href", re.compile(r"real-server\.html"), timeout=30_000)
    assert not outside and not errors, (outside, errors)
