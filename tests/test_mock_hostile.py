"""Hostile clients: a request that is HTTP at all gets the error document and a close, bytes that are not
HTTP get a close and one log line, no secret reaches any log from any layer, and the mock keeps answering."""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import ssl
import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from secrets import token_hex
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from zomro_testkit import article, mock_process
from zomro_testkit.contract import answer_validator, body_limit, operations

TIMEOUT = 5.0  # every wait; under the mock's 10 s client timeout, so an answer that waits for an unsent body misses it
LINE = 8190  # the longest request line, and the longest header line
MAX_BODY = body_limit()
URLENCODED = "application/x-www-form-urlencoded"
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
SETTINGS = b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"  # the empty SETTINGS frame an HTTP/2 client sends after the preface
RESCUE = article.curl_example("rescue").form
BODY = urlencode(RESCUE).encode()
LOGIN = operations()["logIn"].request_examples["login"]["value"]
LOGIN_REFUSED = next(name for name, example in operations()["logIn"].response_examples.items() if "error" in example["value"]["doc"])
# One worker for the module: its two mocks of its own (`dedicated`) start once, not once per worker.
pytestmark = pytest.mark.xdist_group("mock_hostile")


# -- raw requests ------------------------------------------------------------------------------------------
def _form(**changes: str) -> bytes:
    return urlencode({**RESCUE, **changes}).encode()


def _post(body: bytes, headers: str = "", length: int | None = None, target: str = "/", content_type: str = URLENCODED) -> bytes:
    """A POST of `body`; `length` announces another Content-Length than the body's."""
    size = len(body) if length is None else length
    head = f"POST {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\nContent-Length: {size}\r\n{headers}\r\n"
    return head.encode() + body


def _chunked(body: bytes) -> bytes:
    return f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {URLENCODED}\r\nTransfer-Encoding: chunked\r\n\r\n".encode() + body


def _get(query: str, line: int | None = None) -> bytes:
    """A GET of `query`; with `line`, padded with one more field to a request line of `line` bytes."""
    start, end = f"GET /?{query}", " HTTP/1.1"
    if line is not None:
        start += "&pad="
        start += "a" * (line - len(start) - len(end))
    return f"{start}{end}\r\nHost: 127.0.0.1\r\n\r\n".encode()


def _multipart(form: dict[str, str | bytes], boundary: str = "b") -> bytes:
    """A multipart POST of `form` (a bytes value is sent as it is)."""
    mark = boundary.encode()
    body = b"".join(
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (mark, name.encode(), value if isinstance(value, bytes) else value.encode())
        for name, value in form.items()
    )
    return _post(body + b"--%s--\r\n" % mark, content_type=f"multipart/form-data; boundary={boundary}")


def _truncated(request: bytes) -> bytes:
    """The request with its body cut in half, Content-Length and all: a body that is whole as HTTP, not as multipart."""
    head, _, body = request.partition(b"\r\n\r\n")
    cut = body[: len(body) // 2]
    return re.sub(rb"Content-Length: \d+", b"Content-Length: %d" % len(cut), head) + b"\r\n\r\n" + cut


def _client_hello(host: str) -> bytes:
    """A real TLS ClientHello, naming `host` in clear (SNI)."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ssl.create_default_context().wrap_bio(incoming, outgoing, server_hostname=host)
    with contextlib.suppress(ssl.SSLWantReadError):
        tls.do_handshake()
    return outgoing.read()


# -- one connection ----------------------------------------------------------------------------------------
@dataclass
class Reply:
    data: bytes  # all that the mock sent
    closed: bool  # the mock closed the connection
    port: int  # the client's port, by which the mock's log names the connection


def _whole_keep_alive(data: bytes) -> bool:
    """`data` is a whole answer that leaves the connection open: nothing more will come."""
    head, found, body = data.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length: *(\d+)", head)
    return bool(found and length and len(body) >= int(length[1]) and not re.search(rb"(?im)^connection: *close", head))


def _exchange(url: str, data: bytes, end: str = "read") -> Reply:
    """Send raw bytes, then read until the mock closes (or leaves a whole answer open), within TIMEOUT.

    end: "shut" closes the client's write side after sending; "reset" waits for `100 Continue`, so the mock is
    reading the body, then drops the connection (RST) without reading anything more."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
        reply = Reply(b"", False, sock.getsockname()[1])
        with contextlib.suppress(OSError):  # a mock answering from the head may close before it has all
            sock.sendall(data)
        if end == "reset":
            assert sock.recv(64).startswith(b"HTTP/1.1 100 "), "the mock asks for the body"
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return reply
        if end == "shut":
            sock.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + TIMEOUT
        try:
            while not _whole_keep_alive(reply.data) and (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                chunk = sock.recv(65536)
                if not chunk:
                    reply.closed = True
                    break
                reply.data += chunk
        except TimeoutError:
            pass
        return reply


def _error_document(reply: Reply) -> tuple[dict[str, str], dict[str, Any]]:
    """The headers of an answer that must be the error document, and its error, checked against the contract."""
    head, _, body = reply.data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    assert status == "HTTP/1.1 200 OK", f"errors come with HTTP 200: {reply.data[:300]!r}"
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    assert headers.get("content-type", "").startswith("application/json")
    document = json.loads(body)
    errors = [e.message for e in answer_validator("ErrorDoc").iter_errors(document)]
    assert not errors, f"not the contract's error document: {errors}: {document}"
    return headers, document["doc"]["error"]


def _answers(url: str) -> None:
    """The mock still answers the article's preview (the same in every world) as the contract says."""
    answer = httpx.post(url + "/", data=article.curl_example("preview").form, timeout=TIMEOUT)
    assert answer.json() == next(iter(operations()["previewRescueImages"].response_examples.values()))["value"]


def _stderr(mock: mock_process.RunningMock, since: int) -> str:
    return mock.stderr.read_bytes()[since:].decode(errors="replace")


def _log_lines(mock: mock_process.RunningMock, since: int, port: int) -> list[str]:
    """The lines logged since `since` (a size of stderr), once the connection from `port` shows, and up to the
    line of a later request: by then every line about that connection has been written."""
    peer = re.compile(rf"127\.0\.0\.1:{port}\b")
    deadline = time.monotonic() + TIMEOUT
    while not peer.search(_stderr(mock, since)) and time.monotonic() < deadline:
        time.sleep(0.02)
    barrier = _exchange(mock.url, _get("out=json"))  # no `func`: logged with and without --verbose
    lines = _stderr(mock, since).splitlines()
    ends = [i for i, line in enumerate(lines) if f"127.0.0.1:{barrier.port} " in line]
    assert ends, f"the later request was not logged: {lines}"
    return lines[: ends[0]]


# -- 1. a request that is HTTP at all gets the error document, and its connection ends --------------------
# (case, raw request, how the client ends it, expected $object, a phrase the message must hold)
# A request whose body the mock did not read to its end must end its connection; one read whole
# but malformed inside (multipart) may keep it, as any rejected request does.
REFUSED = [
    ("request line far over the limit", _get(urlencode(RESCUE), 2 * LINE), "read", "request line", ""),
    ("request line one byte over", _get(urlencode(RESCUE), LINE + 1), "read", "request line", ""),
    ("header line one byte over", _post(BODY, f"X-Filler: {'a' * (LINE + 1 - len('X-Filler: '))}\r\n"), "read", "headers", ""),
    ("over 100 headers", _post(BODY, "".join(f"X-Filler-{i}: 1\r\n" for i in range(101))), "read", "headers", ""),
    ("head over 64 KiB", _post(BODY, "".join(f"X-Filler-{i}: {'a' * 8000}\r\n" for i in range(9))), "read", "headers", ""),
    # No body is sent: answered only if answered from the head (the mock would wait 10 s for a body; we wait 5).
    ("Content-Length over the limit", _post(b"", length=MAX_BODY + 1), "read", "Content-Length", str(MAX_BODY)),
    ("Content-Length over 64 bits", _post(b"", length=10**20), "read", "Content-Length", ""),
    (
        "chunked body over the limit",
        _chunked(b"1000\r\n%s\r\n" % (b"a" * 0x1000) * (MAX_BODY // 0x1000 + 1) + b"0\r\n\r\n"),
        "read",
        "Content-Length",
        "",
    ),
    ("malformed chunked body", _chunked(b"%x\r\n%s\r\nzz\r\n" % (len(BODY), BODY)), "read", "body", ""),
    ("body ending early", _post(BODY, length=len(BODY) + 100), "shut", "Content-Length", "the body ended early"),
    ("multipart boundary of 71 characters", _multipart(RESCUE, "b" * 71), "read", "Content-Type", "71"),
    ("truncated multipart body", _truncated(_multipart(RESCUE)), "read", "Content-Type", ""),
]


@pytest.mark.parametrize(("data", "end", "object_", "phrase"), [pytest.param(*case[1:], id=case[0]) for case in REFUSED])
def test_a_request_breaking_a_rule_gets_the_error_document_and_a_close(
    mock: mock_process.RunningMock, data: bytes, end: str, object_: str, phrase: str
) -> None:
    reply = _exchange(mock.url, data, end)
    headers, error = _error_document(reply)
    assert (error["$type"], error["$object"]) == ("value", object_), error
    assert phrase in error["msg"]["$"] and "please report" not in error["msg"]["$"], error
    if object_ != "Content-Type":  # the multipart cases: their bodies were read whole
        assert headers.get("connection", "").lower() == "close", f"such an answer ends the connection: {headers}"
        assert reply.closed, "the mock said Connection: close but kept the connection open"
    _answers(mock.url)


# -- 2. bytes that are not HTTP, and a client leaving mid-body: one log line, without the bytes -------------
@pytest.fixture(scope="module", params=[["--verbose"], []], ids=["verbose", "default"])
def dedicated_mocks(request: pytest.FixtureRequest) -> Iterator[Callable[[], mock_process.RunningMock]]:
    """The module's own mock with these flags, started again only if a test ended it: test_no_secret_reaches_any_log
    kills its Prism, and is the last of its param in the file's order, but mutmut passes its tests in any order."""
    started: list[mock_process.RunningMock] = []

    def live() -> mock_process.RunningMock:
        if not started or started[-1].process.poll() is not None:
            started.append(mock_process.start("--port", str(mock_process.free_port()), *request.param))
        return started[-1]

    yield live
    for mock in started:
        mock.stop()
        shutil.rmtree(mock.stdout.parent, ignore_errors=True)


@pytest.fixture
def dedicated(dedicated_mocks: Callable[[], mock_process.RunningMock]) -> mock_process.RunningMock:
    """A mock of this module's own: its log has no other test's lines."""
    return dedicated_mocks()


# (case, the bytes around a marker, what the log line must say)
NOT_HTTP: list[tuple[str, Callable[[str], bytes], str]] = [
    ("random binary", lambda marker: b"\x00\xff" + marker.encode() + random.Random(0).randbytes(256), ""),
    ("TLS ClientHello", lambda marker: _client_hello(f"{marker}.example"), ""),
    ("HTTP/2 preface", lambda marker: PREFACE + SETTINGS + marker.encode(), "HTTP/2"),
]


@pytest.mark.parametrize(("build", "says"), [pytest.param(*case[1:], id=case[0]) for case in NOT_HTTP])
def test_bytes_that_are_not_http_get_a_close_and_one_log_line(
    dedicated: mock_process.RunningMock, build: Callable[[str], bytes], says: str
) -> None:
    marker = f"marker{token_hex(8)}"
    since = dedicated.stderr.stat().st_size
    reply = _exchange(dedicated.url, build(marker))
    assert reply.closed, "the connection is closed"
    assert not reply.data.startswith(b"HTTP/"), f"nothing HTTP is sent back: {reply.data[:300]!r}"
    lines = _log_lines(dedicated, since, reply.port)
    assert len(lines) == 1 and f"127.0.0.1:{reply.port}" in lines[0], f"one log line for the connection: {lines}"
    assert marker not in lines[0] and says in lines[0], lines[0]
    _answers(dedicated.url)


def test_a_client_leaving_mid_body_leaves_one_log_line(dedicated: mock_process.RunningMock) -> None:
    marker = f"marker{token_hex(8)}"
    since = dedicated.stderr.stat().st_size
    body = _form(password=marker)
    reply = _exchange(dedicated.url, _post(body, "Expect: 100-continue\r\n", length=len(body) + 100), "reset")
    lines = _log_lines(dedicated, since, reply.port)
    assert len(lines) == 1 and f"127.0.0.1:{reply.port}" in lines[0], f"one log line, no traceback: {lines}"
    assert marker not in lines[0]
    _answers(dedicated.url)


# -- 3. no secret reaches a log line, from any layer (the test is the module's last: 5.) --------------------
# Every way a request may be logged: (the request around its own secret, how the client ends it).
SECRET_PATHS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "over-long request line": (lambda s: _get(urlencode({**LOGIN, "password": s, "auth": s}), 2 * LINE), "read"),
    "over-long header": (lambda s: _post(BODY, f"X-Note: {s}{'a' * 2 * LINE}\r\n"), "read"),
    "headers holding it": (lambda s: _post(BODY, f"Authorization: Bearer {s}\r\nCookie: auth={s}\r\nX-Password: {s}\r\n"), "read"),
    "HTTP/2 preface": (lambda s: PREFACE + s.encode(), "read"),
    "bytes that are not HTTP": (lambda s: b"\x16\x03\x01\x00" + s.encode(), "read"),
    "truncated multipart body": (lambda s: _truncated(_multipart({**RESCUE, "password": s})), "read"),
    "body ending early": (lambda s: _post(_form(password=s), length=len(_form(password=s)) + 100), "shut"),
    "client leaving mid-body": (lambda s: _post(_form(password=s), "Expect: 100-continue\r\n", length=1000), "reset"),
    "malformed chunked body": (lambda s: _chunked(b"%x\r\n%s\r\nzz\r\n" % (len(_form(password=s)), _form(password=s))), "read"),
    "body over the size limit": (lambda s: _post(_form(password=s), length=2 * MAX_BODY, target=f"/?password={s}"), "read"),
    "value not UTF-8": (lambda s: _multipart({**RESCUE, "password": s.encode() + b"\xff"}), "read"),
    "part with a stray line": (
        lambda s: _post(
            b'--b\r\nContent-Disposition: form-data; name="password"\r\n%s\r\n\r\n\r\n--b--\r\n' % s.encode(),
            content_type="multipart/form-data; boundary=b",
        ),
        "read",
    ),
    "typo of password": (lambda s: _post(_form(pasword=s)), "read"),
    "pair with its = escaped": (lambda s: _post(BODY + f"&password%3D{s}".encode()), "read"),  # a field named `password=...`
    "valid rescue": (lambda s: _post(_form(auth=s, password=s)), "read"),
    "valid rescue as GET": (lambda s: _get(urlencode({**RESCUE, "auth": s, "password": s})), "read"),
    "login that Prism rejects": (lambda s: _post(urlencode({**LOGIN, "password": s + "\n"}).encode()), "read"),
    "login refused": (lambda s: _post(urlencode({**LOGIN, "password": s}).encode(), f"Prefer: example={LOGIN_REFUSED}\r\n"), "read"),
    "Prefer the mock refuses": (lambda s: _post(_form(auth=s), f"Prefer: code=500, password={s}\r\n"), "read"),
    "path other than /": (lambda s: _post(_form(auth=s), target=f"/{s}?auth={s}"), "read"),
}


def _leaks(text: str, secrets: dict[str, str]) -> list[str]:
    """The paths whose secret shows in `text`, even as a 10-character piece."""
    return [path for path, secret in secrets.items() if any(secret[i : i + 10] in text for i in range(len(secret) - 9))]


# -- 4. after all of that, the mock still answers -----------------------------------------------------------
def test_the_mock_answers_after_every_hostile_request(dedicated: mock_process.RunningMock) -> None:
    hostile = [(data, end) for _, data, end, _, _ in REFUSED]
    hostile += [(build(f"marker{token_hex(8)}"), "read") for _, build, _ in NOT_HTTP]
    hostile += [(build(f"Secret{token_hex(8)}"), end) for build, end in SECRET_PATHS.values()]
    for data, end in hostile:
        _exchange(dedicated.url, data, end)
    _answers(dedicated.url)
    assert dedicated.process.poll() is None, "the mock is still running"


# -- 5. no secret reaches a log line (last: it ends the module's mocks) ------------------------------------
def test_no_secret_reaches_any_log(dedicated: mock_process.RunningMock) -> None:
    # The module's last test on its mock: Prism killed, so that its kept log and the mock's last line are read too.
    (prism,) = dedicated.prism_pids()
    prism_log = Path(os.readlink(f"/proc/{prism}/fd/1"))  # Prism's log, which the mock keeps when Prism dies
    try:
        secrets = {path: f"Secret{token_hex(8)}" for path in SECRET_PATHS}
        for path, (build, end) in SECRET_PATHS.items():
            _exchange(dedicated.url, build(secrets[path]), end)
        _answers(dedicated.url)
        # The emulated server's journal and world are read by tests and often printed: no secret there either.
        control = {
            "the journal": httpx.get(dedicated.url + "/_mock/journal", timeout=TIMEOUT).text,
            "the world": httpx.get(dedicated.url + "/_mock/world", timeout=TIMEOUT).text,
        }
        os.kill(prism, signal.SIGKILL)
        assert dedicated.process.wait(15) != 0
        last = dedicated.stderr.read_text().strip().splitlines()[-1]
        assert last.startswith("zomro-rescue-mock: Prism exited") and last.endswith(f"its log is kept in {prism_log}"), last
        assert prism_log.exists()
        logs = {"the mock's output": dedicated.output(), "Prism's kept log": prism_log.read_text(errors="replace"), **control}
        assert "rescueInstance" in logs["the mock's output"], "the requests were logged"
        assert not re.search("Traceback|please report", logs["the mock's output"]), logs["the mock's output"]
        leaks = {where: _leaks(text, secrets) for where, text in logs.items()}
        assert not any(leaks.values()), f"secrets logged, by the paths that sent them: {leaks}"
    finally:
        prism_log.unlink(missing_ok=True)  # kept for the mock's user; a test leaves none behind
