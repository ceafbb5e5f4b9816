"""Calls spaced out against the provider's production API, for the commands that make many in a row.

`zomro-rescue probe` and `zomro-rescue world` (which previews every instance of
an account) ask the provider's API at most once every MIN_INTERVAL seconds, the
floor the SDK's waits keep there too: a customer's tool should not look like a
flood. Any other server (the mock, a fake in a test) is asked at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from .client import DEFAULT_URL, MIN_INTERVAL


def interval_for(base_url: str) -> float:
    """The seconds to keep between two calls to `base_url`: MIN_INTERVAL for the provider's API, else none."""
    return MIN_INTERVAL if httpx.URL(base_url).host == httpx.URL(DEFAULT_URL).host else 0.0


class Pace:
    """`wait()` before each call: it returns once `interval` seconds have passed since the last call began."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], object] = time.sleep) -> None:
        self.interval = interval
        self._clock, self._sleep = clock, sleep
        self._last: float | None = None

    def wait(self) -> None:
        if self._last is not None and self.interval > 0:
            left = self._last + self.interval - self._clock()
            if left > 0:
                self._sleep(left)
        self._last = self._clock()
