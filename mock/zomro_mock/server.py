"""The mock's public HTTP/1.1 server: connections, limits, timeouts, `Expect`, and a quick, clean stop.

Our own, on asyncio and llhttp (httptools), because a mock in someone's CI
meets every kind of client, and each rule below is one that a general server
(aiohttp's, tried) would not let us keep:

- No request byte is ever logged: a request that breaks a limit is answered
  and logged by what it broke, never by what it held (aiohttp logged the raw
  request line, secrets included).
- A request that is HTTP at all gets the application's answer, however it
  breaks a limit: an over-long request line or header, a body over the limit,
  a body that stops arriving. Bytes that are not HTTP get a close and one line.
- `Expect: 100-continue` gets `100 Continue` at once, or the final answer when
  the head alone decides it.
- A client has `client_timeout` seconds to send its head, and may not pause
  longer than that within its body: a slow client cannot hold a connection.
- `stop(grace)` stops accepting, answers every request whose body has
  arrived, gives a request still arriving `grace` seconds, then closes.
- Nothing crosses from one message to the next: a body ends where its own
  framing says (an `Upgrade` request's too), a request that ends the
  connection is the last one read, and a request framed two ways is refused
  and ends it. RFC 9112's rules on Host, absolute-form targets and HTTP/1.0
  hold.
- A client that does not read its answers stops being read: while a
  connection's unsent answers are over `max_unsent`, no more of its requests
  are answered or read, and it is dropped after `client_timeout`.

What a request means, and every answer's body, are the application's: see `App`.
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Protocol, cast

import httptools

log = logging.getLogger("zomro_mock")


@dataclass(frozen=True)
class Limits:
    max_line: int = 8190  # the request line, as nginx and aiohttp take it
    max_header: int = 8190  # one header line
    max_head: int = 64 * 1024  # request line and all headers
    max_headers: int = 100
    # The mock sets it from the contract (Catalogue.body_limit): room for every valid body, and a bound
    # on what one request costs the router and Prism, which serve everyone (measured: a 1 MiB form kept
    # Prism busy for 0.3 s; 64 KiB of %-escapes, the router for 5 ms).
    max_body: int = 16 * 1024
    client_timeout: float = 10.0  # to send the head; the longest pause within a body
    keepalive_timeout: float = 30.0  # an idle connection between requests
    linger: float = 1.0  # reading what a client still sends after an answer that ends its connection
    max_unsent: int = 256 * 1024  # a connection's answers not yet taken by its client: above it, its requests wait
    max_queued: int = 8  # requests read and not yet answered, on one connection (pipelining)
    max_queued_body: int = 1024 * 1024  # the bodies of those requests, in all: a large PUT waits for the one before


@dataclass
class Request:
    """One request. `target` is as sent (it may hold secrets: never log it); `headers` by lower-case name."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes = b""
    peer: str = "-"
    version: str = "1.1"

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        return self.target.partition("?")[2]


@dataclass
class Response:
    body: bytes = b""
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    close: bool = False  # end the connection after this answer
    drop: bool = False  # end the connection instead of answering (a fault a test asked for)


class App(Protocol):
    def screen(self, head: Request) -> Response | None:
        """The answer to a request that its head alone decides (its body not read yet), or None."""

    def body_limit(self, head: Request, default: int) -> int:
        """The largest body this request may have (`default`: the server's limit)."""

    async def handle(self, request: Request) -> Response:
        """The answer to a whole request. It must not raise."""

    def refuse(self, head: Request, where: str, reason: str, status: int) -> Response:
        """The answer to a request that broke a rule of HTTP or of this server (`where`: what it broke; `status`:
        the HTTP status a server would answer it with, for an application that answers with HTTP statuses)."""

    def fault(self, request: Request) -> Response:
        """The answer to a request whose handling failed in this server: a bug of ours."""

    def unanswered(self, request: Request) -> Response:
        """The answer to a request whose answer was still being made when the server had to stop."""


def safe_traceback(exc: BaseException) -> str:
    """Where an exception came from, without its message: a message may quote request bytes."""
    frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
    return f"Traceback (most recent call last):\n{frames}{type(exc).__module__}.{type(exc).__qualname__} (message withheld: it may quote the request)"


class _Refused(Exception):
    """Raised inside the parser's callbacks: the request broke a limit or a rule (`status`: as HTTP would say it)."""

    def __init__(self, where: str, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.where = where
        self.reason = reason
        self.status = status


class _Stop(Exception):
    """Raised inside the parser's callbacks: the request just read is the connection's last; llhttp reads no further."""


class _Answered(Exception):
    """Raised inside the parser's callbacks: the head alone decided the answer."""

    def __init__(self, response: Response) -> None:
        super().__init__("answered from the head")
        self.response = response


class _LengthBody:
    """The body of an `Upgrade` request with a Content-Length, which llhttp leaves to us: exactly that many bytes."""

    def __init__(self, length: int) -> None:
        self.length = length
        self.body = bytearray()

    def feed(self, data: bytes) -> bytes | None:
        """None while the body is still arriving; then the bytes after it (the next request's)."""
        wanted = self.length - len(self.body)
        self.body += data[:wanted]
        return bytes(data[wanted:]) if len(self.body) == self.length else None


class _ChunkedBody:
    """The chunked body of an `Upgrade` request, which llhttp leaves to us: decoded by llhttp all the same.

    Java's HttpClient asks to upgrade every http:// request to h2c and streams its body in
    chunks; a server that upgrades to nothing answers it over HTTP/1.1, as nginx does. A
    second parser, fed a bare head, decodes the chunks with the same rules and limits, and
    stops at the body's end: what follows is the next request's, never this body's.
    """

    _HEAD = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.body = bytearray()
        self.raw = bytearray()  # the chunked bytes as they came, to find where the body ends
        self.done = False
        self.refused: _Refused | None = None  # kept here: the parser's error has another exception as its context here
        self.parser = httptools.HttpRequestParser(self)
        self.parser.feed_data(self._HEAD)

    def on_body(self, chunk: bytes) -> None:
        self.body += chunk
        if len(self.body) > self.limit:
            self.refused = _Refused("Content-Length", f"the body is too large (over {self.limit} bytes)", 413)
            raise self.refused

    def on_message_complete(self) -> None:
        self.done = True
        raise _Stop  # llhttp would read on into the next request's bytes as a body of this parser's

    def feed(self, data: bytes) -> bytes | None:
        """None while the body is still arriving; then the bytes after it. Raises _Refused for a body over
        the limit or chunks that are not HTTP/1.1."""
        before = len(self.raw)
        if before + len(data) > 4 * self.limit + 65536:  # chunk framing (sizes, extensions) many times its data
            raise _Refused("body", f"the chunked body's framing is far larger than its data (over {self.limit} bytes of it)", 413)
        self.raw += data
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError:
            if self.refused is not None:
                raise self.refused from None
            if not self.done:  # the error's context is not ours to read: the caller may be handling another
                raise
        except httptools.HttpParserError as error:
            raise _Refused("body", f"the request is not valid HTTP/1.1 ({str(error).rstrip('.')})") from None
        if not self.done:
            return None
        end = self._end(before)
        rest = bytes(self.raw[end:])
        self.raw = bytearray()
        return rest

    def _end(self, low: int) -> int:
        """Where the body ends in `raw`: the shortest prefix a fresh parser reads as a whole message. llhttp does
        not say where it stopped; it ended in the last bytes fed (after `low`), and a prefix either holds the whole
        body or not, so a binary search finds it in a few parses of at most the body's size."""
        high = len(self.raw)
        while low < high:
            middle = (low + high) // 2
            if self._whole(middle):
                high = middle
            else:
                low = middle + 1
        return high

    def _whole(self, size: int) -> bool:
        probe = _Probe()
        parser = httptools.HttpRequestParser(probe)
        try:
            parser.feed_data(self._HEAD + bytes(self.raw[:size]))
        except httptools.HttpParserError:
            pass  # _Stop at the end, or the refusal that the incremental parse already ruled out
        return probe.done


class _Probe:
    """A parser's callbacks that only note that the message ended (and stop there)."""

    done = False

    def on_message_complete(self) -> None:
        self.done = True
        raise _Stop


# An absolute-form target's scheme and authority (RFC 9112 3.2.2), as a proxy's client sends it; http only.
_ABSOLUTE = re.compile(r"(?i)http://([^/?#]*)")
# A Host header: uri-host [ ":" port ] (RFC 9112 3.2, RFC 3986 3.2.2), empty allowed; no userinfo, no spaces.
_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]*)(:[0-9]*)?")
_READING_NOTHING, _READING_HEAD, _READING_BODY = "idle", "head", "body"
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


def _status_line(status: int) -> bytes:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    return f"HTTP/1.1 {status} {reason}\r\n".encode("ascii")


def _keeps_alive(request: Request) -> bool:
    """Whether the connection goes on after this request (RFC 9112 9.3), for a request llhttp did not finish."""
    tokens = {token.strip().lower() for token in request.headers.get("connection", "").split(",")}
    return "keep-alive" in tokens if request.version == "1.0" else "close" not in tokens


class Connection(asyncio.Protocol):
    """One client connection: parses its requests, answers them in order, enforces the limits."""

    def __init__(self, server: HttpServer) -> None:
        self.server = server
        self.app = server.app
        self.limits = server.limits
        self.loop = asyncio.get_running_loop()
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.peer = "-"
        self.state = _READING_NOTHING
        self.queue: deque[Request] = deque()
        self.worker: asyncio.Task[None] | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.closing = False  # no request is read any more; the connection ends once the queue is answered
        self.lingering = False  # answered for good: what the client still sends is read and dropped
        self.stopping = False
        self.ended = False  # by this side
        self.continue_owed = False
        self.answering: Request | None = None  # the request whose answer is being made
        self.last_answer: tuple[Response, bool] | None = None  # (answer, to HEAD) that ends the connection
        self.upgrade: _LengthBody | _ChunkedBody | None = None  # the body of an `Upgrade` request, which llhttp leaves to us
        self.writable = asyncio.Event()  # the client takes its answers: its unsent ones are under max_unsent
        self.writable.set()
        self.write_timer: asyncio.TimerHandle | None = None
        self.reading_paused = False
        self._new_request()

    # -- the connection --------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports are not asyncio's classes
        peer = transport.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else "-"
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.transport.set_write_buffer_limits(high=self.limits.max_unsent)
        self.server.connections.add(self)
        self._arm(self.limits.keepalive_timeout, self._idle_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.connections.discard(self)
        self._disarm()
        self._disarm_write_timer()
        self.writable.set()  # nothing waits for a client that has gone
        if self.ended:
            pass  # ended by this side, and logged where it was decided
        elif self.state == _READING_BODY:
            log.warning("%s: the client left before its body had arrived (%s)", self.peer, self._body_progress())
        elif self.state == _READING_HEAD:
            log.info("%s: the client left in the middle of a request's head", self.peer)
        if self.worker is not None and not self.worker.done():
            self.worker.cancel()  # its answer has nowhere to go
        self.server.closed.set()

    def eof_received(self) -> bool:
        # The client will send nothing more: answer what has arrived, then close.
        if self.lingering:
            self._close()
            return False
        if self.state == _READING_BODY:
            self._refuse("Content-Length", f"the body ended early: {self._body_progress()}")
        elif self.state == _READING_HEAD:
            log.info("%s: the client closed its side in the middle of a request's head", self.peer)
            self._close()
        else:
            self.closing = True
            self._close_if_done()
        return True

    def pause_writing(self) -> None:
        # The client's unsent answers are over max_unsent: answer and read nothing more of it until it takes them.
        self.writable.clear()
        self._update_reading()
        if self.write_timer is None:
            self.write_timer = self.loop.call_later(self.limits.client_timeout, self._write_timeout)

    def resume_writing(self) -> None:
        self._disarm_write_timer()
        self.writable.set()
        self._update_reading()

    def _update_reading(self) -> None:
        """Read the client's requests only while its answers leave and few of its requests wait."""
        if self.transport is None or self.lingering:
            return
        queued_body = sum(len(request.body) for request in self.queue)
        full = len(self.queue) > self.limits.max_queued or (self.queue and queued_body > self.limits.max_queued_body)
        pause = bool(full) or not self.writable.is_set()
        if pause != self.reading_paused:
            self.reading_paused = pause
            self.transport.pause_reading() if pause else self.transport.resume_reading()

    def data_received(self, data: bytes) -> None:
        if self.lingering or self.closing:
            return
        if self.upgrade is not None:
            self._upgrade_body_received(data)
            return
        upgrade_at = None
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade as upgrade:
            upgrade_at = upgrade.args[0] if upgrade.args else len(data)
        except httptools.HttpParserCallbackError as error:
            cause = error.__context__
            if isinstance(cause, _Stop):
                pass  # the request that ends the connection is read: what follows it is not
            elif isinstance(cause, _Refused):
                self._refuse(cause.where, cause.reason, cause.status)
            elif isinstance(cause, _Answered):
                self._answer_and_end(cause.response)
            else:
                self._internal(cause or error)
        except httptools.HttpParserError as error:
            self._unparseable(error)
        if upgrade_at is not None:
            # Out of the except block: what the body's own parser raises must not see the upgrade as its context.
            self._upgrade(data[upgrade_at:])

    # -- the parser's callbacks ---------------------------------------------------------------
    def _new_request(self) -> None:
        self.url = bytearray()
        self.header_lines: list[tuple[bytes, bytes]] = []
        self.head_size = 0
        self.head: Request | None = None
        self.body = bytearray()
        self.expected: int | None = None
        self.max_body = self.limits.max_body

    def on_message_begin(self) -> None:
        self._new_request()
        self.state = _READING_HEAD
        self._arm(self.limits.client_timeout, self._head_timeout)

    def on_url(self, url: bytes) -> None:
        self.url += url
        # The request line: method, space, target, space, "HTTP/1.1".
        if len(self.parser.get_method()) + len(self.url) + 10 > self.limits.max_line:
            raise _Refused(
                "request line", f"the request line is longer than {self.limits.max_line} bytes: send the fields in a POST body", 414
            )
        self._count(len(url))

    def on_header(self, name: bytes, value: bytes) -> None:
        if len(name) + len(value) + 2 > self.limits.max_header:
            # Not named: a header is the client's text, and the answer is logged.
            raise _Refused("headers", f"a header is longer than {self.limits.max_header} bytes", 431)
        self.header_lines.append((name, value))
        if len(self.header_lines) > self.limits.max_headers:
            raise _Refused("headers", f"the request has more than {self.limits.max_headers} headers", 431)
        self._count(len(name) + len(value) + 4)

    def _count(self, size: int) -> None:
        self.head_size += size
        if self.head_size > self.limits.max_head:
            raise _Refused("headers", f"the request's head is larger than {self.limits.max_head} bytes", 431)

    def on_headers_complete(self) -> None:
        headers: dict[str, str] = {}
        hosts = 0
        for name, value in self.header_lines:
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            hosts += key == "host"
            headers[key] = f"{headers[key]}, {text}" if key in headers else text
        version = self.parser.get_http_version()
        target = self.url.decode("latin-1")
        absolute = _ABSOLUTE.match(target)
        if absolute:
            # RFC 9112 3.2.2: a server must take an absolute-form target, and its authority stands for Host.
            rest = target[absolute.end() :]
            target = rest if rest.startswith("/") else "/" + rest
            headers["host"] = absolute.group(1)
        head = Request(
            method=self.parser.get_method().decode("ascii", "replace"),
            target=target,
            headers=headers,
            peer=self.peer,
            version=version,
        )
        self.head = head
        # RFC 9112 3.2: exactly one Host, of the form host[:port], in HTTP/1.1; at most one in HTTP/1.0.
        if hosts > 1:
            raise _Refused("Host", "the request has more than one Host header (RFC 9112, 3.2)")
        if not absolute and hosts == 0 and version != "1.0":
            raise _Refused("Host", "an HTTP/1.1 request needs a Host header, such as `Host: 127.0.0.1:4010` (RFC 9112, 3.2)")
        if hosts and not _HOST.fullmatch(headers["host"]):
            raise _Refused("Host", "the Host header is not a host with an optional port (RFC 9112, 3.2)")
        if version == "1.0" and "transfer-encoding" in headers:
            # RFC 9112 6.1: the framing of such a request cannot be trusted, whatever else it says.
            raise _Refused("Transfer-Encoding", "Transfer-Encoding is not HTTP/1.0: send HTTP/1.1, or the body with a Content-Length")
        length = headers.get("content-length")
        self.expected = int(length) if length is not None and length.strip().isdigit() else None
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        self.max_body = self.app.body_limit(head, self.limits.max_body)
        if self.expected is not None and self.expected > self.max_body:
            raise _Refused("Content-Length", f"the body is too large ({self.expected} bytes; at most {self.max_body})", 413)
        early = self.app.screen(head)
        if early is not None:
            raise _Answered(early)
        has_body = chunked or bool(self.expected)
        if has_body:
            self.state = _READING_BODY
            self._arm(self.limits.client_timeout, self._body_timeout)
            if headers.get("expect", "").lower() == "100-continue" and head.version == "1.1":
                self._send_continue()

    def on_body(self, chunk: bytes) -> None:
        self.body += chunk
        if len(self.body) > self.max_body:
            raise _Refused("Content-Length", f"the body is too large (over {self.max_body} bytes)", 413)
        self._arm(self.limits.client_timeout, self._body_timeout)

    def on_message_complete(self) -> None:
        assert self.head is not None
        if self.parser.should_upgrade():
            return  # llhttp leaves the body of an `Upgrade` request unread: see _upgrade
        self.continue_owed = False  # the body is here: a 100 Continue now would come after it, or after its answer
        request = self.head
        request.body = bytes(self.body)
        keep_alive = self.parser.should_keep_alive()
        self._request_done(request, keep_alive)
        if not keep_alive:
            raise _Stop  # llhttp would read on into the bytes after it, as the next request

    # -- requests and answers -------------------------------------------------------------------
    def _request_done(self, request: Request, keep_alive: bool) -> None:
        self.state = _READING_NOTHING
        self._disarm()
        self.queue.append(request)
        if not keep_alive or self.stopping:
            self.closing = True
        if self.worker is None or self.worker.done():
            self.worker = self.loop.create_task(self._answer_queue())
        self._update_reading()  # a client that pipelines waits for its answers

    async def _answer_queue(self) -> None:
        while self.queue:
            if not self.writable.is_set():
                await self.writable.wait()  # the client has not taken the answers before: none more is made
            request = self.answering = self.queue.popleft()
            try:
                response = await self.app.handle(request)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the app's contract is never to raise: this is our bug
                log.error("the mock failed on a request from %s:\n%s", self.peer, safe_traceback(exc))
                response = self.app.fault(request)
            self.answering = None
            if response.drop:
                self.queue.clear()
                self._close()
                return
            last = response.close or (self.closing and not self.queue and self.last_answer is None)
            self._write(response, head_only=request.method == "HEAD", close=last)
            if last:
                self._close()
                return
            self._update_reading()
        if self.last_answer is not None:
            self._write_last_answer()
            return
        if self.continue_owed:
            self._send_continue()
        if self.state == _READING_NOTHING:
            self._arm(self.limits.keepalive_timeout, self._idle_timeout)
        self._close_if_done()

    def _send_continue(self) -> None:
        # A `100 Continue` must not overtake the answers still owed to earlier, pipelined requests.
        if self.queue or (self.worker is not None and not self.worker.done() and self.worker is not asyncio.current_task()):
            self.continue_owed = True
            return
        self.continue_owed = False
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_CONTINUE)

    def _write(self, response: Response, head_only: bool = False, close: bool = False) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        lines = [_status_line(response.status)]
        for name, value in response.headers:
            lines.append(f"{name}: {value}\r\n".encode("latin-1"))
        if response.status != 204:
            lines.append(b"Content-Length: %d\r\n" % len(response.body))
        if close or response.close:
            lines.append(b"Connection: close\r\n")
        lines.append(b"\r\n")
        if not head_only and response.status != 204:
            lines.append(response.body)
        self.transport.write(b"".join(lines))

    def _refuse(self, where: str, reason: str, status: int = 400) -> None:
        """Answer a request that broke a rule, then end the connection: the rest of it is not read."""
        self._answer_and_end(self.app.refuse(self.head or self._partial_head(), where, reason, status))

    def _partial_head(self) -> Request:
        """A request whose head did not arrive whole: its method and as much of its target as came, nothing else."""
        try:
            method = self.parser.get_method().decode("ascii", "replace")
        except httptools.HttpParserError:
            method = "-"
        return Request(method=method, target=self.url.decode("latin-1"), headers={}, peer=self.peer)

    def _answer_and_end(self, response: Response) -> None:
        """Answer, and end the connection; after the answers still owed to earlier (pipelined) requests."""
        if self.last_answer is not None:
            return  # the first reason to end the connection is the one the client hears
        self.closing = True
        self.last_answer = (response, self.head is not None and self.head.method == "HEAD")
        if not self.queue and (self.worker is None or self.worker.done()):
            self._write_last_answer()

    def _write_last_answer(self) -> None:
        assert self.last_answer is not None
        response, head_only = self.last_answer
        self._write(response, head_only=head_only, close=True)
        self._linger()

    def _upgrade(self, rest: bytes) -> None:
        # llhttp hands over the bytes after an `Upgrade` request's head, and reads no more; this server
        # upgrades to nothing: it reads the body itself, by its own framing, answers it over HTTP/1.1,
        # and reads the requests after it with a new parser (RFC 9110 7.8: the client goes on in HTTP/1.1).
        if self.head is None:
            self._unparseable(httptools.HttpParserError("an upgrade without a request"))
            return
        chunked = "chunked" in self.head.headers.get("transfer-encoding", "").lower()
        self.upgrade = _ChunkedBody(self.max_body) if chunked else _LengthBody(self.expected or 0)
        self._upgrade_body_received(rest)

    def _upgrade_body_received(self, data: bytes) -> None:
        upgrade, request = self.upgrade, self.head
        if upgrade is None or request is None:
            return
        try:
            rest = upgrade.feed(data)
        except _Refused as refused:
            self.upgrade = None
            self._refuse(refused.where, refused.reason, refused.status)
            return
        if rest is None:
            self.state = _READING_BODY
            self.body = upgrade.body
            self._arm(self.limits.client_timeout, self._body_timeout)
            return
        self.upgrade = None
        self.continue_owed = False
        request.body = bytes(upgrade.body)
        self.parser = httptools.HttpRequestParser(self)
        self._request_done(request, keep_alive=_keeps_alive(request))
        if rest and not self.closing:
            self.data_received(rest)

    def _unparseable(self, error: httptools.HttpParserError) -> None:
        reason = str(error)
        http2 = self.head is None and self.url == b"*" and "PRI" in reason  # llhttp stops at "PRI * HTTP/2.0"
        # A request line with a method llhttp knows and a target it does not take is HTTP: answered, as a bad target.
        bad_target = self.head is None and isinstance(error, httptools.HttpParserInvalidURLError) and self._partial_head().method != "-"
        if self.head is None and (not self.url or http2) and not bad_target:
            # Not HTTP/1 at all: nothing to answer in a language the client speaks.
            if http2:
                log.warning("%s: closed a connection that speaks HTTP/2 without asking; this mock speaks HTTP/1.1", self.peer)
            else:
                log.warning("%s: closed a connection whose bytes are not HTTP/1.1", self.peer)
            # After the answers owed to the requests before these bytes, if any: the last of them says so.
            self.state = _READING_NOTHING
            self.closing = True
            self._close_if_done()
            return
        if bad_target:
            self._refuse("request line", "the request's target is not a URL path (such as /) nor an http:// URL")
            return
        where = "Content-Length" if "content-length" in reason.lower() else "body" if self.head is not None else "request"
        self._refuse(where, f"the request is not valid HTTP/1.1 ({reason.rstrip('.')})")

    def _internal(self, exc: BaseException) -> None:
        log.error("the mock failed on a request from %s:\n%s", self.peer, safe_traceback(exc))
        self._answer_and_end(self.app.fault(self.head or self._partial_head()))

    # -- timers and endings -----------------------------------------------------------------
    def _arm(self, seconds: float, callback: Callable[[], None]) -> None:
        self._disarm()
        self.timer = self.loop.call_later(seconds, callback)

    def _disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _disarm_write_timer(self) -> None:
        if self.write_timer is not None:
            self.write_timer.cancel()
            self.write_timer = None

    def _write_timeout(self) -> None:
        self.write_timer = None
        log.warning("%s: dropped a client that had not read its answers for %g s", self.peer, self.limits.client_timeout)
        self._close()

    def _idle_timeout(self) -> None:
        if self.state == _READING_NOTHING and not self.queue and (self.worker is None or self.worker.done()):
            self._close()

    def _head_timeout(self) -> None:
        log.warning("%s: dropped a client that had not sent a request's head within %g s", self.peer, self.limits.client_timeout)
        self._close()

    def _body_timeout(self) -> None:
        self._refuse("body", f"the body stopped arriving for {self.limits.client_timeout:g} s: {self._body_progress()}", 408)

    def _body_progress(self) -> str:
        total = f"of the {self.expected} announced" if self.expected is not None else "of a chunked body"
        return f"{len(self.body)} bytes {total}"

    def _linger(self) -> None:
        """End the connection so that the client reads the answer: half-close, drop what still comes, then close."""
        self.lingering = self.ended = True
        self._disarm()
        if self.transport is None or self.transport.is_closing():
            return
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.transport.resume_reading()
        self.timer = self.loop.call_later(self.limits.linger, self._close)

    def _close_if_done(self) -> None:
        idle = not self.queue and (self.worker is None or self.worker.done() or self.worker is asyncio.current_task())
        if self.closing and idle and self.state == _READING_NOTHING:
            self._close()

    def _close(self) -> None:
        self.ended = True
        self._disarm()
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    # -- stopping --------------------------------------------------------------------------------
    def begin_stop(self) -> None:
        """The server stops: an idle connection ends now; a busy one after its current request."""
        self.stopping = True
        busy = self.queue or (self.worker is not None and not self.worker.done())
        if self.state == _READING_NOTHING and not busy:
            self._close()
        elif self.state == _READING_NOTHING:
            self.closing = True

    def end_stop(self) -> None:
        """The grace is over: a request still arriving is answered as cut short; the rest are closed."""
        if self.lingering:
            self._close()
        elif self.state == _READING_BODY:
            self._refuse("body", f"the mock is stopping and this request had not arrived ({self._body_progress()}): send it again", 503)
        elif self.state == _READING_HEAD:
            self._close()

    def abort(self) -> None:
        """The last moment of a stop: a request still being answered is told so; the connection ends."""
        if self.worker is not None and not self.worker.done():
            self.worker.cancel()
            if self.answering is not None:
                log.warning("%s: the mock stopped before it could answer a request", self.peer)
                self._write(self.app.unanswered(self.answering), close=True)
        if self.transport is not None:
            self.transport.close()


class HttpServer:
    def __init__(self, app: App, limits: Limits | None = None) -> None:
        self.app = app
        self.limits = limits or Limits()
        self.connections: set[Connection] = set()
        self.closed = asyncio.Event()  # set each time a connection ends
        self.server: asyncio.Server | None = None

    async def serve(self, sock: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        self.server = await loop.create_server(lambda: Connection(self), sock=sock, backlog=1024)

    async def stop(self, grace: float, finish: float = 1.0) -> None:
        """Stop accepting; answer what has arrived; give requests still arriving `grace` seconds, then
        answers still being made `finish` seconds; then close everything."""
        if self.server is not None:
            self.server.close()
        # Read what clients have already sent: a request that arrived just before the signal is answered.
        for _ in range(3):
            await asyncio.sleep(0)
        for connection in list(self.connections):
            connection.begin_stop()
        await self._until_closed(grace)
        for connection in list(self.connections):
            connection.end_stop()
        await self._until_closed(finish)
        for connection in list(self.connections):
            connection.abort()
        await self._until_closed(0.2)  # the last answers leave

    async def _until_closed(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while self.connections and loop.time() < deadline:
            self.closed.clear()
            try:
                await asyncio.wait_for(self.closed.wait(), deadline - loop.time())
            except TimeoutError:
                break
