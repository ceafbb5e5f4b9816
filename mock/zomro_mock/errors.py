"""The error document, as the real server sends it: HTTP 200 with `doc.error`.

Everything the mock rejects is answered with one of these, so that a client
written against the mock handles the real server's errors too.
"""

from __future__ import annotations

import json
import re
from typing import Any

from zomro_contract.billmanager import one_or_many

# BILLmanager's `$type` values (see ErrorDetail in openapi.yaml).
MISSED = "missed"  # a required field is missing
VALUE = "value"  # a field, or the request, has a bad value
MOCK = "mock"  # the mock itself failed: a bug to report, never the client's fault
UPSTREAM = "upstream"  # the mock, as a proxy (--upstream), has no answer of the real server's to pass on

_REQUIRED = re.compile(r"required property '([^']+)'")


class Rejection(Exception):
    """A request the mock answers with an error document.

    `logged` is what the log says instead, when the message or object quotes what the client sent:
    a name or a header the client wrote may hold anything, a secret included.
    """

    def __init__(
        self, type_: str, object_: str, message: str, params: list[tuple[str, str]] | None = None, *, logged: str | None = None
    ) -> None:
        super().__init__(message)
        self.type_ = type_
        self.object_ = object_
        self.message = message
        self.params = params or []
        self.logged = logged or f"{object_}: {message}"
        # Said otherwise in the log: the message, and maybe the object, quote what the client wrote.
        self.discreet = logged is not None

    def document(self) -> bytes:
        error: dict[str, Any] = {"$type": self.type_, "$object": self.object_, "$lang": "en", "msg": {"$": self.message}}
        if self.params:
            error["param"] = one_or_many([{"$name": name, "$": text} for name, text in self.params])
        return json.dumps({"doc": {"error": error}}, ensure_ascii=False, separators=(",", ":")).encode()


def from_prism(status: int, problem: dict[str, Any], operation_id: str, examples: tuple[str, ...]) -> Rejection:
    """Prism's answer to a request it would not serve, as the error document."""
    problems = problem.get("validation") or []
    if problems:
        params = []
        for item in problems:
            location = item.get("location") or []
            message = str(item.get("message", "is invalid"))
            missing = _REQUIRED.search(message) if item.get("code") == "required" else None
            field = missing.group(1) if missing else (str(location[1]) if len(location) > 1 else "")
            params.append((field, message))
        first = problems[0]
        type_ = MISSED if first.get("code") == "required" else VALUE
        return Rejection(type_, params[0][0], params[0][1], params if len(params) > 1 else None)
    if status == 404 and "exampleKey" in str(problem.get("detail", "")):
        wanted = re.search(r"exampleKey: (.*) does not exist", str(problem["detail"]))
        name = wanted.group(1) if wanted else "?"
        return Rejection(VALUE, "Prefer", f"{operation_id} has no example {name!r}; ask for one of: {', '.join(examples)}")
    detail = problem.get("detail") or problem.get("title") or "no detail"
    return Rejection(MOCK, "", f"the mock's Prism answered HTTP {status} ({detail}); please report this with the request")
