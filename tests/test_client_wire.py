"""The generated client sends exactly the article's requests: POST /, multipart, the same fields."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any
from uuid import UUID

import httpx
import pytest
from zomro_rescue_client import Client
from zomro_rescue_client.api.rescue import preview_rescue_images, rescue_instance, unrescue_instance
from zomro_rescue_client.api.session import log_in
from zomro_rescue_client.models import LoginForm, RescueForm, RescueFormZone, RescuePreviewForm, UnrescueForm
from zomro_testkit import article
from zomro_testkit.contract import operations, spec
from zomro_testkit.recorder import strict_multipart

BASE_URL = "https://api.zomro.com"
# An error document parses as every operation's answer; the answer is not under test here.
ANY_OPERATION_ANSWER = spec()["components"]["examples"]["badSession"]["value"]


def _form_fields(request: httpx.Request) -> list[tuple[str, str]]:
    """The (name, value) pairs of a multipart/form-data body, in order."""
    fields = strict_multipart(request.headers["content-type"], request.content)
    assert isinstance(fields, list), f"the body must be multipart/form-data: {fields}"
    return fields


def _send(call: Callable[..., Any], body: Any) -> httpx.Request:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        return httpx.Response(200, json=ANY_OPERATION_ANSWER)

    with Client(base_url=BASE_URL, httpx_args={"transport": httpx.MockTransport(record)}) as client:
        call(client=client, body=body)
    (request,) = sent
    return request


def _assert_wire_request(request: httpx.Request) -> None:
    assert request.method == "POST"
    assert str(request.url) == f"{BASE_URL}/", "the path is `/`, with no query and no fragment"
    assert request.url.raw_path == b"/"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")


def _bodies() -> dict[str, tuple[Callable[..., Any], Any]]:
    """The article's curl requests, built as a caller builds them: no func, out or sok."""
    preview = article.curl_example("preview").form
    rescue = article.curl_example("rescue").form
    unrescue = article.curl_example("unrescue").form
    return {
        "preview": (preview_rescue_images.sync, RescuePreviewForm(elid=int(preview["elid"]), auth=preview["auth"])),
        "rescue": (
            rescue_instance.sync,
            RescueForm(
                elid=int(rescue["elid"]),
                select_boot=UUID(rescue["select_boot"]),
                zone=RescueFormZone(rescue["zone"]),
                password=rescue["password"],
                auth=rescue["auth"],
            ),
        ),
        "unrescue": (unrescue_instance.sync, UnrescueForm(elid=int(unrescue["elid"]), auth=unrescue["auth"])),
    }


@pytest.mark.parametrize("operation", ["preview", "rescue", "unrescue"])
def test_request_is_the_article_curl_request(operation: str) -> None:
    call, body = _bodies()[operation]
    request = _send(call, body)
    _assert_wire_request(request)
    assert Counter(_form_fields(request)) == Counter(article.curl_example(operation).fields)


def test_preview_carries_no_sok_and_rescue_carries_sok_ok() -> None:
    preview = dict(_form_fields(_send(*_bodies()["preview"])))
    rescue = dict(_form_fields(_send(*_bodies()["rescue"])))
    assert "sok" not in preview
    assert rescue["sok"] == "ok"


def test_login_request() -> None:
    example = operations()["logIn"].request_examples["login"]["value"]
    request = _send(log_in.sync, LoginForm(username=example["username"], password=example["password"]))
    _assert_wire_request(request)
    assert Counter(_form_fields(request)) == Counter(example.items())


def test_each_request_has_its_own_boundary_and_no_value_breaks_the_framing() -> None:
    # openapi-python-client's own template sends every body with the boundary `+++`; a
    # password holding "\r\n--+++" would then end its part early. Ours lets httpx choose.
    example = operations()["logIn"].request_examples["login"]["value"]
    tricky = "pa\r\n--+++\r\nss--+++--"
    first = _send(log_in.sync, LoginForm(username=example["username"], password=tricky))
    second = _send(log_in.sync, LoginForm(username=example["username"], password=tricky))
    assert first.headers["content-type"] != second.headers["content-type"], "the boundary must not be a constant"
    assert dict(_form_fields(first))["password"] == tricky
