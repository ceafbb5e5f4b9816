"""Form fields as they may appear in a log: secrets never in full, and never a flood."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

MASK = "***"
# A log line stays a line: a client may send thousands of fields, or a value of many kilobytes.
MAX_FIELDS = 20
MAX_VALUE = 80


def shorten(text: str, limit: int = MAX_VALUE) -> str:
    return text if len(text) <= limit else f"{text[:limit]}...({len(text)} characters)"


def near_miss(name: str, known: frozenset[str]) -> str | None:
    """The known name that `name` is a typo of, if any."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    return close[0] if close else None


def _name(name: str, known: frozenset[str]) -> str:
    # A name the client made up may hold anything (`password%3Dsecret` is one name): shown only when
    # it is a near miss of a known one, a typo worth seeing.
    if name in known or near_miss(name, known):
        return shorten(name)
    return f"(a name of {len(name)} characters)"


def describe(fields: Mapping[str, str], public: frozenset[str], known: frozenset[str]) -> str:
    """`name=value` pairs, with the value shown only for fields known not to be secret (`public`).

    An unknown field (a typo of `password`, say) is masked too: it may hold a secret.
    """
    shown = [
        f"{name}={shorten(value)!r}" if name in public else f"{_name(name, known)}={MASK}"
        for name, value in list(fields.items())[:MAX_FIELDS]
    ]
    if len(fields) > MAX_FIELDS:
        shown.append(f"(and {len(fields) - MAX_FIELDS} more fields)")
    return " ".join(shown)


_METHODS = ("GET", "POST", "OPTIONS", "HEAD", "PUT", "DELETE", "PATCH")


def request_line(
    peer: str, method: str, path: str, operation: str, fields: Mapping[str, str], public: frozenset[str], known: frozenset[str]
) -> str:
    """A request as the log shows it: who, the method and path only when they are the usual ones, the fields masked."""
    method = method if method in _METHODS else "(other method)"
    # Only `/` is logged as sent: any other path may hold anything.
    return f"{peer} {method} {path if path in ('/', '') else '(another path)'} {operation} [{describe(fields, public, known)}]"
