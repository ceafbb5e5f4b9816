"""The journal: every request of the emulated API, its secrets masked, and what it was answered.

Kept by the emulated server and by the proxy alike (`GET /_mock/journal`). An
entry is in control-api.yaml's `JournalEntry` format; the proxy adds to each
the `drift` it found in the exchange.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from .clock import rfc3339
from .redact import MASK, near_miss

SIZE = 10_000


def elid_of(fields: dict[str, str]) -> int | None:
    """The instance a request is about, when its `elid` is one."""
    value = fields.get("elid", "")
    # isdigit() alone takes "²" and other digits int() does not read: a rejected request is journaled too.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 20 else None


class Journal:
    """The last SIZE entries, oldest first. `now` gives the time to stamp each with (seconds since the epoch).

    `known_fields`: every field some operation takes (None: take every name as known). A name outside it is
    a client's own, and may hold anything (`password%3Dsecret` is one name): its value and the name are masked.
    """

    def __init__(self, secret_fields: frozenset[str], known_fields: frozenset[str] | None, now: Callable[[], float]) -> None:
        self.secret_fields = secret_fields
        self.known_fields = known_fields
        self.now = now
        self._entries: deque[dict[str, Any]] = deque(maxlen=SIZE)
        self._seq = itertools.count(1)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        """Forget every entry; numbering goes on (`DELETE /_mock/journal`)."""
        self._entries.clear()

    def restart(self) -> None:
        """Forget every entry and number afresh: a test after a reset sees the same numbers every run."""
        self._entries.clear()
        self._seq = itertools.count(1)

    def record(self, operation: str, fields: dict[str, str], answer: dict[str, Any], drift: list[dict[str, str]] | None = None) -> None:
        """One request, its secrets masked, and its answer; `drift` (the proxy's) when given."""
        entry: dict[str, Any] = {"seq": next(self._seq), "at": rfc3339(self.now()), "operation": operation}
        if "func" in fields:
            entry["func"] = fields["func"]
        elid = elid_of(fields)
        if elid is not None:
            entry["elid"] = elid
        entry["fields"] = dict(self._shown(name, value) for name, value in fields.items())
        entry["answer"] = answer
        if drift is not None:
            entry["drift"] = drift
        self._entries.append(entry)

    def _shown(self, name: str, value: str) -> tuple[str, str]:
        if self.known_fields is not None and name not in self.known_fields:
            # Named only when it is a typo of a known one (`pasword`), as in the log.
            return (name if near_miss(name, self.known_fields) else f"(a name of {len(name)} characters)"), MASK
        return name, MASK if name in self.secret_fields else value

    def entries(self, func: str | None = None, operation: str | None = None, elid: int | None = None) -> list[dict[str, Any]]:
        return [
            entry
            for entry in self._entries
            if (func is None or entry.get("func") == func)
            and (operation is None or entry["operation"] == operation)
            and (elid is None or entry.get("elid") == elid)
        ]
