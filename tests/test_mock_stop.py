"""SIGTERM or Ctrl-C stops the mock within about 3 s whatever its clients do: it answers what has arrived,
tells a request still arriving that it was cut short, and leaves no Prism behind."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from zomro_mock.__main__ import STOP_FINISH, STOP_GRACE, STOP_PRISM
from zomro_mock.testing import MockProcess
from zomro_testkit import article, mock_process
from zomro_testkit.contract import operations

# From the signal until the mock and its Prism are gone, the code promises at most: STOP_GRACE for a request
# still arriving, STOP_FINISH for an answer being made, 0.2 s for the last answers to leave (HttpServer.stop),
# STOP_PRISM for Prism before it is killed: 2.7 s. The bound adds room for a machine that other work loads
# (a process may wait its turn for a second or more), and stays under the client timeout (10 s), which is
# what would end a stalled upload if the stop did not.
PROMISED_STOP = STOP_GRACE + STOP_FINISH + 0.2 + STOP_PRISM
STOP_LIMIT = PROMISED_STOP + 3.0
READ_TIMEOUT = 5.0  # no client read waits longer: a mock that does not close fails the test, never hangs it
BODY = urlencode(article.curl_example("preview").form).encode()  # answered the same in every world
STOPPING = "the mock is stopping and this request had not arrived"


def _request(body: bytes, length: int | None = None) -> bytes:
    """A urlencoded POST of `body`; announcing a larger `length` makes it an upload still arriving."""
    head = f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {length or len(body)}\r\n\r\n"
    return head.encode() + body


# A head announcing 1000 bytes, and the first 100 of them.
STALLED = _request((BODY + b"&note=").ljust(1000, b"x")[:100], length=1000)


def _gone(pid: int) -> bool:
    try:
        return "(zombie)" in Path(f"/proc/{pid}/status").read_text().split("State:")[1].splitlines()[0]
    except (OSError, IndexError):
        return True


def _kill_if_running(pid: int, group: bool = False) -> None:
    """After a failed test: leave nothing running (Prism leads its own process group)."""
    if not _gone(pid):
        (os.killpg if group else os.kill)(pid, signal.SIGKILL)


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _unread(port: int) -> int:
    """Bytes that clients sent to `port` and the mock has not read yet (the kernel's receive queues)."""
    total = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, _, state, queues = line.split()[1:5]
        if int(local.split(":")[1], 16) == port and state != "0A":  # 0A: the listening socket
            total += int(queues.split(":")[1], 16)
    return total


def _until_read(port: int) -> None:
    # A signal that overtakes a request's bytes would find the connection idle, and close it unanswered.
    assert _until(lambda: _unread(port) == 0, 10), "the mock did not read what its clients sent"


def _port(mock: mock_process.RunningMock) -> int:
    return int(mock.url.rsplit(":", 1)[1])


def _connect(port: int, data: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=READ_TIMEOUT)
    sock.sendall(data)
    return sock


def _receive(sock: socket.socket) -> bytes:
    """All that the mock sent on this connection until it closed it."""
    data = bytearray()
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            data += chunk
    return bytes(data)


def _parse(data: bytes) -> tuple[str, dict[str, str], Any]:
    """The status line, headers (by lower-case name) and JSON body of one response, that must be all of `data`."""
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    assert int(headers["content-length"]) == len(body), f"not one whole response: {data!r}"
    return status, headers, json.loads(body)


def _assert_stopping_error(data: bytes) -> str:
    """`data` is the error document that ends a request cut short by the stop; return its message."""
    status, headers, document = _parse(data)
    assert status == "HTTP/1.1 200 OK"
    assert headers["connection"] == "close"
    error = document["doc"]["error"]
    assert (error["$type"], error["$object"]) == ("value", "body")
    assert error["msg"]["$"].startswith(STOPPING), error
    return str(error["msg"]["$"])


def _assert_clean_log(log: str) -> None:
    assert "Traceback" not in log, log
    assert "please report" not in log, log


def _signal(mock: mock_process.RunningMock, sig: int) -> tuple[float, list[int]]:
    """Send `sig`; return when it was sent, and the Prism processes that must be gone after it."""
    prism = mock.prism_pids()
    assert prism, "the mock has no Prism"
    started = time.monotonic()
    mock.process.send_signal(sig)
    return started, prism


def _gone_in_time(mock: mock_process.RunningMock, sig: int, started: float, prism: list[int]) -> float:
    """The seconds from the signal until the mock and its Prism were gone, having checked its exit and log."""
    # Wait a little past the limit, so that a slow stop is measured, not only failed.
    _until(lambda: mock.process.poll() is not None and all(map(_gone, prism)), STOP_LIMIT + 2)
    took = time.monotonic() - started
    print(f"{signal.Signals(sig).name}: the mock and its Prism were gone after {took:.2f} s")
    assert took < STOP_LIMIT, (
        f"the mock (exit {mock.process.poll()}) or its Prism still ran {took:.1f} s after the signal:\n{mock.output()}"
    )
    assert mock.process.returncode == 0, mock.output()
    _assert_clean_log(mock.output())
    return took


def _stop(mock: mock_process.RunningMock, sig: int) -> float:
    """Send `sig`; return the seconds until the mock and its Prism were gone, having checked its exit and log."""
    return _gone_in_time(mock, sig, *_signal(mock, sig))


@contextlib.contextmanager
def _mock() -> Iterator[mock_process.RunningMock]:
    mock = mock_process.start()
    prism = mock.prism_pids()
    try:
        yield mock
    finally:
        if mock.process.poll() is None:
            mock.stop(signal.SIGKILL)
        for pid in prism:
            _kill_if_running(pid, group=True)
        shutil.rmtree(mock.stdout.parent, ignore_errors=True)


def _stalled_upload_is_told_it_was_cut_short(sig: int) -> None:
    with _mock() as mock, _connect(_port(mock), STALLED) as upload:
        _until_read(_port(mock))
        _stop(mock, sig)
        message = _assert_stopping_error(_receive(upload))
        assert "(100 bytes of the 1000 announced)" in message


def test_sigterm_tells_a_stalled_upload_it_was_cut_short() -> None:
    _stalled_upload_is_told_it_was_cut_short(signal.SIGTERM)


def test_ctrl_c_mid_upload_is_the_same_as_sigterm() -> None:
    _stalled_upload_is_told_it_was_cut_short(signal.SIGINT)


def test_requests_in_flight_are_answered_and_uploads_cut_short() -> None:
    expected = next(iter(operations()["previewRescueImages"].response_examples.values()))["value"]
    with _mock() as mock, contextlib.ExitStack() as stack:
        port = _port(mock)
        complete = [stack.enter_context(_connect(port)) for _ in range(50)]
        halves = [stack.enter_context(_connect(port)) for _ in range(50)]
        for whole, half in zip(complete, halves, strict=True):
            whole.sendall(_request(BODY))
            half.sendall(_request(BODY[: len(BODY) // 2], length=len(BODY)))
        _until_read(port)
        _stop(mock, signal.SIGTERM)
        for sock in complete:
            status, _, document = _parse(_receive(sock))
            assert (status, document) == ("HTTP/1.1 200 OK", expected)
        for sock in halves:
            answer = _receive(sock)
            if answer:  # or the connection closed without one: the client sees that it must send again
                _assert_stopping_error(answer)


def test_idle_keep_alive_connections_do_not_delay_the_stop() -> None:
    with _mock() as mock, contextlib.ExitStack() as stack:
        idle = []
        for _ in range(20):
            connection = http.client.HTTPConnection("127.0.0.1", _port(mock), timeout=READ_TIMEOUT)
            stack.callback(connection.close)
            connection.request("POST", "/", BODY, {"Content-Type": "application/x-www-form-urlencoded"})
            answer = connection.getresponse()
            assert answer.status == 200 and not answer.will_close
            answer.read()
            idle.append(connection)
        started, prism = _signal(mock, signal.SIGTERM)
        for connection in idle:
            assert connection.sock is not None and _receive(connection.sock) == b""
        closed = time.monotonic() - started
        # Closed at once: they do not wait the grace that a request still arriving gets. A mock that kept them
        # would close them STOP_GRACE after the signal; this one does within milliseconds, so the grace itself
        # is the bound, and nearly all of it room for a loaded machine.
        assert closed < STOP_GRACE, f"the idle connections were closed {closed:.2f} s after the signal"
        _gone_in_time(mock, signal.SIGTERM, started, prism)


def test_the_pytest_plugins_stop_is_quick_with_an_upload_stalled() -> None:
    # How the plugin (README, "In your CI") ends a session's mock: SIGTERM, and a wait until it is gone.
    # A client that stalls in the middle of an upload must not hold the test session, or the CI job, up.
    process = MockProcess.start()
    assert process.mock is not None
    port = int(process.mock.url.rpartition(":")[2])
    with contextlib.ExitStack() as stack:
        stack.callback(_kill_if_running, process.process.pid)
        (prism,) = _children(process.process.pid)
        stack.callback(_kill_if_running, prism, group=True)
        upload = stack.enter_context(_connect(port, STALLED))
        _until_read(port)
        started = time.monotonic()
        code = process.stop()
        took = time.monotonic() - started
        print(f"the plugin's stop returned after {took:.2f} s")
        assert took < STOP_LIMIT and _gone(prism), f"the stop waited {took:.1f} s"
        assert code == 0, process.final_output
        _assert_clean_log(process.final_output)
        _assert_stopping_error(_receive(upload))
