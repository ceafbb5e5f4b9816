"""The mock answers like the real server: by `func`, in every form the server takes, errors included."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import httpx
import pytest
from zomro_testkit import article, mock_process
from zomro_testkit.contract import ARTICLE_OPERATIONS, answer_validator, body_limit, operations, resolve, spec

# One client for the module: httpx.post() and its kin build a client, and its TLS context, for each call (about 20 ms).
HTTP = httpx.Client(timeout=30)


def _first_example(operation_id: str) -> Any:
    return next(iter(operations()[operation_id].response_examples.values()))["value"]


def _error(answer: httpx.Response) -> dict[str, Any]:
    """The error of an error document, checked against the contract's ErrorDoc answer."""
    assert answer.status_code == 200, f"errors come with HTTP 200, got {answer.status_code}: {answer.text}"
    assert answer.headers["content-type"].startswith("application/json")
    document = answer.json()
    errors = [e.message for e in answer_validator("ErrorDoc").iter_errors(document)]
    assert not errors, f"not the contract's error document: {errors}: {document}"
    return document["doc"]["error"]


def _curl(text: str, url: str) -> Any:
    command = text.replace("https://api.zomro.com/", url + "/")
    result = subprocess.run(["bash", "-c", command + " --silent --show-error"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _as_the_article_presumes(mock: mock_process.RunningMock, operation: str) -> None:
    """The world as the article's request presumes it: its unrescue follows its rescue."""
    if operation == "unrescue":
        assert HTTP.post(mock.url + "/", data=article.curl_example("rescue").form).json() == {"doc": {"ok": {}}}


@pytest.mark.parametrize("operation", sorted(ARTICLE_OPERATIONS))
def test_article_curl_request_as_written(mock: mock_process.RunningMock, operation: str) -> None:
    _as_the_article_presumes(mock, operation)
    answer = _curl(article.curl_example(operation).text, mock.url)
    assert answer == _first_example(ARTICLE_OPERATIONS[operation])


def test_preview_lists_the_article_images(mock: mock_process.RunningMock) -> None:
    answer = _curl(article.curl_example("preview").text, mock.url)
    (boot,) = [s for s in answer["doc"]["slist"] if s["$name"] == "select_boot"]
    assert [(o["$key"], o["$"], o["$depend"]) for o in boot["val"]] == [
        (image.uuid, image.os_name, image.zone) for image in article.images()
    ]


@pytest.mark.parametrize("operation", sorted(ARTICLE_OPERATIONS))
def test_article_request_urlencoded(mock: mock_process.RunningMock, operation: str) -> None:
    _as_the_article_presumes(mock, operation)
    answer = HTTP.post(mock.url + "/", data=article.curl_example(operation).form)
    assert answer.json() == _first_example(ARTICLE_OPERATIONS[operation])


@pytest.mark.parametrize("operation", sorted(ARTICLE_OPERATIONS))
def test_article_request_as_get(mock: mock_process.RunningMock, operation: str) -> None:
    _as_the_article_presumes(mock, operation)
    answer = HTTP.get(mock.url + "/", params=article.curl_example(operation).form)
    assert answer.json() == _first_example(ARTICLE_OPERATIONS[operation])


def test_login(mock: mock_process.RunningMock) -> None:
    form = operations()["logIn"].request_examples["login"]["value"]
    document = HTTP.post(mock.url + "/", files={name: (None, value) for name, value in form.items()}).json()
    assert not list(answer_validator("LoginDoc").iter_errors(document)), document
    # A new session each time, not the example's.
    assert document["doc"]["auth"]["$id"] != _first_example("logIn")["doc"]["auth"]["$id"]


@pytest.mark.parametrize("as_multipart", [True, False], ids=["multipart", "urlencoded"])
def test_a_percent_sign_in_a_value_is_taken_literally(mock: mock_process.RunningMock, as_multipart: bool) -> None:
    # "%0e" is three printable characters, not a control character: Prism would decode it.
    form = {**operations()["logIn"].request_examples["login"]["value"], "username": "a%0eb", "password": "p%zz%2"}
    world = {"accounts": [{"username": form["username"], "password": form["password"]}]}
    assert HTTP.put(mock.url + "/_mock/world", json=world).status_code == 200
    body = {"files": {name: (None, value) for name, value in form.items()}} if as_multipart else {"data": form}
    assert "auth" in HTTP.post(mock.url + "/", **body).json()["doc"]


def test_article_mistaken_image_field_is_rejected(mock: mock_process.RunningMock) -> None:
    form = article.curl_example("rescue").form
    form[article.mistaken_image_field()] = form.pop("select_boot")
    error = _error(HTTP.post(mock.url + "/", files={k: (None, v) for k, v in form.items()}))
    assert error["$object"] == article.mistaken_image_field()
    assert "unknown field" in error["msg"]["$"]


def test_a_uuid_field_is_capped_at_36_characters_without_a_maxlength(mock: mock_process.RunningMock) -> None:
    # The contract bounds `select_boot` by `format: uuid` alone (aiopenapi3 refuses a uuid with a maxLength): the
    # router still refuses a longer value itself, before Prism, naming the bound.
    schema = resolve(spec()["components"]["schemas"]["RescueForm"]["properties"]["select_boot"])
    assert schema["format"] == "uuid" and "maxLength" not in schema
    form = article.curl_example("rescue").form
    for value in (form["select_boot"] + "0", "f" * 1000):
        error = _error(HTTP.post(mock.url + "/", files={**{k: (None, v) for k, v in form.items()}, "select_boot": (None, value)}))
        assert error["$object"] == "select_boot", error
        assert f"{len(value)} characters; at most 36" in error["msg"]["$"], error


def _with(operation: str, **changes: str | None) -> dict[str, str]:
    form = article.curl_example(operation).form
    for name, value in changes.items():
        if value is None:
            form.pop(name)
        else:
            form[name] = value
    return form


MULTIPART = "multipart/form-data; boundary=b"
URLENCODED = "application/x-www-form-urlencoded"


def _raw(content: bytes, content_type: str) -> dict[str, Any]:
    """A body sent as these bytes, with this Content-Type."""
    return {"content": content, "headers": {"Content-Type": content_type}}


# (name, request keyword arguments, expected $type, expected $object)
MALFORMED: list[tuple[str, dict[str, Any], str, str]] = [
    ("no fields", {}, "missed", "func"),
    ("no func", {"data": _with("unrescue", func=None)}, "missed", "func"),
    ("unknown func", {"data": _with("unrescue", func="instances.fleio.reboot")}, "value", "func"),
    ("missing elid", {"data": _with("unrescue", elid=None)}, "missed", "elid"),
    ("elid not an integer", {"data": _with("unrescue", elid="abc")}, "value", "elid"),
    ("select_boot not a UUID", {"data": _with("rescue", select_boot="ubuntu")}, "value", "select_boot"),
    ("zone not pub or own", {"data": _with("rescue", zone="everywhere")}, "value", "zone"),
    ("missing zone", {"data": _with("rescue", zone=None)}, "missed", "zone"),
    ("wrong out", {"data": _with("preview", out="xml")}, "value", "out"),
    ("password with a space", {"data": _with("rescue", password="My Password1")}, "value", "password"),
    ("sok other than ok on unrescue", {"data": _with("unrescue", sok="yes")}, "value", "sok"),
    ("unknown field", {"data": _with("unrescue", colour="red")}, "value", "colour"),
    ("percent-escaped elid", {"files": {k: (None, v) for k, v in _with("unrescue", elid="%31").items()}}, "value", "elid"),
    # Prism takes these as integers; nothing says the real server does: the contract asks for digits.
    (
        "elid after a space",
        _raw(b"func=instances.fleio.unrescue&out=json&elid=%205203773", URLENCODED),
        "value",
        "elid",
    ),
    (
        "elid before a space",
        _raw(b"func=instances.fleio.unrescue&out=json&elid=5203773+", URLENCODED),
        "value",
        "elid",
    ),
    (
        "elid in a file ending in a newline",
        {"data": _with("unrescue", elid=None), "files": {"elid": ("elid.txt", b"5203773\n")}},
        "value",
        "elid",
    ),
    ("elid with a plus sign", {"data": _with("unrescue", elid="+5203773")}, "value", "elid"),
    ("elid as a fraction", {"data": _with("unrescue", elid="5203773.0")}, "value", "elid"),
    ("elid in other digits", {"data": _with("unrescue", elid="５２０３７７３")}, "value", "elid"),
    (
        "a boundary over 70 characters",
        _raw(b"x", "multipart/form-data; boundary=" + "b" * 71),
        "value",
        "Content-Type",
    ),
    ("field twice", _raw(b"func=auth&func=auth", URLENCODED), "value", "func"),
    ("unsupported content type", _raw(b"{}", "application/json"), "value", "Content-Type"),
    ("multipart without boundary", _raw(b"x", "multipart/form-data"), "value", "Content-Type"),
    ("multipart garbage", _raw(b"\x00\xff garbage", MULTIPART), "value", "Content-Type"),
    (
        "multipart truncated",
        _raw(b'--b\r\nContent-Disposition: form-data; name="func"\r\n\r\nauth', MULTIPART),
        "value",
        "Content-Type",
    ),
    (
        "multipart part without name",
        _raw(b"--b\r\nContent-Type: text/plain\r\n\r\nauth\r\n--b--\r\n", MULTIPART),
        "value",
        "Content-Type",
    ),
    (
        "not UTF-8",
        _raw(b'--b\r\nContent-Disposition: form-data; name="func"\r\n\r\n\xff\xfe\r\n--b--\r\n', MULTIPART),
        "value",
        "func",
    ),
    (
        "urlencoded not UTF-8",
        _raw(b"func=%ff%fe", URLENCODED),
        "value",
        "body",
    ),
    (
        "body over the size limit",
        _raw(b"func=" + b"a" * body_limit(), URLENCODED),
        "value",
        "Content-Length",
    ),
]


@pytest.mark.parametrize(("request_kwargs", "type_", "object_"), [pytest.param(*case[1:], id=case[0]) for case in MALFORMED])
def test_malformed_request_gets_the_error_document(
    mock: mock_process.RunningMock, request_kwargs: dict[str, Any], type_: str, object_: str
) -> None:
    error = _error(HTTP.post(mock.url + "/", **request_kwargs))
    assert (error["$type"], error["$object"]) == (type_, object_), error
    assert error["msg"]["$"], "the message says what is wrong"


def test_contract_path_key_sent_as_a_path_is_rejected(mock: mock_process.RunningMock) -> None:
    error = _error(HTTP.post(mock.url + "/%23func=instances.fleio.unrescue", data=article.curl_example("unrescue").form))
    assert error["$object"] == "path" and "#" in error["msg"]["$"]


def test_other_methods_are_rejected(mock: mock_process.RunningMock) -> None:
    assert _error(HTTP.put(mock.url + "/", data=article.curl_example("unrescue").form))["$object"] == "method"


def test_raw_garbage_on_the_socket_does_not_kill_the_mock(mock: mock_process.RunningMock) -> None:
    import socket

    host, port = mock.url.removeprefix("http://").split(":")
    for garbage in (
        b"\x00\x01\x02\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
    ):
        with socket.create_connection((host, int(port)), timeout=5) as raw:
            raw.sendall(garbage)
            raw.recv(65536)


def test_mock_still_answers_after_malformed_requests(mock: mock_process.RunningMock) -> None:
    answer = HTTP.post(mock.url + "/", data=article.curl_example("preview").form)
    assert answer.json() == _first_example("previewRescueImages")


def _named_examples() -> list[Any]:
    return [
        pytest.param(operation_id, name, id=f"{operation_id}-{name}")
        for operation_id, op in sorted(operations().items())
        for name in op.response_examples
    ]


@pytest.mark.parametrize(("operation_id", "name"), _named_examples())
def test_prefer_header_selects_a_named_example(mock: mock_process.RunningMock, operation_id: str, name: str) -> None:
    form = next(iter(operations()[operation_id].request_examples.values()))["value"]
    answer = HTTP.post(mock.url + "/", data=form, headers={"Prefer": f"example={name}"})
    assert answer.status_code == 200
    assert answer.json() == operations()[operation_id].response_examples[name]["value"]


def test_prefer_an_unknown_example_lists_the_known_ones(mock: mock_process.RunningMock) -> None:
    answer = HTTP.post(mock.url + "/", data=article.curl_example("unrescue").form, headers={"Prefer": "example=nope"})
    error = _error(answer)
    assert error["$object"] == "Prefer"
    assert all(name in error["msg"]["$"] for name in operations()["unrescueInstance"].response_examples)


def test_secrets_never_appear_in_the_log(mock: mock_process.RunningMock) -> None:
    secrets = {"auth": "SessionTokenSecret0001", "password": "RescuePassSecret9", "authinfo": "me:LoginSecret42"}
    HTTP.post(mock.url + "/", data=_with("rescue", **secrets))  # a valid request, logged with --verbose
    HTTP.post(mock.url + "/", data=_with("rescue", password="Bad Secret 1", pasword="TypoSecret77"))  # rejected ones
    HTTP.post(mock.url + "/", data={"func": "auth", "out": "json", "username": "u", "password": "LoginPassword55"})
    log = mock.output()
    assert "rescueInstance" in log, "the request was logged"
    for secret in [*secrets.values(), "Bad Secret 1", "TypoSecret77", "LoginPassword55"]:
        assert secret not in log
    assert spec()["components"]["schemas"]["Auth"]["format"] == "password"


def test_a_bug_in_the_router_still_gets_the_error_document(caplog: pytest.LogCaptureFixture) -> None:
    import asyncio
    import socket

    from zomro_contract.operations import load
    from zomro_mock.prism_client import PrismClient
    from zomro_mock.router import Router
    from zomro_mock.server import HttpServer
    from zomro_testkit.contract import SPEC_PATH

    secret = "RouterBugSecret99"
    router = Router(load(SPEC_PATH), PrismClient("127.0.0.1", 1), log_requests=False)

    def broken(fields: dict[str, str]) -> None:
        raise RuntimeError(f"a bug that quotes the request: {fields}")

    router._select = broken  # type: ignore[assignment, method-assign]

    async def scenario() -> httpx.Response:
        server = HttpServer(router)
        listener = socket.create_server(("127.0.0.1", 0))
        await server.serve(listener)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        async with httpx.AsyncClient() as client:
            answer = await client.post(url, data={"func": "auth", "out": "json", "username": "u", "password": secret})
        await server.stop(grace=0.1)
        return answer

    answer = asyncio.run(scenario())
    assert answer.status_code == 200
    error = _error(answer)
    assert error["$type"] == "mock" and "report" in error["msg"]["$"]
    assert "Traceback" in caplog.text and "RuntimeError" in caplog.text, "the log shows where the bug is"
    assert secret not in caplog.text, "an exception's message may quote the request: the log leaves it out"
