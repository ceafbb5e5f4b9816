"""The one `Prefer` request the mock takes: `example=NAME`, one of the operation's named examples.

Prism honours more (`code=`, `dynamic=true`, ...), but `dynamic=true` makes it
build random multi-megabyte answers for seconds each, stalling every other
client, and a `code=` it has no answer for comes back as Prism's own error.
What the mock documents is what it passes on; the rest is refused, with the
names that would work.
"""

from __future__ import annotations

import re

from .errors import VALUE, Rejection

HEADER = "Prefer"
EXAMPLE = "example"

# RFC 7240: preference *( ";" parameter ), each `token [ "=" ( token / quoted-string ) ]`.
_PREFERENCE = re.compile(r'\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^\s;,"]*))?\s*((?:;[^,]*)?)\s*(?:,|$)')


def _preferences(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _PREFERENCE.match(text, position)
        if match is None or match.end() == position:
            raise ValueError
        name, value = match.group(1).lower(), match.group(2) or ""
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        found.append((name, value))
        position = match.end()
    return found


def example_name(header: str | None, operation_id: str, examples: tuple[str, ...]) -> str | None:
    """The example a request's `Prefer` header names (None without one); a Rejection for anything else."""
    if header is None or not header.strip():
        return None
    usage = f"this mock takes only `{HEADER}: {EXAMPLE}=NAME`; {operation_id}'s examples are {', '.join(examples)}"
    try:
        preferences = _preferences(header)
    except ValueError:
        raise Rejection(VALUE, HEADER, f"the {HEADER} header cannot be read: {usage}") from None
    others = sorted({name for name, _ in preferences if name != EXAMPLE})
    if others:
        raise Rejection(
            VALUE,
            HEADER,
            f"{HEADER} {', '.join(map(repr, others))} is not supported: {usage}",
            logged=f"{HEADER} asks for what the mock does not take",
        )
    names = [value for _, value in preferences]
    if len(names) > 1:
        raise Rejection(VALUE, HEADER, f"{HEADER} names {len(names)} examples: name one; {usage}")
    if names[0] not in examples:
        raise Rejection(
            VALUE,
            HEADER,
            f"{operation_id} has no example {names[0]!r}; ask for one of: {', '.join(examples)}",
            logged=f"{HEADER} names an example that {operation_id} does not have",
        )
    return names[0]
