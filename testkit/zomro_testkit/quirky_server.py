"""A fake BILLmanager with quirks, for tests: it answers each request as a *scenario* says, byte for byte.

A scenario is a function of the request's form fields that returns an Answer: the
status, headers and body to send, and how to send them (at once, cut mid-body, or
trickled one byte at a time forever). The server records every form it received.

    with QuirkyServer(billmanager(unrescueInstance=json_answer({"doc": {}}))) as server:
        ...  # talk to server.url
        assert server.requests[0]["func"] == "instances.fleio.unrescue"
"""

from __future__ import annotations

import functools
import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, cast
from urllib.parse import parse_qsl

from zomro_contract import CONTRACT
from zomro_contract.operations import CONFIRM, FUNC, load

from zomro_testkit.contract import operations

Form = dict[str, str]
# Seconds between two bytes of a trickled answer.
TRICKLE_INTERVAL = 0.5


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
    # Send this many bytes of the body (Content-Length still says all of it), then close: a server dying mid-answer.
    cut_after: int | None = None
    # "head": every byte trickled; "body": the head at once, then the body trickled. Either then trickles spaces
    # forever (the body has no Content-Length, so only the server's stop ends it): httpx's read timeout never fires.
    trickle: Literal["head", "body"] | None = None
    # Seconds between two trickled bytes: short, for a test that bounds the call with a short timeout.
    trickle_interval: float = TRICKLE_INTERVAL


Scenario = Callable[[Form], Answer]


def json_answer(document: Any, status: int = 200, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    return Answer(status, json.dumps(document).encode(), (("Content-Type", "application/json"), *headers))


def operation(form: Form) -> str:
    """The contract's operationId for a request, from the fields BILLmanager dispatches on."""
    found = _catalogue().select(form.get(FUNC, ""), bool(form.get(CONFIRM)))
    return found.operation_id if found else "unknown"


_catalogue = functools.cache(lambda: load(CONTRACT))


def example(operation_id: str, name: str) -> Any:
    """One of the contract's response examples: a real BILLmanager document."""
    return operations()[operation_id].response_examples[name]["value"]


def billmanager(**replies: Answer | Scenario) -> Scenario:
    """A well-behaved BILLmanager (the contract's examples), but for the operations given, by operationId."""
    normal = {
        "previewRescueImages": json_answer(example("previewRescueImages", "preview")),
        "rescueInstance": json_answer(example("rescueInstance", "ok")),
        "unrescueInstance": json_answer(example("unrescueInstance", "ok")),
        "logIn": json_answer(example("logIn", "session")),
        "listInstances": json_answer(example("listInstances", "instances")),
        "unknown": json_answer({"doc": {"error": {"$type": "missed", "$object": "func", "msg": {"$": "Unknown function"}}}}),
    }

    def scenario(form: Form) -> Answer:
        reply = {**normal, **replies}[operation(form)]
        return reply if isinstance(reply, Answer) else reply(form)

    return scenario


def parse_form(content_type: str, body: bytes) -> Form:
    """The form fields of a multipart (httpx, curl --form) or urlencoded body."""
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=policy.HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        return {
            str(part.get_param("name", header="content-disposition")): cast(bytes, part.get_payload(decode=True)).decode()
            for part in message.iter_parts()
        }
    return dict(parse_qsl(body.decode(errors="replace"), keep_blank_values=True))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # a client that stalls mid-request does not hold its thread for ever
    server: _HTTPServer

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        # httpx sends a Content-Length with its multipart bodies; chunked requests are not needed here.
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        form = parse_form(self.headers.get("Content-Type", ""), body)
        self.server.quirky.requests.append(form)
        self.server.quirky.heads.append([(name.lower(), value) for name, value in self.headers.items()])
        self.close_connection = True  # one answer per connection: a cut or a trickle never spills into the next
        try:
            self._send(self.server.quirky.scenario(form))
        except OSError:  # the client gave up (its timeout): nothing more to do
            pass

    do_GET = do_POST

    def _send(self, answer: Answer) -> None:
        headers = list(answer.headers)
        if answer.trickle is None:
            headers.append(("Content-Length", str(len(answer.body))))
        headers.append(("Connection", "close"))
        lines = [f"HTTP/1.1 {answer.status} {HTTPStatus(answer.status).phrase}", *(f"{name}: {value}" for name, value in headers), "", ""]
        head = "\r\n".join(lines).encode("latin-1")
        if answer.trickle is None:
            self.wfile.write(head + answer.body[: answer.cut_after])
            return
        if answer.trickle == "body":
            self.wfile.write(head)
        slow = head + answer.body if answer.trickle == "head" else answer.body
        stopping = self.server.quirky.stopping
        for i in range(len(slow)):
            self.wfile.write(slow[i : i + 1])
            if stopping.wait(answer.trickle_interval):
                return
        while not stopping.wait(answer.trickle_interval):
            self.wfile.write(b" ")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
        pass  # quiet: the tests read `requests`, not a log


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    quirky: QuirkyServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # a client that hung up is a scenario, not a server error
            super().handle_error(request, client_address)


class QuirkyServer:
    """The fake server on 127.0.0.1, on a port the system picks; a context manager that always stops it."""

    def __init__(self, scenario: Scenario | None = None) -> None:
        self.scenario = scenario or billmanager()
        self.requests: list[Form] = []
        self.heads: list[list[tuple[str, str]]] = []  # each request's headers, names lower-cased, repeats kept
        self.stopping = threading.Event()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.quirky = self
        # A short poll: each test starts and stops its own server, and shutdown() waits up to one poll.
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def address(self) -> str:
        """host:port, for URLs that need more than the default `url` (a user and password, say)."""
        return f"127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def __enter__(self) -> QuirkyServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()  # ends every trickle, which closes its connection
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
