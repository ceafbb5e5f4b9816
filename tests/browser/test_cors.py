"""CORS: a page served at another origin calls the mock from headless Chromium, as a web app would.

The page and the mock both listen on 127.0.0.1, on different ports: different origins, so
Chromium applies CORS. The `Prefer` header is not CORS-safelisted, so Chromium sends a preflight
OPTIONS first, and the POST is made only if the mock's answer to it allows the page's origin.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext
from zomro_testkit import article, mock_process
from zomro_testkit.contract import operations

ENV = "ZOMRO_MOCK_CORS_ORIGIN"
ELSEWHERE = "http://127.0.0.1:1"  # an origin that no page here is served from
FAILED = "TypeError: Failed to fetch"  # what fetch() rejects with when CORS refuses the call
NewContext = Callable[[], BrowserContext]

# The page shows in <pre id="result"> the JSON it got, or the error fetch() failed with.
PAGE = """<!doctype html><meta charset="utf-8"><pre id="result">no answer</pre>
<script>
const form = new FormData();
for (const [name, value] of Object.entries(FIELDS)) form.append(name, value);
fetch(MOCK, {method: "POST", body: form, headers: {"Prefer": "example=ok"}})
  .then((answer) => answer.json())
  .then((json) => { result.textContent = JSON.stringify(json); }, (error) => { result.textContent = `${error.name}: ${error.message}`; });
</script>
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # the test output is no place for its access log
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A throwaway static server for the page: its origin, and the folder it serves."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _mock(*args: str, env_origin: str | None = None) -> contextlib.AbstractContextManager[mock_process.RunningMock]:
    """The mock, logging every call it answers; its CORS setting only from args or env_origin, not the developer's environment."""
    env = {name: value for name, value in os.environ.items() if name != ENV} | ({ENV: env_origin} if env_origin else {})
    return mock_process.running("--port", str(mock_process.free_port()), "--verbose", *args, env=env)


def _answered(mock: mock_process.RunningMock) -> bool:
    """Whether the POST reached the mock (it logs calls, not preflights): a refused preflight stops it in the browser."""
    return " POST / unrescueInstance " in mock.output()


def _call_from_page(new_context: NewContext, site: tuple[str, Path], mock_url: str) -> str:
    """What the page at the site's origin shows after calling the mock at mock_url with the article's unrescue."""
    origin, folder = site
    fields = article.curl_example("unrescue").form
    script = PAGE.replace("FIELDS", json.dumps(fields)).replace("MOCK", json.dumps(mock_url + "/"))
    (folder / "index.html").write_text(script)
    with new_context() as context:  # a fresh profile: no preflight answer remembered from another test
        page = context.new_page()
        page.goto(f"{origin}/index.html")
        # The page has its answer (or fetch's error) once the text is no longer the placeholder.
        page.wait_for_function("document.getElementById('result').textContent !== 'no answer'")
        return (page.text_content("#result") or "").strip()


def _answer() -> str:
    """The contract's answer to unrescue (its first example, `ok`), as the page writes it."""
    value = next(iter(operations()["unrescueInstance"].response_examples.values()))["value"]
    return json.dumps(value, separators=(",", ":"))


def test_a_page_at_another_origin_calls_the_mock_by_default(new_context: NewContext, site: tuple[str, Path]) -> None:
    with _mock() as mock:
        assert _call_from_page(new_context, site, mock.url) == _answer()
        assert _answered(mock)


def test_with_cors_off_the_browser_refuses_the_call(new_context: NewContext, site: tuple[str, Path]) -> None:
    with _mock("--cors-origin", "none") as mock:
        assert _call_from_page(new_context, site, mock.url) == FAILED
        assert not _answered(mock)


def test_only_the_listed_origins_may_call(new_context: NewContext, site: tuple[str, Path]) -> None:
    origin, _ = site
    with _mock("--cors-origin", ELSEWHERE) as mock:
        assert _call_from_page(new_context, site, mock.url) == FAILED
        assert not _answered(mock)
    # The page's exact origin, given through the environment, is let in.
    with _mock(env_origin=origin) as mock:
        assert _call_from_page(new_context, site, mock.url) == _answer()


def test_the_preflight_answer() -> None:
    page, other = "http://127.0.0.1:8000", "http://127.0.0.1:9"
    ask = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "prefer,x-trace"}
    with _mock("--cors-origin", f"{ELSEWHERE},{page}") as mock:
        allowed = httpx.options(mock.url + "/", headers={"Origin": page, **ask})
        assert allowed.status_code == 204
        assert allowed.headers["access-control-allow-origin"] == page
        assert allowed.headers["access-control-allow-credentials"] == "true"
        assert allowed.headers["access-control-allow-methods"] == "GET, POST, OPTIONS"
        assert allowed.headers["access-control-allow-headers"] == "prefer,x-trace"
        assert allowed.headers["access-control-max-age"] == "600"
        assert allowed.headers["vary"] == "Origin"
        # Another origin gets no Access-Control-Allow-Origin, neither to its preflight nor to its call.
        refused = httpx.options(mock.url + "/", headers={"Origin": other, **ask})
        assert "access-control-allow-origin" not in refused.headers
        call = httpx.post(mock.url + "/", data=article.curl_example("unrescue").form, headers={"Origin": other, "Prefer": "example=ok"})
        assert call.json() == json.loads(_answer())
        assert "access-control-allow-origin" not in call.headers
