"""A recording proxy in front of the mock: what a generated client really sent, byte for byte.

The matrix checks each client's wire (method, path, content type, the form's
fields) from what arrived here, not from what the client says it sent. The
proxy forwards every request unchanged to the mock and keeps its method, raw
path, headers and body (a chunked body is decoded and forwarded with its
length).
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# Headers that describe one hop, not the request: not forwarded either way.
_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection", "content-length", "expect", "host"}


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case; a repeated header keeps its last value
    body: bytes


class _Proxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.recorded: list[Recorded] = []
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Proxy

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silent: the request line may be all that is wrong, and the matrix reports it from the record."""

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _forward(self) -> None:
        body = self._body()
        headers = {name.lower(): value for name, value in self.headers.items()}
        with self.server.lock:
            self.server.recorded.append(Recorded(self.command, self.path, headers, body))
        upstream = http.client.HTTPConnection(*self.server.upstream, timeout=30)
        try:
            sent = {name: value for name, value in self.headers.items() if name.lower() not in _HOP}
            upstream.request(self.command, self.path, body=body, headers={**sent, "Content-Length": str(len(body))})
            answer = upstream.getresponse()
            content = answer.read()
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in _HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)
        finally:
            upstream.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _forward


@contextmanager
def recording(upstream: str) -> Iterator[tuple[str, list[Recorded]]]:
    """A proxy to `upstream` on a free port: its URL, and the list its requests are recorded into."""
    proxy = _Proxy(upstream)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}", proxy.recorded
    finally:
        proxy.shutdown()
        proxy.server_close()
