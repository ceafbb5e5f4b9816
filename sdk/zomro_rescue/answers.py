"""What a server answered, read as a BILLmanager installation may send it, not as the contract hopes.

The generated models read an answer strictly, and as the first `oneOf` branch
that fits: `{"doc": {"ok": {}, "error": {...}}}` read as success. Here an
answer holding `doc.error` is an error whatever else it holds, an error with
parts missing is still the server's error, and anything else that is not this
API's JSON is a TransportError that says what came instead.
"""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from zomro_contract.checks import HTTP_STATUS, read_answer

from .errors import ApiError, TransportError

# Statuses with which a server asks to be called again later, with Retry-After.
_BUSY = (429, 503)


def _text(value: Any) -> str:
    return str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else ""


def api_error(error: Any) -> ApiError:
    """The server's error document, with whatever parts it has."""
    if not isinstance(error, dict):
        return ApiError("", "", _text(error))
    message = error.get("msg")
    return ApiError(
        _text(error.get("$type")), _text(error.get("$object")), _text(message.get("$") if isinstance(message, dict) else message)
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    try:
        return float(max(0.0, parsedate_to_datetime(value).timestamp() - time.time()))
    except (TypeError, ValueError, IndexError):
        return None


def _status_error(response: httpx.Response, server: str) -> TransportError:
    status = response.status_code
    if status in _BUSY:
        wait = _retry_after(response)
        advice = f"asks to wait {wait:.0f} s (Retry-After) before trying again" if wait is not None else "asks to try again later"
        return TransportError(f"{server} is busy (HTTP {status}) and {advice}", retry_after=wait)
    if response.is_redirect:
        return TransportError(f"{server} answered HTTP {status}, a redirect, which this API never sends: is the URL this API's?")
    return TransportError(f"{server} answered HTTP {status}, which this API never sends")


def document(response: httpx.Response, server: str) -> dict[str, Any]:
    """The answer's `doc`; ApiError when it holds an error; TransportError when it is not this API's answer."""
    # The same verdict as the drift probe's and the mock's proxy: another status than 200, or no JSON, is not this API.
    data, wrong = read_answer(response.status_code, response.headers.get("content-type", ""), response.content)
    if wrong is not None:
        if wrong.category == HTTP_STATUS:
            raise _status_error(response, server)
        raise TransportError(f"{server} answered {wrong.explanation.split(':')[0]}: is the URL this API's?")
    doc = data.get("doc") if isinstance(data, dict) else None
    if not isinstance(doc, dict):
        raise TransportError(f"{server} answered JSON that is not this API's (no `doc` object): is the URL this API's?")
    if "error" in doc:
        raise api_error(doc["error"])
    return doc


def ok(doc: dict[str, Any], server: str) -> None:
    if "ok" not in doc:
        raise TransportError(f"{server} answered neither `ok` nor an error: the request may or may not have been done")


def session(doc: dict[str, Any], server: str) -> str:
    auth = doc.get("auth")
    found = (auth.get("$id") or auth.get("$")) if isinstance(auth, dict) else None
    if not isinstance(found, str) or not found:
        raise TransportError(f"{server} answered a login without a session id")
    return found
