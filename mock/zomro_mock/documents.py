"""Documents in: a world file, or a control API body, read as JSON's data model within documented limits.

JSON and YAML both give more than JSON's data model holds, or more than a world needs: numbers JSON has
not (NaN, Infinity), lone surrogates that no answer can encode, nesting deep enough to exhaust the
interpreter's stack, and YAML aliases that make a small file a large world. Each limit is checked
before the work it bounds: depth and aliases while the text is parsed, the number of values and their
kinds before any schema looks at them. A document that breaks one is a DocumentError naming it, in
one line; nothing here raises anything else for any text.

PyYAML's own safe loader is used, less its timestamps (a date written unquoted stays text, as the
World format has it) and with a composer that counts; the standard library's json, without NaN.
"""

from __future__ import annotations

import json
import json.scanner
import math
from typing import Any

import yaml

MAX_DEPTH = 16  # nesting of objects and arrays: a world's deepest value is 7 levels down
MAX_ALIASES = 100  # YAML aliases (`*name`) in one document
MAX_VALUES = 2_000_000  # values in all, with each alias counted as what it stands for (a 15 MB world holds about 1.2 million)


class DocumentError(ValueError):
    """The text is not a document this mock takes: the message says which rule, never what the text held."""


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, less timestamps, that refuses nesting deeper than MAX_DEPTH and more than MAX_ALIASES aliases
    as it composes: before any object is made of them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0
        self._open: list[str] = []  # the anchors of the nodes being composed: an alias to one of them is a cycle

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise DocumentError(f"the YAML has more than {MAX_ALIASES} aliases")
            if event.anchor in self._open:
                raise DocumentError("a YAML alias stands for a node that holds it: the document would never end")
        anchor = getattr(event, "anchor", None) if not isinstance(event, yaml.AliasEvent) else None
        self._depth += 1
        if anchor is not None:
            self._open.append(anchor)
        try:
            if self._depth > MAX_DEPTH:
                raise DocumentError(f"the document is nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            if anchor is not None:
                self._open.pop()


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
YAMLError = yaml.YAMLError


_TOO_LONG = "a number has more digits than this mock reads (4,300)"


def _no_constant(name: str) -> Any:
    raise DocumentError(f"{name} is not a JSON number")


# Past this size, JSON is read by the standard library's decoder in Python, not C: 5 times slower, but it lets
# other threads run (C's holds the interpreter's lock throughout: 0.2 s for 15 MB, and the mock answers no one).
_IN_C = 1024 * 1024


def _decoder() -> json.JSONDecoder:
    decoder = json.JSONDecoder(parse_constant=_no_constant)
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    return decoder


def parse_json(text: str) -> Any:
    """JSON text as data, checked; DocumentError, or ValueError for text that is not JSON."""
    try:
        data = json.loads(text, parse_constant=_no_constant) if len(text) <= _IN_C else _decoder().decode(text)
    except RecursionError:
        raise DocumentError(f"the document is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError | DocumentError):
            raise
        raise DocumentError(_TOO_LONG) from None
    return check(data)


def parse_yaml(text: str) -> Any:
    """YAML (or JSON, which is YAML) text as data, checked; DocumentError, or YAMLError for text that is not YAML."""
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader, less timestamps, that counts
    except RecursionError:
        raise DocumentError(f"the document is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:
        if isinstance(exc, DocumentError):
            raise
        raise DocumentError(_TOO_LONG) from None
    return check(data)


def check(data: Any) -> Any:
    """`data` if it is JSON's data model within the limits: at most MAX_DEPTH deep and MAX_VALUES values (each
    alias counted as what it stands for), finite numbers, strings that are Unicode (no lone surrogate), keys that
    are strings. Walked without recursion, and stopped at the first value over a limit."""
    count = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise DocumentError(f"the document holds more than {MAX_VALUES:,} values")
        if depth > MAX_DEPTH:
            raise DocumentError(f"the document is nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise DocumentError("a key is not text: every key of an object is a string")
                _text(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            _text(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise DocumentError("a number is not finite (NaN or infinity): JSON has no such number")
        elif not (value is None or isinstance(value, bool | int | float)):
            raise DocumentError(f"a value is a {type(value).__name__}, which JSON has not")
    return data


def _text(value: str) -> None:
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise DocumentError("a string holds a lone surrogate (such as \\ud800): it is not Unicode text") from None
