"""The router's client to its own Prism: keep-alive HTTP/1.1 connections on loopback, pooled.

A general client (aiohttp's, tried) spent more of the mock's CPU than the
router itself; this one does only what talking to one trusted local Prism
needs. Prism is stateless, so a request that a closing keep-alive connection
dropped before any answer came is sent again on a new one.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import cast

import httptools

# Prism (Node's http server) closes a connection idle for 5 s; ours leave the pool before that.
IDLE_LIMIT = 4.0


class PrismUnavailable(Exception):
    """Prism did not answer: it is gone, or too slow."""


class _Connection(asyncio.Protocol):
    def __init__(self, pool: PrismClient) -> None:
        self.pool = pool
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.answer: asyncio.Future[tuple[int, bytes]] | None = None
        self.body: list[bytes] = []
        self.reusable = True
        self.received = False
        self.last_used = time.monotonic()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self.reusable = False
        if self in self.pool.idle:
            self.pool.idle.remove(self)
        if self.answer is not None and not self.answer.done():
            self.answer.set_exception(_Dropped(self.received))

    def data_received(self, data: bytes) -> None:
        self.received = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self.reusable = False
            if self.answer is not None and not self.answer.done():
                self.answer.set_exception(PrismUnavailable("Prism's answer is not HTTP"))
            if self.transport is not None:
                self.transport.close()

    def on_body(self, chunk: bytes) -> None:
        self.body.append(chunk)

    def on_message_complete(self) -> None:
        if not self.parser.should_keep_alive():
            self.reusable = False
        if self.answer is not None and not self.answer.done():
            self.answer.set_result((self.parser.get_status_code(), b"".join(self.body)))

    def send(self, request: bytes) -> asyncio.Future[tuple[int, bytes]]:
        assert self.transport is not None
        self.answer = asyncio.get_running_loop().create_future()
        self.body = []
        self.received = False
        self.transport.write(request)
        return self.answer

    def close(self) -> None:
        self.reusable = False
        if self.transport is not None:
            self.transport.close()


class _Dropped(Exception):
    def __init__(self, answered: bool) -> None:
        super().__init__("Prism closed the connection")
        self.answered = answered


class PrismClient:
    def __init__(self, host: str, port: int, timeout: float = 30.0) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self.idle: deque[_Connection] = deque()
        self.host_header = f"Host: {host}:{port}\r\n".encode()

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """POST to Prism; its status and body. PrismUnavailable if it does not answer in time."""
        head = [f"POST {path} HTTP/1.1\r\n".encode(), self.host_header]
        head += [f"{name}: {value}\r\n".encode("latin-1") for name, value in headers.items()]
        request = b"".join([*head, b"Content-Length: %d\r\n\r\n" % len(body), body])
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        for attempt in range(2):
            connection = await self._connection(fresh=attempt > 0)
            answer = connection.send(request)
            timer = loop.call_at(deadline, _expire, answer)
            try:
                result = await answer
            except _Dropped as dropped:
                if dropped.answered or attempt:
                    raise PrismUnavailable("Prism closed the connection in the middle of an answer") from None
                continue  # a keep-alive connection Prism had just closed: once more, on a new one
            except BaseException:
                connection.close()
                raise
            finally:
                timer.cancel()
            self._release(connection)
            return result
        raise PrismUnavailable("Prism closed the connection")

    async def _connection(self, fresh: bool) -> _Connection:
        now = time.monotonic()
        while self.idle and not fresh:
            connection = self.idle.pop()  # the most recently used: the least likely to be closing
            if connection.reusable and now - connection.last_used < IDLE_LIMIT:
                return connection
            connection.close()
        try:
            _, connection = await asyncio.get_running_loop().create_connection(lambda: _Connection(self), self.host, self.port)
        except OSError as exc:
            raise PrismUnavailable(f"cannot connect to Prism ({exc.strerror or type(exc).__name__})") from None
        return connection

    def _release(self, connection: _Connection) -> None:
        if connection.reusable:
            connection.last_used = time.monotonic()
            self.idle.append(connection)
        else:
            connection.close()

    def close(self) -> None:
        while self.idle:
            self.idle.pop().close()


def _expire(answer: asyncio.Future[tuple[int, bytes]]) -> None:
    if not answer.done():
        answer.set_exception(PrismUnavailable("Prism did not answer in time"))
