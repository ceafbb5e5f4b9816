"""One client doing its worst beside others: how much it slows them, as a ratio to their latency alone.

A measuring client sends the article's preview, one request at a time, and takes the median
latency: alone, beside a client sending ordinary requests flat out, and beside one doing its
worst (undocumented `Prefer` headers, the largest bodies, costly to decode, and heads that never
end). On a 2-core machine any client sending flat out costs the others some latency, whatever it
sends (it, the router, Prism and the measuring client share the cores); the worst should cost
about what the ordinary does. Before the `Prefer` allow-list, `dynamic=true` cost seconds.

Part of `make bench` (bench/mock_bench.py runs it); `python bench/fairness.py` runs it alone.
A wrong answer fails it; slowness only shows in its figures.
"""

from __future__ import annotations

import argparse
import multiprocessing
import socket
import statistics
import sys
import time
from typing import Any

import httpx
from zomro_mock.prism import free_port
from zomro_testkit import article, mock_process
from zomro_testkit.arguments import whole_number
from zomro_testkit.contract import body_limit, operations

CANARY = article.curl_example("preview")  # answered the same in every world
EXPECTED = next(iter(operations()["previewRescueImages"].response_examples.values()))["value"]


class WrongAnswer(Exception):
    """The mock answered the measuring client wrongly: a broken behaviour, not a slow one."""


def median_latency(url: str, count: int) -> float:
    times = []
    with httpx.Client(timeout=30) as client:
        for _ in range(count):
            started = time.perf_counter()
            answer = client.post(url + "/", data=CANARY.form)
            times.append(time.perf_counter() - started)
            if answer.status_code != 200 or answer.json() != EXPECTED:
                raise WrongAnswer(f"HTTP {answer.status_code}: {answer.text[:200]}")
    return statistics.median(times)


def _busy_client(url: str, stop: Any, worst: bool) -> None:
    """A client sending as fast as it can: ordinary requests, or the worst it can do to slow the mock."""
    largest = b"func=auth&out=json&username=u&password=" + b"%41" * ((body_limit() - 40) // 3)
    requests: list[dict[str, Any]] = [{"data": CANARY.form}]
    if worst:
        requests = [
            {"data": CANARY.form, "headers": {"Prefer": "dynamic=true"}},
            {"content": largest, "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
        ]
    host, port = url.removeprefix("http://").rsplit(":", 1)
    held: list[socket.socket] = []
    with httpx.Client(timeout=10) as client:
        while not stop.is_set():
            for request in requests:
                client.post(url + "/", **request)
            if worst and len(held) < 100:
                held.append(socket.create_connection((host, int(port)), timeout=5))
                held[-1].send(b"P")
    for connection in held:
        connection.close()


def latency_beside(url: str, worst: bool, count: int) -> float:
    # In a process of its own: a thread would slow the measuring client through the GIL instead.
    processes = multiprocessing.get_context("fork")
    stop = processes.Event()
    worker = processes.Process(target=_busy_client, args=(url, stop, worst))
    worker.start()
    try:
        time.sleep(0.5)
        return median_latency(url, count)
    finally:
        stop.set()
        worker.join(30)
        worker.kill()


ROWS = (
    ("alone", "alone"),
    ("ordinary", "beside a client sending ordinary requests flat out"),
    ("worst", "beside a client doing its worst"),
)


def measure(rounds: int) -> dict[str, float]:
    """The measuring client's median latency (seconds) alone, beside the ordinary client and beside the worst; medians of rounds in turns."""
    taken: dict[str, list[float]] = {key: [] for key, _ in ROWS}
    with mock_process.running("--port", str(free_port())) as mock:
        median_latency(mock.url, 20)  # warm up
        for _ in range(rounds):
            taken["alone"].append(median_latency(mock.url, 60))
            taken["ordinary"].append(latency_beside(mock.url, worst=False, count=80))
            taken["worst"].append(latency_beside(mock.url, worst=True, count=80))
    return {key: statistics.median(values) for key, values in taken.items()}


def rows(figures: dict[str, float]) -> list[list[str]]:
    return [[label, f"{figures[key] * 1000:.1f} ms", f"{figures[key] / figures['alone']:.2f}x"] for key, label in ROWS]


def show(figures: dict[str, float]) -> None:
    print("\n" + "the others' median latency".ljust(52) + f"{'time':>10}{'ratio to alone':>16}")
    for label, time_, ratio in rows(figures):
        print(f"{label:52}{time_:>10}{ratio:>16}")
    print(f"{'the worst to the ordinary':52}{'':>10}{figures['worst'] / figures['ordinary']:>15.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rounds", nargs="?", type=whole_number(1, 100), default=1, help="rounds of each measurement (default 1)")
    try:
        show(measure(parser.parse_args().rounds))
    except WrongAnswer as error:
        sys.exit(f"fairness: a wrong answer: {error}")
