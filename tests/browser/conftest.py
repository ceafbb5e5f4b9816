"""Headless Chromium for the browser tests, driven by Playwright: one browser for the run, and a
context of its own (a fresh profile: no cookies, cache or CORS preflights carried over) for each
page a test reads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

# Debian's package, which `make docs` installs when it is missing.
CHROMIUM = Path("/usr/bin/chromium")
# The window a person reads the reference in: a laptop's width.
WIDTH, HEIGHT = 1400, 1000
# Each wait (a page drawn, an element clickable), generous: the machine may be busy with a long run.
STEP_TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is not installed: run `make docs` (it installs Debian's chromium)"
    with sync_playwright() as playwright:
        # Debian's chromium, never one of Playwright's own builds: those come from `playwright install`, which
        # downloads them from Playwright's servers, and CI may download only from PyPI, npm and Debian. Debian's
        # build is not the one this Playwright release was made with; what the tests use of it (navigation,
        # clicks, waits, element screenshots, request interception, console messages) works on both.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            # Text drawn the same on every machine, and no GPU to look for (Playwright adds the other quiet flags).
            args=["--font-render-hinting=none", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def new_context(chromium: Browser) -> Callable[[], BrowserContext]:
    """Opens a fresh context (close it after use, or use it in a `with`): a laptop's window, one device pixel a CSS pixel."""

    def opened() -> BrowserContext:
        context = chromium.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1)
        context.set_default_timeout(STEP_TIMEOUT_MS)
        return context

    return opened
