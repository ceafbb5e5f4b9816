"""`zomro-rescue probe`: does a server still answer as openapi.yaml says?

Two parts. `check_answer` is pure: one answer, as JSON was sent (not read
through the generated models, which would hide what drifted), against one
operation of the contract; it returns the findings. `Probe` is the thin runner:
it makes the calls that change nothing (log in when asked to, the preview of an
instance, the first page of the instance list), checks each answer, and
returns a `Report` with every secret masked. It never calls rescue or unrescue.

Findings, each with its JSON path in the answer:

- `schema`: a value that breaks the schema (jsonschema, against the answer's
  success branch, or the error document's when the answer holds an error);
- `unexpected key`: a key in an object whose schema has `additionalProperties: false`;
- `unknown $type`: an error `$type` that `ErrorDetail.$type`'s `examples` do not list
  (the contract says they list every known value);
- `one-element list`: an array of one item where the contract says one element
  comes as the object itself, or an object where it says an array only.

The last three come from a walk of the answer alongside its schema; the
jsonschema errors that say the same thing again are dropped, so that each
finding is reported once.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from types import ModuleType
from typing import Any

import httpx
from zomro_contract.operations import is_secret, selector
from zomro_contract.schemas import COMPONENT, Schemas, contract, escape
from zomro_rescue_client import Client
from zomro_rescue_client.api.instances import list_instances
from zomro_rescue_client.api.rescue import preview_rescue_images
from zomro_rescue_client.api.session import log_in
from zomro_rescue_client.models import InstanceListForm, LoginForm, RescuePreviewForm

from . import answers, deadline
from .client import DEFAULT_URL, ELID_MAXIMUM, ELID_MINIMUM, ENV_AUTH, ENV_PASSWORD, ENV_URL, ENV_USERNAME, _checked_url
from .errors import ApiError, ArgumentError, TransportError, ZomroRescueError, hide
from .instances import PAGE_SIZE

SCHEMA, UNEXPECTED_KEY, UNKNOWN_TYPE, ONE_ELEMENT = "schema", "unexpected key", "unknown $type", "one-element list"
CATEGORIES = (SCHEMA, UNEXPECTED_KEY, UNKNOWN_TYPE, ONE_ELEMENT)
# The operations the probe calls, by operationId: none of them changes anything.
LOGIN, PREVIEW, LIST = "logIn", "previewRescueImages", "listInstances"
# The generated client's request for each; `Probe` checks that each is the contract's operation of that operationId.
_GENERATED: dict[str, ModuleType] = {LOGIN: log_in, PREVIEW: preview_rescue_images, LIST: list_instances}
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
    path = _path_key(schemas, operation_id)
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


def _path_key(schemas: Schemas, operation_id: str) -> str:
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
    return _Check(schemas or contract(), operation_id).run(answer)


# The runner.


@dataclass
class Call:
    operation_id: str
    func: str
    status: int
    outcome: str
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Report:
    """What the probe did and found; `failure` is the error that ended it early (ApiError, TransportError), if any."""

    probe: str
    contract: str
    url: str
    instance: int
    date: str
    calls: list[Call] = field(default_factory=list)
    failure: ZomroRescueError | None = None

    @property
    def drift(self) -> int:
        return sum(len(call.findings) for call in self.calls)

    def summary(self) -> str:
        return f"drift: {self.drift} finding{'s' if self.drift != 1 else ''}" if self.drift else "no drift found"

    def as_dict(self) -> dict[str, Any]:
        return {
            "probe": self.probe,
            "contract": self.contract,
            "url": self.url,
            "instance": self.instance,
            "date": self.date,
            "calls": [
                {
                    "operation": call.operation_id,
                    "func": call.func,
                    "http_status": call.status,
                    "outcome": call.outcome,
                    "findings": [finding.__dict__ for finding in call.findings],
                }
                for call in self.calls
            ],
            "stopped": str(self.failure) if self.failure else None,
            "drift": self.drift,
            "summary": self.summary(),
        }

    def markdown(self) -> str:
        lines = [
            "### zomro-rescue probe",
            "",
            f"- probe: zomro-rescue-toolkit {_md(self.probe)}, contract (openapi.yaml) {_md(self.contract)}",
            f"- API: {_code(self.url)}",
            f"- instance: {self.instance}",
            f"- date: {self.date}",
            "",
            "#### Calls",
            "",
        ]
        for number, call in enumerate(self.calls, 1):
            lines.append(f"{number}. {call.operation_id} ({_code('func=' + call.func)}): HTTP {call.status}, {_md(call.outcome)}")
        if self.failure:
            lines.append(f"\nStopped: {_md(str(self.failure))}")
        lines += ["", "#### Findings", ""]
        for call in self.calls:
            if call.findings:
                lines.append(f"{call.operation_id}:\n")
                lines += [f"- {finding.category} at {_code(finding.path)}: {_md(finding.explanation)}" for finding in call.findings]
                lines.append("")
        if not self.drift:
            lines += ["none", ""]
        lines.append(self.summary())
        return "\n".join(lines)

    def masked(self, secrets: Iterable[str]) -> Report:
        """The report with every secret masked in every string of it, as `hide` masks error messages."""
        secrets = [s for s in secrets if s]
        for call in self.calls:
            call.outcome = hide(call.outcome, secrets)
            call.findings = [Finding(f.category, hide(f.path, secrets), hide(f.explanation, secrets)) for f in call.findings]
        self.url = hide(self.url, secrets)
        if self.failure:
            self.failure.hide(secrets)
        return self


def _md(text: str) -> str:
    """Text for Markdown, as text: on one line, every character Markdown or HTML could act on escaped."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", " ".join(text.split()))


def _code(text: str) -> str:
    text = " ".join(text.split())
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _version() -> str:
    try:
        return metadata.version("zomro-rescue-toolkit")
    except metadata.PackageNotFoundError:
        return "unknown"


class Probe:
    """Calls that change nothing, each answer checked against the contract.

    Credentials as RescueClient takes them (and from the same environment): a session,
    or a username and password to log in with first. `log_in=True` logs in even with a session.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        session: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        log_in: bool = False,
        schemas: Schemas | None = None,
    ) -> None:
        self.base_url, self.shown_url, url_password = _checked_url(base_url or os.environ.get(ENV_URL) or DEFAULT_URL)
        self._session = None if log_in else (session or os.environ.get(ENV_AUTH) or None)
        self.username = username or os.environ.get(ENV_USERNAME) or None
        self._password = password or os.environ.get(ENV_PASSWORD) or None
        self.timeout = timeout
        self.schemas = schemas or contract()
        self._secrets = {s for s in (session, os.environ.get(ENV_AUTH), self._session, self._password, url_password) if s}
        if not self._session and not (self.username and self._password):
            raise ZomroRescueError(
                f"no credentials: set {ENV_AUTH} to a session id (from `zomro-rescue login --export`), "
                f"or {ENV_USERNAME} and {ENV_PASSWORD}, or pass --username"
            )

    def run(self, elid: int) -> Report:
        """The calls, in order, until one fails; the report, every secret masked."""
        if isinstance(elid, bool) or not isinstance(elid, int) or not ELID_MINIMUM <= elid <= ELID_MAXIMUM:
            raise ArgumentError(f"{elid!r} is not an instance ID: the API's are whole numbers from {ELID_MINIMUM} to {ELID_MAXIMUM}")
        report = Report(
            probe=_version(),
            contract=str(self.schemas.spec.get("info", {}).get("version", "unknown")),
            url=self.shown_url,
            instance=elid,
            date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        )
        client = Client(base_url=self.base_url, timeout=httpx.Timeout(self.timeout), httpx_args={"transport": deadline.transport()})
        try:
            with client.get_httpx_client():
                session = self._session
                if session is None:
                    assert self.username and self._password
                    doc = self._call(client, report, LOGIN, LoginForm(username=self.username, password=self._password))
                    session = answers.session(doc, self.shown_url)
                    self._secrets.add(session)
                self._call(client, report, PREVIEW, RescuePreviewForm(elid=elid, auth=session))
                self._call(client, report, LIST, InstanceListForm(auth=session, p_cnt=PAGE_SIZE, p_num=1))
        except (ApiError, TransportError) as failure:
            report.failure = failure
        return report.masked(self._secrets)

    def _call(self, client: Client, report: Report, operation_id: str, form: Any) -> dict[str, Any]:
        path = _path_key(self.schemas, operation_id)
        func = selector(path)[0]
        request: dict[str, Any] = _GENERATED[operation_id]._get_kwargs(body=form)
        if request["url"] != path:
            raise ZomroRescueError(f"the generated client's {operation_id} is not the contract's ({path}): run `make generate`")
        what = f"{operation_id} (func={func})"
        try:
            with deadline.within(self.timeout):
                response = client.get_httpx_client().request(**request)
        except (httpx.TimeoutException, TimeoutError):
            raise TransportError(f"{what}: {self.shown_url} gave no whole answer within {self.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise TransportError(f"{what}: cannot reach {self.shown_url} ({type(exc).__name__}: {exc or 'no detail'})") from None
        try:
            doc = answers.document(response, self.shown_url)
        except RecursionError:
            raise TransportError(f"{what}: {self.shown_url} answered JSON nested too deeply to read") from None
        except TransportError as error:
            raise TransportError(f"{what}: {error}", retry_after=error.retry_after) from None
        except ApiError as error:
            self._check(report, operation_id, func, response, f"an error document: {error}")
            raise
        self._check(report, operation_id, func, response, "success")
        return doc

    def _check(self, report: Report, operation_id: str, func: str, response: httpx.Response, outcome: str) -> None:
        checked = check_answer(json.loads(response.content), operation_id, self.schemas)
        self._secrets.update(checked.secrets)
        report.calls.append(Call(operation_id, func, response.status_code, outcome, checked.findings))
