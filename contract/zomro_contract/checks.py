"""What the contract says of an answer, checked: the drift probe's checks, shared by `zomro-rescue probe` and the
mock's proxy (`zomro-rescue-mock --upstream`), so that both report the same drift in the same words.

Two steps, both pure (no I/O):

- `read_answer`: is it an answer this API sends at all? Every call is answered with HTTP 200 and JSON; another
  status (`http status`) or a body that is not JSON, such as an HTML page (`not json`), is a finding of its own.
- `check_answer`: the JSON as the server sent it (not read through the generated models, which would hide what
  drifted) against one operation of the contract. Its findings, each with its JSON path in the answer:

  - `schema`: a value that breaks the schema (jsonschema, against the answer's success branch, or the error
    document's when the answer holds an error);
  - `unexpected key`: a key in an object whose schema has `additionalProperties: false`;
  - `unknown $type`: an error `$type` that `ErrorDetail.$type`'s `examples` do not list (the contract says they
    list every known value);
  - `one-element list`: an array of one item where the contract says one element comes as the object itself,
    or an object where it says an array only.

  The last three come from a walk of the answer alongside its schema; the jsonschema errors that say the same
  thing again are dropped, so that each finding is reported once.

A finding never quotes more than a short piece of a value, and never one the contract marks secret; `hide` masks
the secrets a caller knows (a session it sent, one the answer carried) wherever a server may have echoed them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus

from .operations import is_secret
from .schemas import COMPONENT, Schemas, contract, escape

SCHEMA, UNEXPECTED_KEY, UNKNOWN_TYPE, ONE_ELEMENT = "schema", "unexpected key", "unknown $type", "one-element list"
CATEGORIES = (SCHEMA, UNEXPECTED_KEY, UNKNOWN_TYPE, ONE_ELEMENT)
# Every operation's answer is `{"doc": ...}`, its doc a `oneOf` of the success document and this, the error document.
ERROR_DOCUMENT = COMPONENT + "ErrorDoc"
# The one schema whose `examples` list every value known (its description says so).
KNOWN_VALUES = COMPONENT + "ErrorDetail/properties/" + escape("$type")
ROOT = "(the answer)"
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_$-]+")
_SHOWN_LENGTH = 60

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    category: str
    path: str
    explanation: str


@dataclass(frozen=True)
class Checked:
    """What `check_answer` found, whether the answer held an error, and the secrets it carried (to mask them)."""

    findings: list[Finding]
    is_error: bool
    secrets: frozenset[str]


def format_path(path: Path) -> str:
    """`doc.slist[1].val`; a key that is not plain is quoted as JSON (`doc["a b"]`), never with a backtick or a line break."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += "[" + json.dumps(part, ensure_ascii=True).replace("`", "\\u0060") + "]"
    return text or ROOT


def _sort_key(path: Path) -> tuple[tuple[int, int, str], ...]:
    return tuple((1, part, "") if isinstance(part, int) else (0, 0, part) for part in path)


def _show(value: Any) -> str:
    """A value as a finding quotes it: short, on one line, ASCII."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return f"an array of {len(value)}"
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 4] + '..."'


# JSON Schema's type names, as a finding says them.
_TYPES = {"object": "an object", "array": "an array", "string": "a string", "integer": "an integer", "number": "a number"}
_TYPES |= {"boolean": "a boolean", "null": "null"}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return {str: "a string", type(None): "null"}.get(type(value), type(value).__name__)


def _explain(error: Any) -> str:
    """A jsonschema error in a few words, the value left out when its schema marks it secret."""
    keyword = str(error.validator)
    shown = "the value (a secret, not shown)" if isinstance(error.schema, dict) and is_secret(error.schema) else _show(error.instance)
    if keyword == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        said = " or ".join(_TYPES.get(str(name), str(name)) for name in expected)
        found = shown if isinstance(error.instance, dict | list | None) else f"{shown} is {_kind(error.instance)}"
        return f"{found}; the contract says {said}"
    if keyword in ("required", "additionalProperties", "dependentRequired"):
        return str(error.message)  # names keys only, never a value
    if keyword in ("anyOf", "oneOf"):
        return f"{shown} matches none of the forms the contract allows"
    return f"{shown} breaks {keyword}: {json.dumps(error.validator_value, ensure_ascii=True)}"


class _Check:
    """One answer against one operation: a walk alongside the schema, then jsonschema, the errors the walk explains dropped."""

    def __init__(self, schemas: Schemas, operation_id: str) -> None:
        self.schemas = schemas
        self.answer, self.choice, self.success, self.error = _branches(schemas, operation_id)
        self.branch = self.success
        self.findings: list[tuple[Path, Finding]] = []
        self.secrets: set[str] = set()
        self.one_element: set[Path] = set()  # paths the walk reported as one-element lists
        self.closed_with_extra: set[Path] = set()  # objects in which the walk reported unexpected keys
        self.single_for_array: list[tuple[Any, str, Path]] = []  # objects where an array was due: checked as its item

    def run(self, answer: Any) -> Checked:
        doc = answer.get(self.choice[1]) if isinstance(answer, dict) else None
        is_error = _holds(doc, _marker(self.schemas, self.error))
        self.branch = self.error if is_error else self.success
        self._walk(answer, self.answer, ())
        validator = self.schemas.answer_validator(self.branch.removeprefix(COMPONENT))
        errors: list[tuple[Any, Path]] = [(error, ()) for error in validator.iter_errors(answer)]
        for value, items, path in self.single_for_array:
            errors += [(error, path) for error in self.schemas.validator(items).iter_errors(value)]
        for error, prefix in errors:
            for path, explanation in self._flatten(error, prefix):
                self.findings.append((path, Finding(SCHEMA, format_path(path), explanation)))
        ordered = sorted(self.findings, key=lambda found: (_sort_key(found[0]), CATEGORIES.index(found[1].category)))
        unique = list(dict.fromkeys(finding for _, finding in ordered))
        return Checked(unique, is_error, frozenset(self.secrets))

    def _found(self, category: str, path: Path, explanation: str) -> None:
        self.findings.append((path, Finding(category, format_path(path), explanation)))

    def _walk(self, value: Any, pointer: str, path: Path) -> None:
        pointer, node = self.schemas.follow(pointer)
        if pointer == self.choice[0]:  # the doc's oneOf: the branch the doc says it is
            pointer, node = self.schemas.follow(self.branch)
        if is_secret(node) and isinstance(value, str | int | float) and not isinstance(value, bool):
            self.secrets.add(str(value))
        if pointer == KNOWN_VALUES and isinstance(value, str) and value not in node.get("examples", []):
            known = ", ".join(map(str, node.get("examples", [])))
            self._found(UNKNOWN_TYPE, path, f"{_show(value)} is not one the contract knows ({known})")
        item = self.schemas.one_or_many_item(pointer)
        if item is not None:
            if isinstance(value, list):
                if len(value) == 1:
                    self.one_element.add(path)
                    self._found(
                        ONE_ELEMENT,
                        path,
                        f"an array of one item: in {self.schemas.name(pointer)} a single element comes as the object itself",
                    )
                for index, element in enumerate(value):
                    self._walk(element, item, (*path, index))
            elif isinstance(value, dict):
                self._walk(value, item, path)
            return
        if node.get("type") == "array":
            items = f"{pointer}/items"
            if isinstance(value, list):
                for index, element in enumerate(value):
                    self._walk(element, items, (*path, index))
            elif isinstance(value, dict) and self.schemas.follow(items)[1].get("type") == "object":
                self.one_element.add(path)
                self._found(ONE_ELEMENT, path, f"an object: {self.schemas.name(pointer)} is an array, even of one element")
                self.single_for_array.append((value, items, path))
                self._walk(value, items, path)
            return
        if isinstance(value, dict):
            properties = node.get("properties", {})
            for key, child in value.items():
                if key in properties:
                    self._walk(child, f"{pointer}/properties/{escape(key)}", (*path, key))
                elif node.get("additionalProperties") is False:
                    self.closed_with_extra.add(path)
                    self._found(UNEXPECTED_KEY, (*path, key), f"not a key of {self.schemas.name(pointer)}, which allows no others")

    def _flatten(self, error: Any, prefix: Path) -> Iterator[tuple[Path, str]]:
        """A jsonschema error as findings: an `anyOf` opened at the branch of the value's form, what the walk said dropped."""
        path: Path = (*prefix, *error.absolute_path)
        if error.validator in ("anyOf", "oneOf") and error.context:
            branches: dict[Any, list[Any]] = {}
            for sub in error.context:
                branches.setdefault(sub.relative_schema_path[0], []).append(sub)
            # The branch the value has the form of: the one that does not reject its type outright.
            fitting = [
                subs
                for subs in branches.values()
                if not any(sub.validator == "type" and tuple(sub.absolute_path) == tuple(error.absolute_path) for sub in subs)
            ]
            if len(fitting) == 1:
                for sub in fitting[0]:
                    yield from self._flatten(sub, prefix)
                return
        elif error.validator == "additionalProperties" and path in self.closed_with_extra:
            return
        elif error.validator in ("minItems", "type") and path in self.one_element:
            return
        yield path, _explain(error)


def _branches(schemas: Schemas, operation_id: str) -> tuple[str, tuple[str, str], str, str]:
    """The operation's answer; the `oneOf` of its doc and the doc's key; its success document and error document: pointers."""
    path = path_key(schemas, operation_id)
    answer, node = schemas.follow(f"/paths/{escape(path)}/post/responses/200/content/application~1json/schema")
    required = node.get("required", [])
    key = required[0] if len(required) == 1 else ""
    choice, node = schemas.follow(f"{answer}/properties/{escape(key)}") if key else (answer, {})
    branches = [schemas.follow(f"{choice}/oneOf/{index}")[0] for index in range(len(node.get("oneOf", [])))]
    success = [branch for branch in branches if branch != ERROR_DOCUMENT]
    if ERROR_DOCUMENT not in branches or len(success) != 1:
        raise ValueError(
            f"{operation_id}'s answer is not one key whose value is a oneOf of a success document and {schemas.name(ERROR_DOCUMENT)}"
        )
    return answer, (choice, key), success[0], ERROR_DOCUMENT


def path_key(schemas: Schemas, operation_id: str) -> str:
    found = [path for path, item in schemas.spec["paths"].items() if item.get("post", {}).get("operationId") == operation_id]
    if len(found) != 1:
        raise ValueError(f"the contract has no operation {operation_id!r}")
    return str(found[0])


def _marker(schemas: Schemas, error_document: str) -> list[str]:
    """The keys that make an answer the error document: from it down, each level's one required key (`doc`, `error`)."""
    keys: list[str] = []
    pointer, node = schemas.follow(error_document)
    while isinstance(node.get("required"), list) and len(node["required"]) == 1:
        keys.append(node["required"][0])
        pointer, node = schemas.follow(f"{pointer}/properties/{escape(keys[-1])}")
    return keys


def _holds(answer: Any, keys: list[str]) -> bool:
    for key in keys:
        if not isinstance(answer, dict) or key not in answer:
            return False
        answer = answer[key]
    return bool(keys)


def check_answer(answer: Any, operation_id: str, schemas: Schemas | None = None) -> Checked:
    """Check one answer (JSON as the server sent it) against one operation of the contract; no I/O."""
    try:
        return _Check(schemas or contract(), operation_id).run(answer)
    except RecursionError:  # JSON that Python could read, nested deeper than the check can follow
        return Checked([Finding(SCHEMA, ROOT, "nested too deeply to check against the contract")], False, frozenset())


# Before the schema: whether the answer is one this API sends at all.
HTTP_STATUS, NOT_JSON = "http status", "not json"
WIRE = (HTTP_STATUS, NOT_JSON)
HIDDEN = "***"


def hide(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret masked, as given or as a form would encode it (a server may echo either)."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        for form in {secret, quote_plus(secret), quote(secret, safe="")}:
            text = text.replace(form, HIDDEN)
    return text


def _what(content_type: str, body: bytes) -> str:
    """What a body that is not JSON looks like, from its type and first byte: never its text."""
    kind = content_type.partition(";")[0].strip().lower()
    if kind == "text/html" or body.lstrip()[:1] == b"<":
        return "an HTML page"
    return f"a {kind} body" if kind else "a body without a Content-Type"


def read_answer(status: int, content_type: str, body: bytes) -> tuple[Any, Finding | None]:
    """The answer's JSON; or None and the finding that says why it is not an answer this API sends."""
    if status != 200:
        shown = f" ({_what(content_type, body)})" if body else ""
        return None, Finding(HTTP_STATUS, ROOT, f"HTTP {status}{shown}, which this API never sends: it answers every call with HTTP 200")
    try:
        return json.loads(body), None
    except RecursionError:
        return None, Finding(NOT_JSON, ROOT, "JSON nested too deeply to read")
    except ValueError:  # UnicodeDecodeError too
        return None, Finding(NOT_JSON, ROOT, f"something that is not JSON ({_what(content_type, body)}): this API answers JSON")
