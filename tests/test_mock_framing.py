"""The second round of hostile clients, on raw sockets: how the mock's server frames requests.

Nothing may cross from one message to the next (the class of bugs behind request smuggling): a body
ends where its own framing says, a request after one that ends the connection is never answered, and
RFC 9112's rules on Host, absolute-form targets, HTTP/1.0 and Transfer-Encoding hold. The control
API answers every such request in its own shape (a problem document with a 4xx). The first round is
test_mock_hostile.py and test_mock_clients.py; a fuzz of the same parser is test_server_fuzz.py.
"""

from __future__ import annotations

import json
import re
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from zomro_mock.server import Limits
from zomro_testkit import article, mock_process
from zomro_testkit.contract import operations

TIMEOUT = 5.0  # under the mock's 10 s client timeout: an answer that waits for bytes never sent misses it
PREVIEW = article.curl_example("preview").form
PREVIEW_ANSWER = next(iter(operations()["previewRescueImages"].response_examples.values()))["value"]
URLENCODED = "application/x-www-form-urlencoded"
H2C = "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def error(self) -> dict[str, Any]:
        error: dict[str, Any] = self.json["doc"]["error"]
        return error


@dataclass
class Exchange:
    answers: list[Answer]
    closed: bool  # the mock closed the connection
    rest: bytes  # bytes after the last whole answer


def _answers(data: bytes) -> tuple[list[Answer], bytes]:
    """The whole HTTP/1.1 answers in `data`, in order, and what follows them."""
    answers = []
    while True:
        head, found, rest = data.partition(b"\r\n\r\n")
        if not found:
            return answers, data
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
        length = int(headers.get("content-length", "0"))
        if len(rest) < length:
            return answers, data
        status = int(status_line.split()[1])
        if status != 100:
            answers.append(Answer(status, headers, rest[:length]))
        data = rest[length:]


def _exchange(mock: mock_process.RunningMock, *writes: bytes, expect: int | None = None, pause: float = 0.0) -> Exchange:
    """Send each write (`pause` seconds apart), then read until the mock closes, or until `expect` answers came
    and nothing more does (TIMEOUT at most)."""
    host, port = mock.url.removeprefix("http://").rsplit(":", 1)
    data, closed = b"", False
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
        for write in writes:
            sock.sendall(write)
            time.sleep(pause)
        deadline = time.monotonic() + TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            answers, _ = _answers(data)
            if expect is not None and len(answers) >= expect:
                left = min(left, 0.3)  # a moment for anything more to show (it must not)
            sock.settimeout(left)
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            data += chunk
    answers, rest = _answers(data)
    return Exchange(answers, closed, rest)


def _post(form: dict[str, str], *headers: str, target: str = "/", version: str = "1.1", host: str | None = "mock") -> bytes:
    body = urlencode(form).encode()
    lines = [f"POST {target} HTTP/{version}", *([f"Host: {host}"] if host is not None else [])]
    lines += [f"Content-Type: {URLENCODED}", f"Content-Length: {len(body)}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _chunked(form: dict[str, str], *headers: str, version: str = "1.1") -> bytes:
    body = urlencode(form).encode()
    lines = [f"POST / HTTP/{version}", "Host: mock", f"Content-Type: {URLENCODED}", "Transfer-Encoding: chunked", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)


def _get(target: str, *headers: str, host: str = "mock") -> bytes:
    return ("\r\n".join([f"GET {target} HTTP/1.1", f"Host: {host}", *headers]) + "\r\n\r\n").encode()


def _is_preview(answer: Answer) -> bool:
    return answer.status == 200 and answer.json == PREVIEW_ANSWER


def _ends(exchange: Exchange) -> None:
    """The last answer said Connection: close, the mock closed, and nothing came after that answer."""
    assert exchange.answers, "an answer came"
    assert exchange.answers[-1].headers.get("connection", "").lower() == "close", exchange.answers[-1].headers
    assert exchange.closed, "the mock closed the connection"
    assert exchange.rest == b"", f"nothing after the last answer: {exchange.rest[:200]!r}"


# -- 1. an Upgrade request's body ends where its framing says; the next request is answered alone ---------

NOT_A_PREVIEW = {"func": "instances.fleio.rescue", "out": "json"}  # no auth, no elid: refused alone


@pytest.mark.parametrize("framing", ["chunked", "length"])
def test_an_upgrade_requests_body_never_takes_the_next_requests_bytes(mock: mock_process.RunningMock, framing: str) -> None:
    first = _chunked(NOT_A_PREVIEW, H2C.strip()) if framing == "chunked" else _post(NOT_A_PREVIEW, H2C.strip())
    # The next request's body holds what the first lacks: merged into the first, it would make it a valid preview.
    second = _post({"auth": PREVIEW["auth"], "elid": PREVIEW["elid"]}, target="/other")
    exchange = _exchange(mock, first + second, expect=2)
    assert [answer.status for answer in exchange.answers] == [200, 200], exchange
    first_error, second_error = (answer.error for answer in exchange.answers)
    assert first_error["$object"] == "elid", f"the first request alone lacks elid: {first_error}"
    assert second_error["$object"] == "path", "the second is answered as itself: another path than /"
    journal = mock.control.journal()
    assert "elid" not in journal[0]["fields"] and "auth" not in journal[0]["fields"], journal[0]


@pytest.mark.parametrize("framing", ["chunked", "length"])
def test_an_upgrade_request_keeps_its_connection_for_the_next_requests(mock: mock_process.RunningMock, framing: str) -> None:
    # Java's HttpClient asks for h2c on a connection's first request and goes on in HTTP/1.1 when not upgraded.
    first = _chunked(PREVIEW, H2C.strip()) if framing == "chunked" else _post(PREVIEW, H2C.strip())
    exchange = _exchange(mock, first, _post(PREVIEW), _post(PREVIEW, "Connection: close"), pause=0.05)
    assert len(exchange.answers) == 3 and all(map(_is_preview, exchange.answers)), exchange
    assert all(answer.headers.get("connection") != "close" for answer in exchange.answers[:2])
    _ends(exchange)


def test_a_chunked_upgrade_body_in_pieces_is_one_body(mock: mock_process.RunningMock) -> None:
    whole = _chunked(PREVIEW, H2C.strip()) + _post(PREVIEW, "Connection: close")
    pieces = [whole[i : i + 7] for i in range(0, len(whole), 7)]
    exchange = _exchange(mock, *pieces, pause=0.001)
    assert len(exchange.answers) == 2 and all(map(_is_preview, exchange.answers)), exchange
    _ends(exchange)


# -- 2. after a request that ends the connection, nothing more is answered ---------------------------------


def test_a_request_with_connection_close_is_the_last_even_with_another_in_the_same_write(mock: mock_process.RunningMock) -> None:
    exchange = _exchange(mock, _post(PREVIEW, "Connection: close") + _post(PREVIEW) + _get("/_mock/clock"), expect=1)
    assert len(exchange.answers) == 1 and _is_preview(exchange.answers[0]), exchange
    _ends(exchange)


def test_a_request_that_breaks_framing_is_the_last(mock: mock_process.RunningMock) -> None:
    bad_chunks = b"POST / HTTP/1.1\r\nHost: mock\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" % URLENCODED.encode()
    exchange = _exchange(mock, _post(PREVIEW) + bad_chunks + _post(PREVIEW), expect=2)
    assert _is_preview(exchange.answers[0]) and len(exchange.answers) == 2, exchange
    assert exchange.answers[1].error["$object"] == "body"
    _ends(exchange)


# (case, raw request): each framed two ways at once, which is the start of request smuggling.
AMBIGUOUS = [
    (
        "Content-Length and Transfer-Encoding",
        b"POST / HTTP/1.1\r\nHost: mock\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ),
    (
        "two Content-Lengths",
        b"POST / HTTP/1.1\r\nHost: mock\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\nContent-Length: 40\r\n\r\n",
    ),
    (
        "a Content-Length list",
        b"POST / HTTP/1.1\r\nHost: mock\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0, 40\r\n\r\n",
    ),
    (
        "chunked not last",
        b"POST / HTTP/1.1\r\nHost: mock\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
    ),
    (
        "a coding the mock has not",
        b"POST / HTTP/1.1\r\nHost: mock\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: gzip\r\n\r\n",
    ),
    (
        "Transfer-Encoding in HTTP/1.0",
        b"POST / HTTP/1.0\r\nHost: mock\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ),
    (
        "Transfer-Encoding in HTTP/1.0, with a length",
        b"POST / HTTP/1.0\r\nHost: mock\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ),
    (
        "a space before the colon",
        b"POST / HTTP/1.1\r\nHost: mock\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length : 5\r\n\r\n",
    ),
    ("a bare LF in the head", b"POST / HTTP/1.1\nHost: mock\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 0\n\n"),
]


@pytest.mark.parametrize("request_bytes", [pytest.param(case[1], id=case[0]) for case in AMBIGUOUS])
def test_a_request_framed_two_ways_is_refused_and_nothing_after_it_is_answered(
    mock: mock_process.RunningMock, request_bytes: bytes
) -> None:
    # What follows would be a valid preview: were it answered, the two sides would disagree on where the first ended.
    exchange = _exchange(mock, request_bytes + _post(PREVIEW), expect=1)
    assert len(exchange.answers) == 1, exchange
    error = exchange.answers[0].error
    assert error["$type"] == "value" and error["$object"] in ("Content-Length", "Transfer-Encoding", "body", "request"), error
    _ends(exchange)


# -- 3. Host, and targets in absolute form (RFC 9112 3.2) -------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        pytest.param("POST / HTTP/1.1\r\n", id="no Host"),
        pytest.param("POST / HTTP/1.1\r\nHost: mock\r\nHost: other\r\n", id="two Hosts"),
        pytest.param("POST / HTTP/1.1\r\nHost: mock\r\nhost: mock\r\n", id="the same Host twice"),
        pytest.param("POST / HTTP/1.1\r\nHost: a b\r\n", id="a Host with a space"),
        pytest.param("POST / HTTP/1.1\r\nHost: user@mock\r\n", id="a Host with userinfo"),
        pytest.param("POST / HTTP/1.0\r\nHost: mock\r\nHost: other\r\n", id="two Hosts in HTTP/1.0"),
    ],
)
def test_a_request_without_exactly_one_valid_host_is_refused(mock: mock_process.RunningMock, head: str) -> None:
    body = urlencode(PREVIEW).encode()
    request = f"{head}Content-Type: {URLENCODED}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    exchange = _exchange(mock, request + _post(PREVIEW), expect=1)
    assert len(exchange.answers) == 1 and exchange.answers[0].error["$object"] == "Host", exchange
    _ends(exchange)


@pytest.mark.parametrize("host", ["mock", "127.0.0.1:4010", "[::1]:4010", ""])
def test_one_valid_host_is_taken(mock: mock_process.RunningMock, host: str) -> None:
    exchange = _exchange(mock, _post(PREVIEW, host=host), expect=1)
    assert _is_preview(exchange.answers[0]), exchange


def test_http_1_0_needs_no_host(mock: mock_process.RunningMock) -> None:
    exchange = _exchange(mock, _post(PREVIEW, version="1.0", host=None))
    assert len(exchange.answers) == 1 and _is_preview(exchange.answers[0]), exchange
    assert exchange.closed, "HTTP/1.0 without keep-alive: closed after the answer"


@pytest.mark.parametrize("target", ["http://127.0.0.1:4010/", "HTTP://MOCK", "http://mock:4010"])
def test_a_target_in_absolute_form_is_taken(mock: mock_process.RunningMock, target: str) -> None:
    exchange = _exchange(mock, _post(PREVIEW, target=target, host="something-else"), expect=1)
    assert len(exchange.answers) == 1 and _is_preview(exchange.answers[0]), exchange


def test_an_absolute_form_target_to_the_control_api(mock: mock_process.RunningMock) -> None:
    exchange = _exchange(mock, _get("http://mock/_mock/clock"), expect=1)
    assert exchange.answers[0].status == 200 and "now" in exchange.answers[0].json, exchange


@pytest.mark.parametrize(
    ("target", "object_"),
    [("http://mock/other", "path"), ("https://mock/", "path"), ("ftp://mock/", "path"), ("http:/mock/", "request line")],
)
def test_an_absolute_form_target_to_another_path_is_a_wrong_path(mock: mock_process.RunningMock, target: str, object_: str) -> None:
    exchange = _exchange(mock, _post(PREVIEW, target=target), expect=1)
    assert exchange.answers[0].error["$object"] == object_, exchange


# -- 4. the control API answers the server's own refusals in its own shape ---------------------------------

LIMITS = Limits()


def _problem(answer: Answer, status: int) -> dict[str, Any]:
    assert answer.status == status, (answer.status, answer.body[:300])
    assert answer.headers["content-type"] == "application/problem+json", answer.headers
    problem: dict[str, Any] = answer.json
    assert problem["status"] == status and problem["detail"], problem
    return problem


def test_a_control_body_over_its_limit_is_a_413_problem(mock: mock_process.RunningMock) -> None:
    head = b"PUT /_mock/world HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
    exchange = _exchange(mock, head % (64 * 1024 * 1024), expect=1)
    assert "too large" in _problem(exchange.answers[0], 413)["detail"]
    _ends(exchange)


def test_a_control_request_line_over_its_limit_is_a_414_problem(mock: mock_process.RunningMock) -> None:
    exchange = _exchange(mock, _get("/_mock/journal?operation=" + "a" * LIMITS.max_line), expect=1)
    _problem(exchange.answers[0], 414)
    _ends(exchange)


def test_control_headers_over_their_limit_are_a_431_problem(mock: mock_process.RunningMock) -> None:
    exchange = _exchange(mock, _get("/_mock/clock", "X-Filler: " + "a" * LIMITS.max_header), expect=1)
    _problem(exchange.answers[0], 431)
    _ends(exchange)


def test_a_control_request_without_host_is_a_400_problem(mock: mock_process.RunningMock) -> None:
    exchange = _exchange(mock, b"GET /_mock/clock HTTP/1.1\r\n\r\n", expect=1)
    assert "Host" in _problem(exchange.answers[0], 400)["detail"]
    _ends(exchange)


def test_a_control_body_that_stops_arriving_is_a_problem_too(mock: mock_process.RunningMock) -> None:
    head = b"PUT /_mock/world HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
    host, port = mock.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
        sock.sendall(head)
        sock.shutdown(socket.SHUT_WR)  # the client will send nothing more: the body ended early
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    (answer,), _ = _answers(data)
    assert "ended early" in _problem(answer, 400)["detail"]


def test_the_emulated_api_still_gets_the_error_document_for_the_same_refusals(mock: mock_process.RunningMock) -> None:
    exchange = _exchange(mock, _get("/?func=auth&pad=" + "a" * LIMITS.max_line), expect=1)
    assert exchange.answers[0].status == 200 and exchange.answers[0].error["$object"] == "request line"


# -- 5. a client that pipelines and never reads does not make the mock hold its answers --------------------


def _rss_kib(pid: int) -> int:
    (line,) = [line for line in open(f"/proc/{pid}/status").read().splitlines() if line.startswith("VmRSS:")]
    return int(re.findall(r"\d+", line)[0])


def test_a_client_that_never_reads_its_answers_stops_being_read(mock: mock_process.RunningMock) -> None:
    # A journal of 2,000 previews makes each journal read an answer of about a megabyte.
    host, port = mock.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
        sock.sendall(_post(PREVIEW) * 1999 + _post(PREVIEW, "Connection: close"))
        while sock.recv(1 << 20):
            pass
    size = len(json.dumps(mock.control.journal()))
    before = _rss_kib(mock.process.pid)
    reads = 200  # 200 MB of answers, were every one made
    peak = before
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        sock.sendall(_get("/_mock/journal") * reads)
        # Long enough for the mock to make them all, were it to go on: it makes one in a few milliseconds.
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            peak = max(peak, _rss_kib(mock.process.pid))
            time.sleep(0.02)
    # The bound: one answer being made and what the server keeps unsent, not 200 answers.
    assert peak - before < 48 * 1024, f"the mock grew by {peak - before} KiB for {reads} answers of {size} bytes that nobody read"


# -- 6. the guide's limits are the code's -----------------------------------------------------------------


def _size(size: int) -> str:
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} bytes"


def test_the_guides_limits_table_holds_the_codes_figures() -> None:
    from zomro_mock import documents
    from zomro_mock.__main__ import _arguments
    from zomro_mock.router import CONTROL_BODY
    from zomro_testkit import docs
    from zomro_testkit.contract import body_limit

    _, section = docs.section("Running the mock")
    table = section.split("<!-- limits: begin")[1].split("<!-- limits: end -->")[0]
    lines = [line for line in table.splitlines() if line.startswith("| ")][1:]  # the rows under the header
    cells = [[cell.strip() for cell in line.strip().strip("|").split(" | ")] for line in lines]
    rows = {row[0]: row[1] for row in cells}
    past = {row[0]: row[2] for row in cells}
    timeout = _arguments([]).client_timeout
    expected = {
        "request line": f"{LIMITS.max_line} bytes",
        "one header line": f"{LIMITS.max_header} bytes",
        "headers": f"{LIMITS.max_headers}, and {_size(LIMITS.max_head)} in all",
        "a body of the emulated API": _size(body_limit()),
        "a body of the control API": _size(CONTROL_BODY),
        "sending a request's head, or a pause within its body": f"{timeout:g} s",
        "a connection's answers its client has not taken": _size(LIMITS.max_unsent),
        "requests read and not yet answered, on one connection": f"{LIMITS.max_queued}, and {_size(LIMITS.max_queued_body)} of their bodies",
        "an idle connection between requests": f"{LIMITS.keepalive_timeout:g} s",
        "a world or control body: nesting": f"{documents.MAX_DEPTH} levels",
        "a world or control body in YAML: aliases (`*name`)": f"{documents.MAX_ALIASES}",
        "a world or control body: values in all": f"{documents.MAX_VALUES:,}",
    }
    assert set(rows) == set(expected), f"the table's rows: {sorted(rows)}"
    for limit, value in expected.items():
        assert rows[limit].startswith(value), f"{limit}: the guide says {rows[limit]!r}, the code {value!r}"
    assert f"after {timeout:g} s (the client timeout)" in past["a connection's answers its client has not taken"]


# -- 7. a bug of the mock's own is logged by where it happened, never by its message ------------------------------------


def test_the_traceback_of_a_bug_names_its_frames_and_type_and_withholds_its_message() -> None:
    from ipaddress import AddressValueError

    from zomro_mock.server import safe_traceback

    secret = "".join(["Secret", "FromTheRequest1"])  # as request bytes would come: not in the source the frames quote

    def parse_the_form() -> None:
        raise AddressValueError(f"password={secret}")  # an exception of a module's own, named by its module

    try:
        parse_the_form()
    except AddressValueError as bug:
        logged = safe_traceback(bug)
    assert logged.startswith("Traceback (most recent call last):\n")
    assert "in parse_the_form" in logged and "test_mock_framing.py" in logged
    assert logged.rstrip().endswith("ipaddress.AddressValueError (message withheld: it may quote the request)")
    assert "SecretFromTheRequest1" not in logged
