"""The generated client against the mock: what a user's CI does with both."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from zomro_contract.billmanager import as_list
from zomro_rescue_client import Client
from zomro_rescue_client.api.instances import list_instances
from zomro_rescue_client.api.rescue import preview_rescue_images, rescue_instance, unrescue_instance
from zomro_rescue_client.api.session import log_in
from zomro_rescue_client.models import (
    ErrorDoc,
    InstanceListDoc,
    InstanceListForm,
    InstanceStatus,
    LoginDoc,
    LoginForm,
    OkDoc,
    RescueForm,
    RescueFormZone,
    RescuePreviewDoc,
    RescuePreviewForm,
    SelectOption,
    UnrescueForm,
)
from zomro_testkit import article, mock_process
from zomro_testkit.contract import operations

ELID = int(article.curl_example("preview").form["elid"])
SESSION = article.curl_example("preview").form["auth"]


@pytest.fixture
def client(mock: mock_process.RunningMock) -> Iterator[Client]:
    with Client(base_url=mock.url) as client:
        yield client


def _doc(answer: Any) -> Any:
    """The `doc` of an answer: the operation's success document, or ErrorDoc."""
    assert answer is not None, "the answer was not HTTP 200"
    return answer.doc


def _images(preview: RescuePreviewDoc) -> list[SelectOption]:
    (boot,) = [s for s in preview.slist if s.name == "select_boot"]
    assert isinstance(boot.val, list)
    return [option for option in boot.val if option.key != "null"]


def test_preview_returns_the_15_images_with_their_zones(client: Client) -> None:
    preview = _doc(preview_rescue_images.sync(client=client, body=RescuePreviewForm(elid=ELID, auth=SESSION)))
    assert isinstance(preview, RescuePreviewDoc)
    assert [(o.key, o.text, o.depend) for o in _images(preview)] == [(image.uuid, image.os_name, image.zone) for image in article.images()]


def test_rescue_with_a_listed_image_then_unrescue(client: Client) -> None:
    preview = _doc(preview_rescue_images.sync(client=client, body=RescuePreviewForm(elid=ELID, auth=SESSION)))
    assert isinstance(preview, RescuePreviewDoc)
    for image in _images(preview):
        assert isinstance(image.depend, str)
        body = RescueForm(elid=ELID, select_boot=UUID(image.key), zone=RescueFormZone(image.depend), password="MyPassword1", auth=SESSION)
        assert isinstance(_doc(rescue_instance.sync(client=client, body=body)), OkDoc), image.text
        assert isinstance(_doc(unrescue_instance.sync(client=client, body=UnrescueForm(elid=ELID, auth=SESSION))), OkDoc)


def test_the_instance_list_comes_back_as_its_type(client: Client) -> None:
    listed = _doc(list_instances.sync(client=client, body=InstanceListForm(auth=SESSION, p_cnt=10, p_num=1)))
    assert isinstance(listed, InstanceListDoc)
    instances = as_list(listed.elem)
    assert str(ELID) in [item.id.text for item in instances]
    assert all(isinstance(item.instance_status, InstanceStatus) for item in instances)


def test_a_bad_elid_comes_back_as_the_error_type(client: Client) -> None:
    result = _doc(unrescue_instance.sync(client=client, body=UnrescueForm(elid=0, auth=SESSION)))
    assert isinstance(result, ErrorDoc)
    assert result.error.object_ == "elid"


@pytest.mark.parametrize("operation_id", sorted(operations()))
def test_a_requested_error_example_comes_back_as_the_error_type(mock: mock_process.RunningMock, operation_id: str) -> None:
    calls = {
        "previewRescueImages": lambda c: preview_rescue_images.sync(client=c, body=RescuePreviewForm(elid=ELID, auth=SESSION)),
        "rescueInstance": lambda c: rescue_instance.sync(
            client=c, body=RescueForm(elid=ELID, select_boot=UUID(article.images()[0].uuid), zone=RescueFormZone.PUB, auth=SESSION)
        ),
        "unrescueInstance": lambda c: unrescue_instance.sync(client=c, body=UnrescueForm(elid=ELID, auth=SESSION)),
        "listInstances": lambda c: list_instances.sync(client=c, body=InstanceListForm(auth=SESSION)),
        "logIn": lambda c: log_in.sync(client=c, body=LoginForm(username="user@example.com", password="MyPassword1")),
    }
    examples = operations()[operation_id].response_examples
    for name, example in examples.items():
        if "error" not in example["value"]["doc"]:
            continue
        with Client(base_url=mock.url, headers={"Prefer": f"example={name}"}) as client:
            result = _doc(calls[operation_id](client))
        assert isinstance(result, ErrorDoc), name
        assert result.error.type_ == example["value"]["doc"]["error"]["$type"]


def test_login_returns_a_session_the_next_call_can_use(client: Client) -> None:
    account = operations()["logIn"].request_examples["login"]["value"]  # the default world's
    login = _doc(log_in.sync(client=client, body=LoginForm(username=account["username"], password=account["password"])))
    assert isinstance(login, LoginDoc)
    session = login.auth.id
    assert session and session == login.auth.text
    preview = _doc(preview_rescue_images.sync(client=client, body=RescuePreviewForm(elid=ELID, auth=session)))
    assert isinstance(preview, RescuePreviewDoc)
