"""A large world loading beside the emulated API's clients: how long a preview waits at most meanwhile.

A measuring client sends the article's preview, one request at a time, alone, then while curl (a
process of its own) loads a world of 150,000 instances, 15.7 MB of JSON, with PUT /_mock/world.
The world is read, checked and built in a thread: the previews go on, and the longest wait among
them is the figure (the aim: under 100 ms). The same longest wait alone is the baseline of the
same run. Before, the load took 10 to 13 s on the mock's loop, and every preview waited that long.

Part of `make bench` (bench/mock_bench.py runs it); `python bench/world_load.py` runs it alone.
A wrong answer, or a world refused, fails it; slowness only shows in its figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from zomro_mock import default_world
from zomro_testkit import article, mock_process
from zomro_testkit.contract import operations, spec

CANARY = article.curl_example("preview")  # answered the same in every world that keeps the default one's instances
EXPECTED = next(iter(operations()["previewRescueImages"].response_examples.values()))["value"]
INSTANCES = 150_000


class Broken(Exception):
    """A wrong answer, or a world refused: a broken behaviour, not a slow one."""


def _world() -> bytes:
    world = default_world.data(spec())
    for account in range(2):
        instances = [
            {"elid": 10**7 + account * 10**6 + n, "name": f"vm-{n}", "status": "active", "os_name": "Debian 12", "ip": f"192.0.2.{n % 250}"}
            for n in range(INSTANCES // 2)
        ]
        world["accounts"].append({"username": f"big-{account}@example.com", "password": "Big-Secret-1", "instances": instances})
    return json.dumps(world).encode()


def _previews(client: httpx.Client, url: str, until: threading.Event | None, count: int) -> list[float]:
    """Latencies of previews, one at a time: `count` of them, or as many as come before `until` is set."""
    waits = []
    while (until is None and len(waits) < count) or (until is not None and not until.is_set()):
        started = time.perf_counter()
        answer = client.post(url + "/", data=CANARY.form)
        waits.append(time.perf_counter() - started)
        if answer.json() != EXPECTED:
            raise Broken(f"a preview got {answer.text[:200]}")
    return waits


def measure() -> dict[str, float]:
    """Seconds: the longest and the median preview alone and while the world loads, and the load itself."""
    body = _world()
    with tempfile.TemporaryDirectory(prefix="zomro-bench-") as folder, mock_process.running() as mock:
        path = Path(folder) / "world.json"
        path.write_bytes(body)
        done, outcome = threading.Event(), {}

        def load() -> None:
            started = time.perf_counter()
            command = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-H", "Content-Type: application/json"]
            result = subprocess.run([*command, "--data-binary", f"@{path}", mock.url + "/_mock/world"], capture_output=True, text=True)
            outcome.update(status=result.stdout, seconds=time.perf_counter() - started)
            done.set()

        with httpx.Client(timeout=120) as client:
            _previews(client, mock.url, None, 50)  # warm up
            alone = _previews(client, mock.url, None, 500)
            loading = threading.Thread(target=load)
            loading.start()
            during = _previews(client, mock.url, done, 0)
            loading.join()
        if outcome.get("status") != "200":
            raise Broken(f"the world was refused: HTTP {outcome.get('status')}")
    return {
        "alone_max": max(alone),
        "alone_median": statistics.median(alone),
        "during_max": max(during),
        "during_median": statistics.median(during),
        "during_count": len(during),
        "load": outcome["seconds"],
        "megabytes": len(body) / 1e6,
    }


def rows(figures: dict[str, float]) -> list[list[str]]:
    return [
        [
            "a preview alone: the longest of 500 (median)",
            f"{figures['alone_max'] * 1000:.0f} ms ({figures['alone_median'] * 1000:.1f} ms)",
            "1.00x",
        ],
        [
            f"a preview while {figures['megabytes']:.1f} MB of world ({INSTANCES:,} instances) loads: "
            f"the longest of {figures['during_count']:.0f} (median)",
            f"{figures['during_max'] * 1000:.0f} ms ({figures['during_median'] * 1000:.1f} ms)",
            f"{figures['during_max'] / figures['alone_max']:.2f}x",
        ],
        ["the load itself: PUT /_mock/world, sent to answered", f"{figures['load']:.2f} s", "-"],
    ]


def show(figures: dict[str, float]) -> None:
    print("\n" + "".ljust(96) + f"{'time':>22}{'ratio':>8}")
    for label, time_, ratio in rows(figures):
        print(f"{label:96}{time_:>22}{ratio:>8}")


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()  # no options: --help, and nothing else
    try:
        show(measure())
    except Broken as error:
        sys.exit(f"world load: {error}")
