"""The mock as a proxy (`zomro-rescue-mock --upstream URL`), run inside the test's process.

The command adds nothing to what is tested here but its arguments, its ready line and its summary on stop
(tests/test_proxy.py runs it as a process for those): the router, the proxy and the server are the ones it
builds, on a loop in a thread of their own, without the second of start-up a process costs on a busy machine.

    with proxy.running(mock.url) as front:
        httpx.post(front.url, data=...)
        assert front.control.journal()[0]["drift"] == []
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from zomro_contract import CONTRACT
from zomro_mock.cors import Cors
from zomro_mock.proxy import Proxy, make
from zomro_mock.router import Router
from zomro_mock.server import HttpServer, Limits
from zomro_mock.testing import Mock


@dataclass
class RunningProxy:
    url: str
    proxy: Proxy
    control: Mock  # its control API in Python, as the pytest plugin gives it


@contextmanager
def running(upstream: str, *, timeout: float = 10.0, verbose: bool = True) -> Iterator[RunningProxy]:
    """A proxy to `upstream` on a free loopback port for the block's length; `timeout` bounds each exchange."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    async def start() -> tuple[Proxy, HttpServer, str]:
        proxy = make(CONTRACT, upstream, timeout, verbose, time.time)
        router = Router(proxy.catalogue, None, verbose, Cors.parse("*"), proxy=proxy)
        server = HttpServer(router, Limits(max_body=proxy.catalogue.body_limit))
        listener = socket.create_server(("127.0.0.1", 0))
        listener.setblocking(False)
        await server.serve(listener)
        return proxy, server, f"http://127.0.0.1:{listener.getsockname()[1]}"

    proxy, server, url = asyncio.run_coroutine_threadsafe(start(), loop).result(30)
    control = Mock(url)
    try:
        yield RunningProxy(url, proxy, control)
    finally:
        control.close()

        async def stop() -> None:
            await server.stop(grace=0.2, finish=0.2)
            await proxy.upstream.close()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
