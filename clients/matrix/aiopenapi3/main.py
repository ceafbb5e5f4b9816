"""aiopenapi3 against the mock (clients/matrix): no code generated, the contract ($CONTRACT) read at run time.

Inputs and expected answers come from $FIXTURES (clients/article_fixtures.py): nothing is restated here. Each
form is the operation's own request body model (built by aiopenapi3 from the contract) validated from the
fixture's request; each answer is the model aiopenapi3 builds from the contract's response schema, and its
`doc` is told apart by the contract's own schema types (RescuePreviewDoc, OkDoc, ErrorDoc).

Two hooks make aiopenapi3 0.11.0 send what the contract describes (the set-up's workaround, in setup.json):
`to_root` (the path key's `#func=...` is a fragment, never sent) and `MultipartCRLF` (multipart framed with CRLF).
No `from __future__ import annotations` here: aiopenapi3 picks its sync or async request class from the
session factory's return annotation, and a postponed (string) one fails `issubclass()` (a TypeError).
"""

import json
import os
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

import httpx2
from aiopenapi3 import FileSystemLoader, OpenAPI
from aiopenapi3.plugin import Document, Message


def to_root(request: httpx2.Request) -> None:
    """Send `POST /`: aiopenapi3 joins the path key to the server URL with yarl (`url / "#func=..."`), which
    quotes the `#` into the path (`/%23func=instances.fleio.rescue`) instead of leaving a fragment that no
    client sends. An httpx request event hook, set through aiopenapi3's session factory as its docs show
    ("Advanced usage", "Session Factory": https://aiopenapi3.readthedocs.io/en/latest/advanced.html#session-factory,
    docs/source/advanced.rst in its repository)."""
    request.url = request.url.copy_with(path="/")


def session_factory(*args: Any, **kwargs: Any) -> httpx2.Client:
    return httpx2.Client(*args, event_hooks={"request": [to_root]}, **kwargs)


class MultipartCRLF(Message):
    """Frame multipart/form-data with CRLF (RFC 7578, RFC 2046): aiopenapi3 builds the body with the email
    package's `Message.as_string()` (v30/glue.py), whose line ends are bare LF, which a strict server (this mock)
    refuses. A Message plugin, as its docs show ("Plugins", "Message":
    https://aiopenapi3.readthedocs.io/en/latest/plugin.html#message, docs/source/plugin.rst): for a multipart
    body `sending` gets `ctx.sending` None, the body being already in the request (`ctx.request.req.content`)."""

    def sending(self, ctx: Message.Context) -> Message.Context:
        if isinstance(body := ctx.request.req.content, str):
            ctx.request.req.content = re.sub(r"\r?\n", "\r\n", body)
        return ctx


class MockServer(Document):
    """Not a workaround: the mock instead of the contract's server (https://api.zomro.com), as a Document plugin
    ("Plugins", "Document": https://aiopenapi3.readthedocs.io/en/latest/plugin.html#document)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def parsed(self, ctx: Document.Context) -> Document.Context:
        ctx.document["servers"] = [{"url": self.url}]
        return ctx


def fail(message: str) -> NoReturn:
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


class Client:
    """The contract loaded by aiopenapi3, its operations called with the fixtures' requests.

    The models exist only at run time (aiopenapi3 builds them from the contract): mypy sees them as Any, and
    `isa` tells them apart by the contract's own schema types.
    """

    def __init__(self, contract: Path, url: str) -> None:
        self.api = OpenAPI.load_file(
            url,
            contract.name,
            session_factory=session_factory,
            loader=FileSystemLoader(contract.parent),
            plugins=[MockServer(url), MultipartCRLF()],
        )

    def isa(self, value: Any, schema: str) -> bool:
        """Whether value is of the model aiopenapi3 built from the contract's components.schemas[schema]."""
        model = self.api.components.schemas[schema].get_type()
        return isinstance(model, type) and isinstance(value, model)

    def call(self, operation_id: str, request: dict[str, Any]) -> Any:
        """The operation called with its form (its multipart request body's model, validated from the fixture's
        request); the answer's `doc`, the success or error document, as aiopenapi3 parsed it."""
        call = self.api.createRequest(operation_id)
        form = call.args("multipart/form-data")["data"].get_type()
        _, answer, _ = call.request(data=form.model_validate(request))
        return answer.doc.root


def error_text(doc: Any) -> str:
    return f"{getattr(doc.error, '$type')}: {getattr(doc.error.msg, '$')}"


def main() -> None:
    fixtures: dict[str, Any] = json.loads(Path(os.environ["FIXTURES"]).read_text(encoding="utf-8"))
    client = Client(Path(os.environ["CONTRACT"]), os.environ["ZOMRO_MOCK_URL"])

    # 1. preview: the 15 images, read through the models. BILLmanager's keys ($name, $key, $, $depend) are the
    # models' field names as they are: read with getattr.
    preview = client.call("previewRescueImages", fixtures["preview"]["request"])
    if client.isa(preview, "ErrorDoc"):
        fail(f"preview: error document {error_text(preview)}")
    if not client.isa(preview, "RescuePreviewDoc"):
        fail(f"preview: not a RescuePreviewDoc: {preview!r:.200}")
    boot = [select for select in preview.slist if getattr(select, "$name") == "select_boot"]
    if len(boot) != 1:
        fail(f"preview: {len(boot)} select_boot lists, not one")
    # One option comes as an object, several as an array (out=json's one-element rule): an anyOf, whose model
    # aiopenapi3 names itself (a RootModel: `.root` is the option or the list).
    val = getattr(boot[0].val, "root", boot[0].val)
    options: list[Any] = val if isinstance(val, list) else [val] if val is not None else []
    if not all(client.isa(option, "SelectOption") for option in options):
        fail(f"preview: options not SelectOption: {options!r:.200}")
    got = [(getattr(option, "$key"), getattr(option, "$"), getattr(option, "$depend")) for option in options]
    want = [(image["uuid"], image["os_name"], image["zone"]) for image in fixtures["images"]]
    if got != want:
        fail(f"preview: {len(got)} images, not the fixtures' {len(want)} in order: {got[:2]}")
    print(f"ok: preview lists {len(got)} images (key, name, zone as the fixtures)")

    # 2. rescue, 3. unrescue: success read through the models.
    for step, operation_id in (("rescue", "rescueInstance"), ("unrescue", "unrescueInstance")):
        answer = client.call(operation_id, fixtures[step]["request"])
        if not client.isa(answer, "OkDoc"):
            fail(f"{step}: not an OkDoc: {answer!r:.200}")
        print(f"ok: {step} answered doc.ok {answer.ok.model_dump_json(exclude_unset=True)}")

    # 4. the same unrescue again: BILLmanager's error document (HTTP 200), told apart by its model.
    again = client.call("unrescueInstance", fixtures["unrescue"]["request"])
    if not client.isa(again, "ErrorDoc"):
        fail(f"unrescue again: want an ErrorDoc, got {again!r:.200}")
    print(f"ok: unrescue again is an ErrorDoc: {error_text(again)}")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 - any failure is the set-up's failure, reported on one line
        fail(f"unexpected {type(error).__name__}: {error}")
