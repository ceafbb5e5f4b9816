"""A recording proxy: it passes every request to a server (the mock) and keeps each request and answer.

Tests put it between a client they do not control (a code sample in curl, Python or TypeScript)
and the mock, to see exactly what the client sent, secrets included (the mock's journal masks
them), and what it was answered.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import httpx
from zomro_mock.forms import MULTIPART, URLENCODED, media_type, parse_multipart, parse_urlencoded

# Headers that belong to one connection, not to the request: the proxy makes its own.
_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "proxy-connection", "host", "content-length", "expect"}


def strict_multipart(content_type: str, body: bytes) -> list[tuple[str, str]] | str:
    """The (name, value) pairs of a multipart/form-data body, in order, or what is wrong with it.

    Stricter than the mock's parser, which takes what a lenient server takes: this is for
    checking that a client sends what the contract says (a boundary, no defects, named parts).
    """
    if not content_type.startswith("multipart/form-data") or "boundary=" not in content_type:
        return f"content type {content_type or '(none)'!r}, not multipart/form-data with a boundary"
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart() or message.defects:
        return f"a multipart body that does not parse ({message.defects or 'no parts'})"
    fields = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            return "a part with no form-data name"
        payload = part.get_payload(decode=True)
        fields.append((name, payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""))
    return fields


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str
    content_type: str
    body: bytes
    status: int
    answer: bytes
    # The answer's Content-Type: a validator of the answers (clients/matrix/openapi-core) checks it against the contract.
    answer_type: str

    def fields(self) -> dict[str, str]:
        """The form the request carried (multipart or urlencoded body, then the query string)."""
        pairs = parse_urlencoded(urlsplit(self.path).query, "query")
        kind = media_type(self.content_type)
        if kind == MULTIPART:
            pairs += parse_multipart(self.body, self.content_type)
        elif kind == URLENCODED:
            pairs += parse_urlencoded(self.body, "body")
        return dict(pairs)

    def json(self) -> Any:
        return json.loads(self.body)

    def answer_json(self) -> Any:
        return json.loads(self.answer)


class Recorder:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        self.exchanges: list[Exchange] = []

    def since(self, count: int) -> list[Exchange]:
        return self.exchanges[count:]


def _handler(target: str, recorder: Recorder, client: httpx.Client, lock: threading.Lock) -> type[BaseHTTPRequestHandler]:
    class Forward(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # the test output is no place for an access log
            pass

        def _body(self) -> bytes:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                body = b""
                while size := int(self.rfile.readline().split(b";")[0], 16):
                    body += self.rfile.read(size)
                    self.rfile.readline()
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):  # trailers
                    pass
                return body
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _forward(self) -> None:
            body = self._body()
            headers = {name: value for name, value in self.headers.items() if name.lower() not in _HOP}
            answer = client.request(self.command, target + self.path, content=body, headers=headers)
            with lock:
                recorder.exchanges.append(
                    Exchange(
                        self.command,
                        self.path,
                        self.headers.get("Content-Type", ""),
                        body,
                        answer.status_code,
                        answer.content,
                        answer.headers.get("Content-Type", ""),
                    )
                )
            self.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in _HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

    return Forward


@contextmanager
def recording(target: str) -> Iterator[Recorder]:
    """A proxy on a free loopback port in front of `target` (a base URL), for the block's length."""
    lock = threading.Lock()
    with httpx.Client(timeout=60) as client:
        server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
        recorder = Recorder(server)
        server.RequestHandlerClass = _handler(target.rstrip("/"), recorder, client, lock)
        # A short poll: shutdown() waits up to one (half a second by default) at the end of every block.
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        thread.start()
        try:
            yield recorder
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
