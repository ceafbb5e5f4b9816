"""Every named response example of the contract parses into the right type of the generated client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from uuid import uuid4

import httpx
import pytest
from zomro_contract.billmanager import as_list
from zomro_contract.operations import is_secret
from zomro_rescue_client import Client
from zomro_rescue_client.api.instances import list_instances
from zomro_rescue_client.api.rescue import preview_rescue_images, rescue_instance, unrescue_instance
from zomro_rescue_client.api.session import log_in
from zomro_rescue_client.models import (
    ErrorDoc,
    InstanceListAnswer,
    InstanceListDoc,
    InstanceListForm,
    LoginAnswer,
    LoginDoc,
    LoginForm,
    OkAnswer,
    OkDoc,
    RescueForm,
    RescueFormZone,
    RescuePreviewAnswer,
    RescuePreviewDoc,
    RescuePreviewForm,
    SelectOption,
    UnrescueForm,
)
from zomro_testkit import article
from zomro_testkit.contract import operations, resolve

# Per operation: its call, a body, the answer's type and the success document's type.
CALLS: dict[str, tuple[Callable[..., Any], Any, type, type]] = {
    "previewRescueImages": (preview_rescue_images.sync, RescuePreviewForm(elid=1), RescuePreviewAnswer, RescuePreviewDoc),
    "rescueInstance": (
        rescue_instance.sync,
        RescueForm(elid=1, select_boot=uuid4(), zone=RescueFormZone.PUB),
        OkAnswer,
        OkDoc,
    ),
    "unrescueInstance": (unrescue_instance.sync, UnrescueForm(elid=1), OkAnswer, OkDoc),
    "listInstances": (list_instances.sync, InstanceListForm(), InstanceListAnswer, InstanceListDoc),
    "logIn": (log_in.sync, LoginForm(username="u", password="p"), LoginAnswer, LoginDoc),
}


def _answer(operation_id: str, document: Any) -> Any:
    """The answer's `doc`, parsed by the generated client: its success document or an ErrorDoc."""
    call, body, answer_type, _ = CALLS[operation_id]
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=document))
    with Client(base_url="https://api.zomro.com", httpx_args={"transport": transport}) as client:
        result = call(client=client, body=body)
    assert type(result) is answer_type
    return result.doc


def _cases() -> list[Any]:
    return [
        pytest.param(operation_id, name, id=f"{operation_id}-{name}")
        for operation_id, op in sorted(operations().items())
        for name in op.response_examples
    ]


def test_every_operation_has_a_call() -> None:
    assert set(CALLS) == set(operations())


@pytest.mark.parametrize(("operation_id", "name"), _cases())
def test_example_parses_into_its_type(operation_id: str, name: str) -> None:
    document = operations()[operation_id].response_examples[name]["value"]
    expected = ErrorDoc if "error" in document["doc"] else CALLS[operation_id][3]
    doc = _answer(operation_id, document)
    assert type(doc) is expected
    if isinstance(doc, ErrorDoc):
        error = document["doc"]["error"]
        assert (doc.error.type_, doc.error.msg.text) == (error["$type"], error["msg"]["$"])


def _options(preview: RescuePreviewDoc, list_name: str) -> list[SelectOption]:
    (select_list,) = [s for s in preview.slist if s.name == list_name]
    return as_list(select_list.val)


def test_preview_gives_the_article_images() -> None:
    document = operations()["previewRescueImages"].response_examples["preview"]["value"]
    preview = _answer("previewRescueImages", document)
    assert isinstance(preview, RescuePreviewDoc)
    images = [article.Image(option.key, option.name or None, option.text, option.depend) for option in _options(preview, "select_boot")]
    assert images == article.images()


def test_one_option_select_list_parses_as_an_object() -> None:
    document = operations()["previewRescueImages"].response_examples["previewOneZone"]["value"]
    preview = _answer("previewRescueImages", document)
    assert isinstance(preview, RescuePreviewDoc)
    (zone_list,) = [s for s in preview.slist if s.name == "zone"]
    assert isinstance(zone_list.val, SelectOption) and zone_list.val.key == "pub"
    assert "null" in [option.key for option in _options(preview, "select_boot")]


@pytest.mark.parametrize("operation_id", sorted(CALLS))
def test_an_error_document_is_never_a_success(operation_id: str) -> None:
    error = operations()[operation_id].response_examples["badSession" if operation_id != "logIn" else "badCredentials"]
    assert type(_answer(operation_id, error["value"])) is ErrorDoc


def _secrets(schema: dict[str, Any], value: Any) -> Iterator[str]:
    """The values in `value` that the contract marks secret."""
    schema = resolve(schema)
    if is_secret(schema):
        yield str(value)
    for branch in schema.get("oneOf", []) + schema.get("anyOf", []):
        yield from _secrets(branch, value)
    if isinstance(value, dict):
        for key, item in value.items():
            if key in schema.get("properties", {}):
                yield from _secrets(schema["properties"][key], item)
    if isinstance(value, list) and "items" in schema:
        for item in value:
            yield from _secrets(schema["items"], item)


def _repr_cases() -> list[Any]:
    cases = []
    for operation_id, op in sorted(operations().items()):
        cases += [pytest.param(operation_id, "request", name, id=f"{operation_id}-request-{name}") for name in op.request_examples]
        cases += [pytest.param(operation_id, "response", name, id=f"{operation_id}-{name}") for name in op.response_examples]
    return cases


@pytest.mark.parametrize(("operation_id", "kind", "name"), _repr_cases())
def test_repr_keeps_secrets_out(operation_id: str, kind: str, name: str) -> None:
    # A user who logs a body or an answer must not log a password or a session with it.
    op = operations()[operation_id]
    if kind == "request":
        document = resolve(op.request_examples[name])["value"]
        parsed = type(CALLS[operation_id][1]).from_dict(document)
        secrets = set(_secrets(op.request_schema, document))
    else:
        document = op.response_examples[name]["value"]
        parsed = _answer(operation_id, document)
        secrets = set(_secrets(op.raw["responses"]["200"]["content"]["application/json"]["schema"], document))
    if kind == "request" or name == "session":  # each of these carries a credential
        assert secrets, "the example holds a secret, but none was found: the walk over the schema is broken"
    shown = repr(parsed)
    assert not [secret for secret in secrets if secret in shown], shown
