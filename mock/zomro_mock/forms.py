"""The form fields of a request, wherever BILLmanager accepts them.

BILLmanager takes its fields from the query string of a GET or POST, and from
a POST body that is multipart/form-data or application/x-www-form-urlencoded.
Anything else, or a body that cannot be read, is a Rejection, never a crash.

The multipart parser is our own: aiohttp's costs about 0.8 ms a request, most
of the mock's time (profiled), and a form of a few text fields needs little.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from .errors import VALUE, Rejection
from .server import Request

MULTIPART = "multipart/form-data"
URLENCODED = "application/x-www-form-urlencoded"

_BOUNDARY = re.compile(r';\s*boundary=(?:"([^"]*)"|([^\s;"]*))', re.I)
_BOUNDARY_MAX = 70  # RFC 2046
_DISPOSITION = re.compile(r"form-data\s*(;.*)?$", re.I | re.S)
_NAME = re.compile(r';\s*name=(?:"((?:[^"\\]|\\.)*)"|([^\s;"]+))', re.I)


def _invalid(reason: str) -> Rejection:
    return Rejection(VALUE, "Content-Type", f"the body is not valid {MULTIPART}: {reason}")


def _part(part: bytes) -> tuple[str, str]:
    head, separator, value = part.partition(b"\r\n\r\n")
    if not separator:
        raise _invalid("a part has no blank line between its headers and its value")
    name = None
    for line in head.split(b"\r\n"):
        header, colon, content = line.decode("latin-1").partition(":")
        if not colon:
            raise _invalid("a part has a header line without a colon (is a blank line missing before its value?)")
        if header.strip().lower() == "content-disposition":
            disposition = _DISPOSITION.match(content.strip())
            found = _NAME.search(disposition.group(1) or "") if disposition else None
            if found is None:
                raise _invalid("a part's Content-Disposition is not `form-data; name=...`")
            name = found.group(1).replace('\\"', '"') if found.group(1) is not None else found.group(2)
    if name is None:
        raise _invalid("a part has no Content-Disposition header")
    try:
        return name, value.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejection(VALUE, name, f"field {name!r} is not UTF-8 text", logged="a field's value is not UTF-8 text") from None


def parse_multipart(body: bytes, content_type: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of a multipart/form-data body, strictly by RFC 7578."""
    match = _BOUNDARY.search(content_type)
    boundary = (match.group(1) or match.group(2)) if match else None
    if not boundary:
        raise _invalid("its Content-Type names no boundary")
    if len(boundary) > _BOUNDARY_MAX:
        raise _invalid(f"its boundary has {len(boundary)} characters; RFC 2046 allows at most {_BOUNDARY_MAX}")
    delimiter = b"--" + boundary.encode("latin-1")
    if body.startswith(delimiter):
        position = len(delimiter)
    else:
        position = body.find(b"\r\n" + delimiter)
        if position < 0:
            raise _invalid("the boundary never occurs in it")
        position += 2 + len(delimiter)
    fields: list[tuple[str, str]] = []
    separator = b"\r\n" + delimiter
    while True:
        if body.startswith(b"--", position):
            return fields
        if not body.startswith(b"\r\n", position):
            raise _invalid("a boundary is not followed by a line break")
        end = body.find(separator, position + 2)
        if end < 0:
            raise _invalid("it ends before its closing boundary")
        fields.append(_part(body[position + 2 : end]))
        position = end + len(separator)


def parse_urlencoded(text: bytes | str, where: str) -> list[tuple[str, str]]:
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise Rejection(VALUE, where, f"the {where} is not valid UTF-8 {URLENCODED} text") from None


def _single_values(pairs: list[tuple[str, str]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in fields:
            count = sum(1 for other, _ in pairs if other == name)
            raise Rejection(VALUE, name, f"field {name!r} is given {count} times; give it once", logged=f"a field is given {count} times")
        fields[name] = value
    return fields


def _body_pairs(request: Request) -> list[tuple[str, str]]:
    if not request.body:
        return []
    content_type = request.headers.get("content-type", "")
    if media_type(content_type) == MULTIPART:
        return parse_multipart(request.body, content_type)
    return parse_urlencoded(request.body, "body")


def media_type(content_type: str) -> str:
    return content_type.partition(";")[0].strip().lower()


def unsupported(request: Request) -> Rejection | None:
    """What the head alone shows to be wrong with a request's method or body type, before its body is read."""
    if request.method not in ("GET", "POST"):
        return Rejection(VALUE, "method", f"method {request.method} is not supported; use POST (or GET)")
    has_body = request.headers.get("content-length", "0").strip() not in ("", "0") or "transfer-encoding" in request.headers
    kind = media_type(request.headers.get("content-type", ""))
    if has_body and kind not in (MULTIPART, URLENCODED):
        return Rejection(VALUE, "Content-Type", f"unsupported content type {kind or 'none'!r}; send {MULTIPART} or {URLENCODED}")
    return None


def read(request: Request) -> dict[str, str]:
    """The request's fields, by name: the query string's and the body's together.

    Its method and content type are those `unsupported` let through, from its head.
    """
    # The raw query: percent-decoded here, once.
    pairs = parse_urlencoded(request.query, "query string") if request.query else []
    if request.method == "POST":
        pairs += _body_pairs(request)
    return _single_values(pairs)
