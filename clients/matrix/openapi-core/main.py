"""openapi-core, the request and answer validator, used as a service that fronts the API would use it (clients/matrix).

The program makes the matrix's four calls itself (clients/matrix/README.md) with httpx, multipart to `POST /`, from
$FIXTURES (nothing restated here). openapi-core validates each request against $CONTRACT before it is sent and each
answer after it arrives, and the answers are read through what openapi-core unmarshalled. Then it checks that
openapi-core refuses wrong requests and answers (a validator that cannot fail proves nothing), and validates every
exchange the matrix's recording proxy saw for the set-ups run before it ($MATRIX_RECORDED, clients/matrix/run.py).

Every operation is the same wire request, `POST /`: the contract's path keys name after `#` the form fields that
select the operation (`/#func=instances.fleio.rescue&sok=ok`), and the fragment never goes on the wire, so no key
matches `/`. zomro_contract's catalogue picks the operation from the body's `func`/`sok`, and openapi-core is told
its key through the request's `path_pattern`: the SupportsPathPattern protocol of openapi_core.protocols
(https://openapi-core.readthedocs.io/en/latest/reference/protocols/), which openapi-core looks up instead of `path`.

The contract's integer form fields (elid, p_cnt, p_num) are read as integers because their multipart `encoding` gives
them `style: form` (contract 2.0.1): openapi-core casts a multipart field only then, and without it refuses every
request (`'5203773' is not of type 'integer'`). Nothing here casts them, so this set-up fails if the encoding goes.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import sys
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import parse_qsl, quote, urlencode

import httpx
from jsonschema_path import SchemaPath
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from zomro_contract.operations import CONFIRM, FUNC, load

FORM = "multipart/form-data"
URLENCODED = "application/x-www-form-urlencoded"


def fail(message: str) -> NoReturn:
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


@dataclass
class FormRequest:
    """A request as openapi-core reads it: its Request protocol plus SupportsPathPattern (openapi_core.protocols).

    openapi-core finds the operation by `path_pattern` when it is set, by `path` when it is empty.
    """

    host_url: str
    path: str
    path_pattern: str
    content_type: str
    body: bytes
    method: str = "post"
    parameters: RequestParameters = field(default_factory=RequestParameters)


@dataclass
class Answer:
    """An answer as openapi-core reads it (its Response protocol)."""

    status_code: int
    content_type: str
    data: bytes
    headers: Mapping[str, Any] = field(default_factory=dict)


def form_fields(content_type: str, body: bytes) -> dict[str, str]:
    """The fields of a multipart or urlencoded body: what selects the operation (openapi-core checks the body itself)."""
    if content_type.lower().startswith(URLENCODED):
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields = {}
    for part in message.iter_parts() if message.is_multipart() else ():
        name, payload = part.get_param("name", header="content-disposition"), part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            fields[name] = payload.decode("utf-8", "replace")
    return fields


class Contract:
    """openapi-core over $CONTRACT, with the operation of each request picked as the router picks it."""

    def __init__(self, path: Path) -> None:
        self.catalogue = load(path)
        self.hidden = self.catalogue.all_fields - self.catalogue.public_fields
        spec = SchemaPath.from_file_path(str(path))
        # openapi-core matches the server as well as the path: requests are validated as sent to the contract's server,
        # which the mock stands in for (its own URL is on no `servers` entry: ServerNotFound).
        self.host_url = (spec / "servers" / 0 / "url").read_str()
        self.openapi = OpenAPI(spec)
        self.reframed = 0  # requests whose boundary holds `=`, framed anew for openapi-core (request())

    def request(self, path: str, content_type: str, body: bytes, method: str = "post") -> tuple[FormRequest, dict[str, str]]:
        """The request for openapi-core, its path key picked from the body's `func`/`sok` (zomro_contract's catalogue)
        when it went to the key's own path, `/`; to any other path, no key: openapi-core matches `path` itself."""
        fields = form_fields(content_type, body)
        operation = self.catalogue.select(fields.get(FUNC, ""), bool(fields.get(CONFIRM)))
        key = operation.path_key if operation else ""
        pattern = key if key.partition("#")[0] == path else ""
        header = Message()
        header["Content-Type"] = content_type
        boundary = header.get_param("boundary")
        if isinstance(boundary, str) and "=" in boundary:
            # openapi-core splits a media type's parameters at every `=`, so a quoted boundary that holds one (RFC 2046
            # allows it; Python's email package makes them, and so aiopenapi3) raises ValueError: the same parts, framed
            # anew with a boundary openapi-core reads.
            fresh = uuid.uuid4().hex
            body, content_type = body.replace(f"--{boundary}".encode(), f"--{fresh}".encode()), f"{FORM}; boundary={fresh}"
            self.reframed += 1
        # The content type as sent: openapi-core lowercases the media type itself, and a boundary is case-sensitive.
        return FormRequest(self.host_url, path, pattern, content_type, body, method.lower()), fields

    def check_request(self, request: FormRequest, fields: Mapping[str, str]) -> tuple[Any, list[str], list[str]]:
        """The body as openapi-core unmarshalled it, openapi-core's own problems, and the extra lines' problems."""
        try:
            result = self.openapi.unmarshal_request(request)
        except Exception as error:  # noqa: BLE001 - openapi-core failing on a request is that request's problem
            return None, [f"openapi-core raised {type(error).__name__}: {error}"], []
        problems = [self.describe(error, fields) for error in result.errors]
        extra = []
        if not problems:
            # openapi-core keeps only the form fields that the schema names, so `additionalProperties: false` never
            # sees the others: a field sent but not unmarshalled is one the operation does not take.
            unknown = sorted(set(fields) - set(result.body or {}))
            if unknown:
                extra.append(f"fields the operation does not take: {unknown}")
        return result.body, problems, extra

    def check_answer(self, request: FormRequest, answer: Answer, fields: Mapping[str, str]) -> tuple[Any, list[str]]:
        """The answer's data as openapi-core unmarshalled it, and its problems."""
        try:
            result = self.openapi.unmarshal_response(request, answer)
        except Exception as error:  # noqa: BLE001 - openapi-core failing on an answer is that answer's problem
            return None, [f"openapi-core raised {type(error).__name__}: {error}"]
        data: Any = result.data
        return data, [self.describe(error, fields) for error in result.errors]

    def describe(self, error: Exception, fields: Mapping[str, str]) -> str:
        """openapi-core's error in a line, each schema error by where it is, secrets masked (never printed whole)."""
        cause = error.__cause__
        if isinstance(cause, InvalidSchemaValue):
            detail = "; ".join(
                f"{getattr(inner, 'json_path', '?')}: {getattr(inner, 'message', inner)}" for inner in map(deepest, cause.schema_errors)
            )
        else:
            detail = str(cause or error)
        text = f"{type(error).__name__}: {detail}"
        for name, value in fields.items():
            if name in self.hidden and value:
                text = text.replace(value, value[:2] + "…")
        return text


def deepest(error: Any) -> Any:
    """Of a jsonschema ValidationError (openapi-core types them as Exception), the one deepest in the document: a oneOf's
    own message holds the whole value, the branch's error says which key is wrong."""
    inner = getattr(error, "context", None) or []
    return max(map(deepest, inner), key=lambda found: len(getattr(found, "absolute_path", ())), default=error)


def answer_of(response: httpx.Response) -> Answer:
    return Answer(response.status_code, response.headers.get("content-type", ""), response.content)


def call(contract: Contract, client: httpx.Client, step: str, form: Mapping[str, object]) -> Any:
    """One call: the request validated before it is sent, the answer after; the answer's data as unmarshalled."""
    wire = client.build_request("POST", "/", files={name: (None, str(value)) for name, value in form.items()})
    body = wire.read()
    request, fields = contract.request(wire.url.raw_path.decode(), wire.headers["content-type"], body)
    _, problems, extra = contract.check_request(request, fields)
    if problems or extra:
        fail(f"{step}: the request is not valid: {problems + extra}")
    answer = answer_of(client.send(wire))
    data, problems = contract.check_answer(request, answer, fields)
    if problems:
        fail(f"{step}: the answer is not valid: {problems}")
    print(f"ok: {step}: request valid as {request.path_pattern}, answer valid")
    return data


def error_text(doc: Mapping[str, Any]) -> str:
    return f"{doc['error']['$type']}: {doc['error']['msg'].get('$', '')}"


def the_four_calls(contract: Contract, fixtures: dict[str, Any]) -> None:
    with httpx.Client(base_url=os.environ["ZOMRO_MOCK_URL"], timeout=60) as client:
        # 1. preview: the 15 images, read through the unmarshalled answer.
        doc = call(contract, client, "preview", fixtures["preview"]["request"])["doc"]
        if "error" in doc:
            fail(f"preview: error document {error_text(doc)}")
        select_boot = next((candidate for candidate in doc["slist"] if candidate["$name"] == "select_boot"), None)
        if select_boot is None:
            fail("preview: no select_boot list")
        val = select_boot.get("val", [])
        options = val if isinstance(val, list) else [val]  # one option comes as an object (out=json's one-element rule)
        images: list[dict[str, Any]] = fixtures["images"]
        if len(options) != len(images):
            fail(f"preview: want {len(images)} images, got {len(options)}")
        for i, (want, got) in enumerate(zip(images, options, strict=True)):
            if (str(got["$key"]), got["$"], got.get("$depend")) != (want["uuid"], want["os_name"], want["zone"]):
                fail(f"preview image {i}: want {want}, got {got}")
        print(f"ok: preview lists {len(options)} images (key, name, zone as the fixtures)")

        # 2. rescue, 3. unrescue: success read through the unmarshalled answer.
        for step in ("rescue", "unrescue"):
            doc = call(contract, client, step, fixtures[step]["request"])["doc"]
            if "ok" not in doc:
                fail(f"{step}: not doc.ok: {doc}")
            print(f"ok: {step} answered doc.ok {json.dumps(doc['ok'])}")

        # 4. the same unrescue again: BILLmanager's error document, told apart from success by its `error`.
        doc = call(contract, client, "unrescue again", fixtures["unrescue"]["request"])["doc"]
        if "error" not in doc:
            fail(f"unrescue again: want an error document, got {doc}")
        print(f"ok: unrescue again is an error document: {error_text(doc)}")


def refusals(contract: Contract, fixtures: dict[str, Any]) -> None:
    """openapi-core must refuse each of these: made from the fixtures, validated here, never sent."""
    preview: dict[str, Any] = fixtures["preview"]["request"]
    # A field that only the rescue takes, and an integer field of the preview (elid): both named by the contract.
    extra = next(name for name in fixtures["rescue"]["request"] if name not in preview and name != CONFIRM)
    integer = min(contract.catalogue.by_selector[(preview[FUNC], CONFIRM in preview)].integer_fields)

    def multipart(form: Mapping[str, Any]) -> tuple[str, bytes]:
        wire = httpx.Request("POST", contract.host_url, files={name: (None, str(value)) for name, value in form.items()})
        return wire.headers["content-type"], wire.read()

    key = contract.request("/", *multipart(preview))[0].path_pattern
    requests = {
        f"a field the preview does not take ({extra})": ("/", *multipart({**preview, extra: fixtures["rescue"]["request"][extra]})),
        f"{integer} abc": ("/", *multipart({**preview, integer: "abc"})),
        f"the path key sent percent-encoded ({quote(key, safe='/=&')}, as aiopenapi3 does)": (quote(key, safe="/=&"), *multipart(preview)),
        "the preview urlencoded (the contract describes multipart)": ("/", URLENCODED, urlencode(preview).encode()),
    }
    for what, (path, content_type, body) in requests.items():
        request, fields = contract.request(path, content_type, body)
        _, problems, extra_problems = contract.check_request(request, fields)
        if not problems and not extra_problems:
            fail(f"a wrong request was taken as valid: {what}")
        by = f"openapi-core: {problems[0]}" if problems else f"the unknown-field lines (openapi-core alone takes it): {extra_problems[0]}"
        print(f"ok: refused {what}, by {by}")

    request, fields = contract.request("/", *multipart(preview))
    no_key = copy.deepcopy(fixtures["preview"]["answer"])
    next(candidate for candidate in no_key["doc"]["slist"] if candidate["$name"] == "select_boot")["val"][0].pop("$key")
    answers = {
        "a preview answer whose first image has no $key (required)": no_key,
        "an answer whose doc has neither ok nor error": {"doc": {}},
    }
    for what, document in answers.items():
        _, problems = contract.check_answer(request, Answer(200, "application/json", json.dumps(document).encode()), fields)
        if not problems:
            fail(f"a wrong answer was taken as valid: {what}")
        print(f"ok: refused {what}, by openapi-core: {problems[0]}")


def recorded(contract: Contract, listing: Path) -> None:
    """Every request and answer the recording proxy saw for the set-ups run before this one, validated alike."""
    found: list[str] = []
    for setup, saved in json.loads(listing.read_text(encoding="utf-8")).items():
        exchanges, before, reframed = json.loads(Path(saved).read_text(encoding="utf-8")), len(found), contract.reframed
        for index, exchange in enumerate(exchanges, 1):
            body, answer = base64.b64decode(exchange["body"]), base64.b64decode(exchange["answer"])
            request, fields = contract.request(exchange["path"], exchange["content_type"], body, exchange["method"])
            _, problems, extra = contract.check_request(request, fields)
            if not problems:
                _, answer_problems = contract.check_answer(request, Answer(exchange["status"], exchange["answer_type"], answer), fields)
                problems += [f"answer: {problem}" for problem in answer_problems]
            found += [f"{setup} exchange {index} ({exchange['method']} {exchange['path']}): {problem}" for problem in problems + extra]
        verdict = "ok" if len(found) == before else f"{len(found) - before} problems"
        framed = f" ({contract.reframed - reframed} framed anew: a boundary with `=`)" if contract.reframed > reframed else ""
        print(f"{verdict}: {setup}: {len(exchanges)} recorded requests and their answers validated{framed}")
    if found:
        fail("recorded exchanges not valid:\n  " + "\n  ".join(found))


def main() -> None:
    fixtures: dict[str, Any] = json.loads(Path(os.environ["FIXTURES"]).read_text(encoding="utf-8"))
    contract = Contract(Path(os.environ["CONTRACT"]))
    print(
        f"ok: {len(contract.catalogue.by_selector)} operations of {Path(os.environ['CONTRACT']).name}, validated as requests to {contract.host_url}"
    )
    the_four_calls(contract, fixtures)
    refusals(contract, fixtures)
    if listing := os.environ.get("MATRIX_RECORDED"):
        recorded(contract, Path(listing))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 - any failure is the set-up's failure, reported on one line
        fail(f"unexpected {type(error).__name__}: {error}")
