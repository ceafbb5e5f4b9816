"""The sync client's whole-call deadline (zomro_rescue.deadline), in the test's process, on a clock moved by hand.

tests/test_quirky_server.py shows the deadline ending a call that a server trickles; here are its rules, which
no server's timing reaches: each socket operation gets the shorter of its own timeout and what is left of the
call, none once the call's time is up (exactly at its end included), and every argument reaches the socket as given.
"""

from __future__ import annotations

import ssl
from types import SimpleNamespace
from typing import Any

import httpcore
import httpx
import pytest
from zomro_rescue import deadline


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """The module's clock, frozen at 1000 s until a test moves it."""
    clock = SimpleNamespace(value=1000.0)
    monkeypatch.setattr(deadline, "time", SimpleNamespace(monotonic=lambda: clock.value))
    return clock


def test_without_a_deadline_each_operation_keeps_its_own_timeout(now: SimpleNamespace) -> None:
    assert deadline._left(7.5, httpcore.ReadTimeout) == 7.5
    assert deadline._left(None, httpcore.ReadTimeout) is None


def test_an_operation_gets_the_shorter_of_its_timeout_and_what_is_left(now: SimpleNamespace) -> None:
    with deadline.within(60):
        assert deadline._left(5, httpcore.ReadTimeout) == 5
        assert deadline._left(None, httpcore.ReadTimeout) == 60
        now.value += 40
        assert deadline._left(30, httpcore.ReadTimeout) == 20
    assert deadline._left(30, httpcore.ReadTimeout) == 30, "the deadline ends with its block"


def test_under_a_second_left_is_still_time_and_none_left_is_a_timeout(now: SimpleNamespace) -> None:
    with deadline.within(0.5):
        assert deadline._left(None, httpcore.ReadTimeout) == 0.5
        now.value += 0.5  # exactly at the deadline
        for error in (httpcore.ReadTimeout, httpcore.WriteTimeout, httpcore.ConnectTimeout):
            with pytest.raises(error):
                deadline._left(10, error)


class Recorder:
    """A stream or a backend that notes each call it gets."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any) -> Any:
            self.calls.append((name, args))
            return Recorder() if name in ("connect_tcp", "start_tls") else f"{name} done"

        return call


def test_reads_writes_and_connections_get_what_is_left(now: SimpleNamespace) -> None:
    inner = Recorder()
    stream = deadline._Stream(inner)  # type: ignore[arg-type]
    backend, socket = deadline._Backend(), Recorder()
    backend._backend = socket  # type: ignore[assignment]
    with deadline.within(10):
        now.value += 4
        assert stream.read(4096, 30) == "read done"  # type: ignore[comparison-overlap]
        stream.write(b"form", 2)
        assert stream.get_extra_info("is_readable") == "get_extra_info done"
        connected = backend.connect_tcp("api.example", 443, 30, "192.0.2.1", [(1, 2, 3)])
    assert inner.calls == [("read", (4096, 6)), ("write", (b"form", 2)), ("get_extra_info", ("is_readable",))]
    assert socket.calls == [("connect_tcp", ("api.example", 443, 6, "192.0.2.1", [(1, 2, 3)]))]
    assert isinstance(connected, deadline._Stream), "the connection's own reads keep the deadline"
    with deadline.within(10), pytest.raises(httpcore.WriteTimeout):
        now.value += 10
        stream.write(b"form", None)


def test_the_transport_keeps_httpx_s_own_settings() -> None:
    # httpx gives no way to pass its pool a backend: deadline.transport() replaces the pool, with what httpx would use.
    ours, httpx_own = deadline.transport()._pool, httpx.HTTPTransport()._pool
    for setting in ("_max_connections", "_max_keepalive_connections", "_keepalive_expiry", "_http1", "_http2", "_retries"):
        assert getattr(ours, setting) == getattr(httpx_own, setting), setting
    assert isinstance(ours._ssl_context, ssl.SSLContext), "httpx's TLS settings (its certificates, SSL_CERT_FILE), not httpcore's"
    assert isinstance(ours._network_backend, deadline._Backend)
