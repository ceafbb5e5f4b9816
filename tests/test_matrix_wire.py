"""The generator matrix's wire check (clients/matrix): it passes the article's requests and names every way to miss them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from zomro_testkit import contract, recorder

from clients.article_fixtures import fixtures as article_fixtures
from clients.matrix import run as matrix

FIXTURES: dict[str, Any] = json.loads(json.dumps(article_fixtures()))
HIDDEN = matrix.secrets(FIXTURES)
ANSWER = json.dumps(contract.spec()["components"]["examples"]["ok"]["value"]).encode()


class _Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def proxy() -> Iterator[recorder.Recorder]:
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()  # shutdown() waits a poll
    try:
        with recorder.recording(f"http://127.0.0.1:{upstream.server_address[1]}") as found:
            yield found
    finally:
        upstream.shutdown()
        upstream.server_close()


def _forms(**changes: dict[str, Any]) -> list[dict[str, str]]:
    return [{name: str(value) for name, value in {**FIXTURES[call]["request"], **changes.get(call, {})}.items()} for call in matrix.CALLS]


def _multipart(client: httpx.Client, form: dict[str, str], path: str = "/") -> None:
    response = client.post(path, files={name: (None, value) for name, value in form.items()})
    assert response.json() == json.loads(ANSWER), "the proxy passes the answer on unchanged"


def test_the_article_requests_as_multipart_pass(proxy: recorder.Recorder) -> None:
    url, recorded = proxy.url, proxy.exchanges
    with httpx.Client(base_url=url) as client:
        for form in _forms():
            _multipart(client, form)
    assert matrix.wire_problems(recorded, FIXTURES, HIDDEN) == []


def test_a_chunked_multipart_body_is_read_whole(proxy: recorder.Recorder) -> None:
    url, recorded = proxy.url, proxy.exchanges
    with httpx.Client(base_url=url) as client:
        for form in _forms():
            body = httpx.Request("POST", url, files={name: (None, value) for name, value in form.items()})
            content = body.read()
            chunks = iter([content[:50], content[50:]])
            client.post("/", content=chunks, headers={"Content-Type": body.headers["Content-Type"]})
    assert matrix.wire_problems(recorded, FIXTURES, HIDDEN) == []


def test_urlencoded_json_a_wrong_path_and_wrong_fields_are_each_named(proxy: recorder.Recorder) -> None:
    url, recorded = proxy.url, proxy.exchanges
    forms = _forms(rescue={"sok": "yes", "lang": "en"}, unrescue={"elid": 1})
    with httpx.Client(base_url=url) as client:
        client.post("/", data=forms[0])
        _multipart(client, forms[1], path="/%23func=instances.fleio.rescue")
        client.post("/", json=forms[2])
    problems = matrix.wire_problems(recorded, FIXTURES, HIDDEN)
    assert "request 1 (preview): content type 'application/x-www-form-urlencoded', not multipart/form-data with a boundary" in problems
    assert "request 2 (rescue): POST /%23func=instances.fleio.rescue, not POST /" in problems
    assert "request 2 (rescue): extra fields ['lang'], missing [], wrong values sok='yes' not 'ok'" in problems
    assert "request 3 (unrescue): content type 'application/json', not multipart/form-data with a boundary" in problems
    assert any(problem.startswith("3 requests arrived, not 4") for problem in problems)


def test_a_wrong_secret_is_reported_masked(proxy: recorder.Recorder) -> None:
    url, recorded = proxy.url, proxy.exchanges
    password = FIXTURES["rescue"]["request"]["password"]
    with httpx.Client(base_url=url) as client:
        for form in _forms(rescue={"password": password + "X"}):
            _multipart(client, form)
    (problem,) = matrix.wire_problems(recorded, FIXTURES, HIDDEN)
    assert "password=" in problem and password not in problem
