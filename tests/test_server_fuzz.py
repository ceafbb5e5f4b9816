"""A fuzz of the mock's HTTP/1.1 server (zomro_mock.server), in-process: the same bytes, split into writes
any way at all, get the same answers, byte for byte, and the connection ends the same way.

Hypothesis makes sequences of requests, well and badly framed (Content-Length, chunked, Upgrade, Expect,
HTTP/1.0, Host, absolute targets, Connection: close, stray bytes), and splits their bytes at random points.
The server runs on a fake transport and an application that echoes what it was given, so a difference
shows what the parser took a request to be: where a message ends may never depend on how it arrived.
`make test` runs a short fuzz; `make fuzz` a long one (SERVER_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from zomro_mock.server import Connection, HttpServer, Limits, Request, Response

# `make test`: the same 500 cases each run (derandomized), a few seconds; `make fuzz`: as many as it asks, new ones each run.
EXAMPLES = int(os.environ.get("SERVER_FUZZ_EXAMPLES") or 500)
DERANDOMIZE = not os.environ.get("SERVER_FUZZ_EXAMPLES")
LIMITS = Limits(max_body=256, max_line=200, max_header=200, max_head=1024, max_headers=12, max_unsent=1 << 30)


class EchoApp:
    """An application that answers each request with what the server made of it."""

    def screen(self, head: Request) -> Response | None:
        return Response(body=b"early " + head.target.encode("latin-1"), close=True) if head.target == "/early" else None

    def body_limit(self, head: Request, default: int) -> int:
        return default

    async def handle(self, request: Request) -> Response:
        seen = {"method": request.method, "target": request.target, "headers": request.headers, "body": request.body.hex()}
        return Response(body=json.dumps(seen, sort_keys=True).encode())

    def refuse(self, head: Request, where: str, reason: str, status: int) -> Response:
        return Response(body=f"refused {status} {where}: {reason}".encode(), status=200)

    def fault(self, request: Request) -> Response:
        raise AssertionError("the server failed on a request")

    def unanswered(self, request: Request) -> Response:
        raise AssertionError("nothing stops here")


@dataclass
class FakeTransport:
    """What the server wrote, whether it closed, and whether it wanted to read: a socket, in memory."""

    written: bytearray = field(default_factory=bytearray)
    closed: bool = False
    eof: bool = False
    paused: bool = False

    def write(self, data: bytes) -> None:
        assert not self.closed, "written after the close"
        self.written += data

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None:
        self.eof = True

    def pause_reading(self) -> None:
        self.paused = True

    def resume_reading(self) -> None:
        self.paused = False

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 50000) if name == "peername" else default


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def _serve(chunks: list[bytes]) -> tuple[bytes, bool]:
    server = HttpServer(EchoApp(), LIMITS)  # type: ignore[arg-type]  # the App protocol, duck-typed
    transport = FakeTransport()
    connection = Connection(server)
    connection.connection_made(transport)  # type: ignore[arg-type]
    pending = list(chunks)
    while pending and not transport.closed:
        if not transport.paused:
            connection.data_received(pending.pop(0))
        await _settle()
    if not transport.closed and not transport.paused:
        connection.eof_received()
    await _settle()
    connection.connection_lost(None)
    return bytes(transport.written), transport.closed


CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


def serve(chunks: list[bytes]) -> tuple[bytes, bool]:
    """What the server wrote and whether it closed, less what depends on when bytes arrive, not on what they are:
    a 100 Continue (RFC 9110 10.1.1 lets a server leave it out once the body has come), and `Connection: close` on
    an answer written before the bytes that end the connection had come (the close itself is compared)."""
    written, closed = asyncio.run(_serve(chunks))
    return written.replace(CONTINUE, b"").replace(b"Connection: close\r\n", b""), closed


# -- requests, well and badly framed -----------------------------------------------------------------------

BODIES = st.binary(max_size=40)
HOSTS = st.sampled_from(["Host: mock", "Host: 127.0.0.1:4010", "", "Host: a\r\nHost: b", "Host: a b", "host: [::1]:1"])
TARGETS = st.sampled_from(["/", "/?a=1", "/_mock/x", "http://mock/", "HTTP://M", "*", "/early", "http:/x", "/%zz"])


def _chunked(body: bytes, size: int) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)] if body else []
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"


@st.composite
def requests(draw: st.DrawFn) -> bytes:
    method = draw(st.sampled_from(["GET", "POST", "HEAD", "PUT", "OPTIONS"]))
    version = draw(st.sampled_from(["1.1", "1.1", "1.0"]))
    body = draw(BODIES)
    framing = draw(st.sampled_from(["length", "chunked", "none", "both", "wrong length", "two lengths", "bad chunks"]))
    headers = [draw(HOSTS)]
    headers += draw(
        st.lists(st.sampled_from(["Connection: close", "Connection: keep-alive", "Expect: 100-continue", "X-A: b"]), max_size=2)
    )
    if draw(st.booleans()):
        headers += ["Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA"]
    if framing == "length":
        headers.append(f"Content-Length: {len(body)}")
        payload = body
    elif framing == "chunked":
        headers.append("Transfer-Encoding: chunked")
        payload = _chunked(body, draw(st.integers(1, 9)))
    elif framing == "both":
        headers += [f"Content-Length: {len(body)}", "Transfer-Encoding: chunked"]
        payload = _chunked(body, 4)
    elif framing == "wrong length":
        headers.append(f"Content-Length: {len(body) + draw(st.integers(-3, 3))}")
        payload = body
    elif framing == "two lengths":
        headers += [f"Content-Length: {len(body)}", f"Content-Length: {len(body) + 1}"]
        payload = body
    elif framing == "bad chunks":
        headers.append("Transfer-Encoding: chunked")
        payload = b"zz\r\n" + body
    else:
        payload = b""
    head = f"{method} {draw(TARGETS)} HTTP/{version}\r\n" + "".join(f"{line}\r\n" for line in headers if line) + "\r\n"
    return head.encode() + payload


@st.composite
def connections(draw: st.DrawFn) -> tuple[bytes, list[int]]:
    """Bytes of one connection (requests, now and then a stray byte string), and where to split them."""
    parts = draw(st.lists(st.one_of(requests(), requests(), requests(), st.binary(min_size=1, max_size=12)), min_size=1, max_size=4))
    data = b"".join(parts)
    cuts = sorted(set(draw(st.lists(st.integers(1, max(1, len(data) - 1)), max_size=12))))
    return data, cuts


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    bounds = [0, *[cut for cut in cuts if 0 < cut < len(data)], len(data)]
    return [data[start:end] for start, end in zip(bounds, bounds[1:], strict=False) if end > start]


@settings(
    max_examples=EXAMPLES,
    derandomize=DERANDOMIZE,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(connections())
def test_the_same_bytes_split_any_way_get_the_same_answers(connection: tuple[bytes, list[int]]) -> None:
    data, cuts = connection
    whole = serve([data])
    assert serve(_split(data, cuts)) == whole, f"{data!r} split at {cuts}"
    assert serve([data[i : i + 1] for i in range(len(data))]) == whole, f"{data!r} a byte at a time"


# -- what the fuzz found, kept as examples ----------------------------------------------------------------


def test_a_100_continue_never_follows_its_own_answer() -> None:
    # Pipelined behind another, a request that asks to continue and sends its body at once: its 100 Continue
    # was owed until the queue was answered, and then sent after its own answer, as if for the next request.
    first = b"GET / HTTP/1.1\r\nHost: mock\r\n\r\n"
    second = b"POST / HTTP/1.1\r\nHost: mock\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nab"
    for chunks in ([first + second], [first, second]):
        written, _ = asyncio.run(_serve(chunks))
        assert written.count(b"HTTP/1.1 200 OK") == 2 and CONTINUE not in written.split(b"HTTP/1.1 200 OK")[-1], written


# -- what a fake transport shows best: backpressure ---------------------------------------------------------


class CountingApp(EchoApp):
    def __init__(self) -> None:
        self.handled = 0

    async def handle(self, request: Request) -> Response:
        self.handled += 1
        return Response(body=b"x" * 10_000)


async def _never_read(requests: int, limits: Limits | None = None) -> tuple[CountingApp, FakeTransport, Connection]:
    """A client that pipelines `requests` and reads none of the answers: its socket takes 100 kB, then no more."""
    app = CountingApp()
    server = HttpServer(app, limits or Limits())  # type: ignore[arg-type]
    transport = FakeTransport()
    connection = Connection(server)
    connection.connection_made(transport)  # type: ignore[arg-type]
    pending = [b"GET / HTTP/1.1\r\nHost: mock\r\n\r\n"] * requests
    for _ in range(requests * 3):
        if len(transport.written) > 100_000 and connection.writable.is_set():
            connection.pause_writing()  # what a real transport does once its buffer is over the high mark
        if pending and not transport.paused:
            connection.data_received(pending.pop())
        await _settle()
    return app, transport, connection


def test_a_client_that_reads_no_answers_stops_being_answered_and_read() -> None:
    async def scenario() -> None:
        app, transport, connection = await _never_read(100)
        assert transport.paused, "the server stopped reading the client's requests"
        assert app.handled <= 12, f"{app.handled} answers made for a client that took none"
        connection.resume_writing()  # the client reads at last: the rest is answered
        for _ in range(200):
            if not transport.paused:
                connection.data_received(b"GET / HTTP/1.1\r\nHost: mock\r\n\r\n")
            await _settle()
        assert app.handled > 12 and not transport.paused
        connection.connection_lost(None)

    asyncio.run(scenario())


def test_a_client_that_reads_nothing_for_the_client_timeout_is_dropped() -> None:
    async def scenario() -> None:
        _, transport, connection = await _never_read(20, Limits(client_timeout=0.05))
        # Dropped 0.05 s after its answers stopped leaving: 5 s is room for a loaded machine, not a bound of speed.
        for _ in range(500):
            if transport.closed:
                break
            await asyncio.sleep(0.01)
        assert transport.closed, "the client that reads nothing was dropped"
        connection.connection_lost(None)

    asyncio.run(scenario())
