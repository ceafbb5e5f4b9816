"""The world's clock: real time by default; a test may freeze it and move it forward.

As Stripe's test clocks move a subscription through months in a second, a
test moves the emulated server through an hour of idleness or a 30-second
rescue without waiting: nothing sleeps to pass time.

The world reads two scales from it. `monotonic()` is what sessions and
transitions are stamped with and compared by: it only moves forward, with real
time while the clock runs, and by `advance()`. `time()` is the wall time the
world shows (the journal, the control API): `monotonic()` plus an epoch, so
setting the date (`set_time()`) re-dates the world without letting any time
pass in it.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

# The latest wall time the clock shows: one that RFC 3339 (four-digit years) can still write.
LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()


@dataclass(frozen=True)
class ClockStart:
    """How the world's clock starts, at the mock's start and every reset: running or frozen, at real time or at `now`."""

    frozen: bool = False
    now: float | None = None  # seconds since the epoch; None: real time


class Clock:
    """A clock that follows real time unless frozen, and that a test may move forward.

    `real` and `wall` are where real time comes from (time.monotonic and time.time): a test of the
    clock itself passes its own.
    """

    def __init__(
        self, start: ClockStart | None = None, *, real: Callable[[], float] = time.monotonic, wall: Callable[[], float] = time.time
    ):
        self._real, self._wall = real, wall
        self.restart(start or ClockStart())

    def restart(self, start: ClockStart) -> None:
        """Back to the start: no world time has passed, and the date is real time's (or the start's)."""
        self.frozen = start.frozen
        self._real_at_anchor = self._real()
        self._anchor = 0.0  # world seconds at _real_at_anchor
        self._epoch = start.now if start.now is not None else self._wall()

    def monotonic(self) -> float:
        """World seconds since the start: what sessions and transitions are timed with."""
        if self.frozen:
            return self._anchor
        return self._anchor + (self._real() - self._real_at_anchor)

    def time(self) -> float:
        """The world's wall time, in seconds since the epoch."""
        return self._epoch + self.monotonic()

    def offset(self) -> float:
        """How far the world's time is ahead of real time (negative: behind)."""
        return self.time() - self._wall()

    def advance(self, seconds: float) -> None:
        """Move world time forward by `seconds`, frozen or not."""
        if not (math.isfinite(seconds) and seconds >= 0):
            raise ValueError("give the seconds to move forward: a finite number, 0 or more")
        if self.time() + seconds > LATEST:
            raise ValueError("the world's clock cannot pass the end of the year 9999")
        self._anchor += seconds

    def freeze(self) -> None:
        """Stop world time where it is: from now on only `advance()` moves it."""
        if not self.frozen:
            self._anchor = self.monotonic()
            self.frozen = True

    def run(self) -> None:
        """Let world time follow real time again, from where it stands."""
        if self.frozen:
            self._real_at_anchor = self._real()
            self.frozen = False

    def set_time(self, wall: float) -> None:
        """Show `wall` as the world's time now. No world time passes: idle sessions and pending transitions keep their seconds."""
        if not (math.isfinite(wall) and 0 <= wall <= LATEST):
            raise ValueError("give a time from 1970 to the end of 9999")
        self._epoch = wall - self.monotonic()


def rfc3339(seconds: float) -> str:
    """A wall time as RFC 3339, in UTC, to the millisecond: `2026-12-06T15:30:00.123Z`."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# RFC 3339's date-time: fromisoformat alone also takes ISO 8601's other forms (week dates, no seconds, no offset).
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})", re.ASCII)


def parse_rfc3339(text: str) -> float:
    """An RFC 3339 date-time, with its offset (`Z` or `+01:00`), as seconds since the epoch; ValueError otherwise."""
    if not _RFC3339.fullmatch(text):
        raise ValueError("give an RFC 3339 date and time with its offset from UTC, such as 2026-12-06T15:30:00Z")
    try:
        seconds = datetime.fromisoformat(text.upper().replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise ValueError(f"{text[:10]} {text[11:19]} is no date and time of the calendar") from None
    if not 0 <= seconds <= LATEST:
        raise ValueError("give a time from 1970 to the end of 9999, in UTC")
    return seconds
