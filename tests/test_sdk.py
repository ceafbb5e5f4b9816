"""The rescue SDK (sdk/zomro_rescue) against the mock: the article's table, by name and by UUID, every error."""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import httpx
import pytest
from zomro_rescue import (
    ApiError,
    ArgumentError,
    AsyncRescueClient,
    Image,
    ImageChoiceError,
    LoginRefused,
    PasswordRuleError,
    RescueClient,
    TransportError,
    ZomroRescueError,
    check_rescue_password,
)
from zomro_rescue.client import DEFAULT_URL, ELID_MAXIMUM, ELID_MINIMUM, ENV_AUTH, ENV_PASSWORD, ENV_URL, ENV_USERNAME
from zomro_testkit import article, mock_process
from zomro_testkit.contract import operations, spec
from zomro_testkit.quirky_server import QuirkyServer

# One client for the module: httpx.post() and its kin build a client, and its TLS context, for each call (about 20 ms).
HTTP = httpx.Client(timeout=30)

ELID = int(article.curl_example("rescue").form["elid"])
SESSION = article.curl_example("rescue").form["auth"]
PASSWORD = article.curl_example("rescue").form["password"]
LOGIN = operations()["logIn"].request_examples["login"]["value"]
ARTICLE_IMAGES = [Image(UUID(i.uuid), i.os_name, i.image_name, i.zone) for i in article.images()]


@pytest.fixture
def zomro(mock: mock_process.RunningMock) -> Iterator[RescueClient]:
    with RescueClient(mock.url, session=SESSION) as client:
        yield client


def test_default_url_is_the_contracts_server() -> None:
    assert DEFAULT_URL == spec()["servers"][0]["url"]


def test_images_are_the_article_table(zomro: RescueClient) -> None:
    assert zomro.images(ELID) == ARTICLE_IMAGES


def test_one_option_lists_and_the_placeholder_are_normalised(mock: mock_process.RunningMock) -> None:
    example = operations()["previewRescueImages"].response_examples["previewOneZone"]["value"]
    (boot,) = [s for s in example["doc"]["slist"] if s["$name"] == "select_boot"]
    expected = [UUID(o["$key"]) for o in boot["val"] if o["$key"] != "null"]
    with RescueClient(mock.url, session=SESSION, headers={"Prefer": "example=previewOneZone"}) as zomro:
        assert [image.uuid for image in zomro.images(ELID)] == expected


@pytest.mark.parametrize("wanted", [ARTICLE_IMAGES[10].os_name, ARTICLE_IMAGES[10].os_name.upper(), str(ARTICLE_IMAGES[10].uuid)])
def test_rescue_by_name_or_uuid(zomro: RescueClient, wanted: str) -> None:
    assert zomro.rescue(ELID, wanted, password=PASSWORD) == ARTICLE_IMAGES[10]


def test_rescue_with_an_own_image_by_its_name(zomro: RescueClient) -> None:
    own = next(image for image in ARTICLE_IMAGES if image.image_name)
    assert own.image_name and zomro.rescue(ELID, own.image_name) == own


def test_ambiguous_name_lists_the_candidates(zomro: RescueClient) -> None:
    with pytest.raises(ImageChoiceError) as raised:
        zomro.rescue(ELID, "debian")
    debians = [image for image in ARTICLE_IMAGES if "debian" in image.os_name.lower()]
    assert len(debians) > 1 and all(str(image.uuid) in str(raised.value) for image in debians)


def test_unknown_name_lists_every_image(zomro: RescueClient) -> None:
    with pytest.raises(ImageChoiceError) as raised:
        zomro.rescue(ELID, "Plan 9")
    assert all(str(image.uuid) in str(raised.value) for image in ARTICLE_IMAGES)


def test_unrescue(zomro: RescueClient) -> None:
    zomro.rescue(ELID, ARTICLE_IMAGES[0])
    assert zomro.unrescue(ELID) is None
    # The mock plays the server: leaving rescue mode twice is refused as the server refuses it.
    with pytest.raises(ApiError) as refused:
        zomro.unrescue(ELID)
    assert refused.value.message == operations()["unrescueInstance"].response_examples["notRescued"]["value"]["doc"]["error"]["msg"]["$"]


@pytest.mark.parametrize("bad", ["Short1", "nouppercase1", "NOLOWERCASE1", "NoDigitsHere", "Has space1A", "Quote'1Abc", "A1b" + "x" * 46])
def test_a_password_that_breaks_the_rules_is_refused_before_sending(bad: str) -> None:
    with RescueClient("http://127.0.0.1:1", session=SESSION) as unreachable, pytest.raises(PasswordRuleError) as raised:
        unreachable.rescue(ELID, "anything", password=bad)
    assert bad not in str(raised.value)


def test_the_article_password_keeps_the_rules() -> None:
    check_rescue_password(PASSWORD)


# The panel's rules (passwords.py): 8 to 48 characters, none of these.
FORBIDDEN = "\"#%&'()*;<>?@|"
GOOD_PASSWORD = "Abcdefg1"


@pytest.mark.parametrize("character", list(FORBIDDEN))
def test_every_forbidden_character_is_refused(character: str) -> None:
    check_rescue_password(GOOD_PASSWORD)
    with pytest.raises(PasswordRuleError):
        check_rescue_password(GOOD_PASSWORD + character)


@pytest.mark.parametrize(("length", "allowed"), [(7, False), (8, True), (48, True), (49, False)])
def test_both_length_limits(length: int, allowed: bool) -> None:
    password = (GOOD_PASSWORD * 7)[:length] if length >= 8 else GOOD_PASSWORD[:6] + "1"
    assert len(password) == length
    if allowed:
        check_rescue_password(password)
    else:
        with pytest.raises(PasswordRuleError, match=f"{length} characters"):
            check_rescue_password(password)


@pytest.mark.parametrize("example", ["badSession", "badElid", "notRescued"])
def test_error_examples_raise_api_error(mock: mock_process.RunningMock, example: str) -> None:
    error = spec()["components"]["examples"][example]["value"]["doc"]["error"]
    with RescueClient(mock.url, session=SESSION, headers={"Prefer": f"example={example}"}) as zomro, pytest.raises(ApiError) as raised:
        zomro.unrescue(ELID)
    assert (raised.value.type, raised.value.object, raised.value.message) == (error["$type"], error["$object"], error["msg"]["$"])
    assert str(raised.value) == f"{error['$type']} error on {error['$object']!r}: {error['msg']['$']}"


@pytest.mark.parametrize("elid", [0, -5, ELID_MAXIMUM + 1, 10**29, True])
def test_an_elid_out_of_the_contracts_bounds_is_refused_before_sending(elid: int) -> None:
    # Against an address nothing listens on: a request sent would be a TransportError.
    with RescueClient("http://127.0.0.1:1", session=SESSION) as zomro:
        for call in (zomro.images, zomro.unrescue, lambda elid: zomro.rescue(elid, "Debian 12")):
            with pytest.raises(ArgumentError, match="not an instance ID"):
                call(elid)


@pytest.mark.parametrize("elid", [ELID_MINIMUM, ELID_MAXIMUM])
def test_the_smallest_and_the_largest_elid_are_sent(mock: mock_process.RunningMock, elid: int) -> None:
    with RescueClient(mock.url, session=SESSION) as zomro, pytest.raises(ApiError) as refused:
        zomro.unrescue(elid)  # the mock's world has no such instance: the server's refusal, not the client's
    assert refused.value.object == "elid"
    assert mock.control.journal(operation="unrescueInstance")[0]["elid"] == elid


def test_the_elid_bounds_are_the_contracts() -> None:
    elid = spec()["components"]["schemas"]["Elid"]
    assert (ELID_MINIMUM, ELID_MAXIMUM) == (elid["minimum"], elid["maximum"])


def test_unreachable_server_is_a_transport_error() -> None:
    with RescueClient("http://127.0.0.1:1", session=SESSION) as zomro, pytest.raises(TransportError):
        zomro.unrescue(ELID)


@pytest.fixture
def not_this_api() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.send_response(404 if self.headers.get("X-Status") else 200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html>not this API</html>")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("headers", [{}, {"X-Status": "404"}])
def test_a_server_that_is_not_this_api_is_a_transport_error(not_this_api: str, headers: dict[str, str]) -> None:
    with RescueClient(not_this_api, session=SESSION, headers=headers) as zomro, pytest.raises(TransportError):
        zomro.unrescue(ELID)


def test_login_gives_a_session_the_next_call_uses() -> None:
    # The mock takes any session; this server records what each call sent.
    issued = operations()["logIn"].response_examples["session"]["value"]["doc"]["auth"]["$id"]
    with QuirkyServer() as server, RescueClient(server.url, username=LOGIN["username"], password=LOGIN["password"]) as zomro:
        assert zomro.images(ELID) == ARTICLE_IMAGES  # logs in first
        zomro.unrescue(ELID)
    login, *calls = server.requests
    assert (login["func"], login["username"], login["password"]) == ("auth", LOGIN["username"], LOGIN["password"])
    assert [form["auth"] for form in calls] == [issued, issued], "every call after the login carries its session"


def test_bad_credentials(mock: mock_process.RunningMock) -> None:
    headers = {"Prefer": "example=badCredentials"}
    with RescueClient(mock.url, username="someone", password="Wrong1pass", headers=headers) as zomro:
        with pytest.raises(ApiError) as raised:
            zomro.login()
    assert raised.value.type == spec()["components"]["examples"]["badCredentials"]["value"]["doc"]["error"]["$type"]
    # It reads as what it is, a wrong password, not as BILLmanager's key for it; the password is not in it.
    assert isinstance(raised.value, LoginRefused) and raised.value.username == "someone"
    assert (
        str(raised.value)
        == "the API refused the login as 'someone': wrong username or password (the server says: Invalid username or password)"
    )


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_wrong_password_is_a_login_refused_and_the_password_is_never_in_it(mock: mock_process.RunningMock, asynchronous: bool) -> None:
    wrong = "Wrong" + LOGIN["password"]

    async def images_async() -> None:
        async with AsyncRescueClient(mock.url, username=LOGIN["username"], password=wrong) as zomro:
            await zomro.images(ELID)

    with pytest.raises(LoginRefused) as raised:
        if asynchronous:
            asyncio.run(images_async())
        else:
            with RescueClient(mock.url, username=LOGIN["username"], password=wrong) as zomro:
                zomro.images(ELID)
    assert "wrong username or password" in str(raised.value) and LOGIN["username"] in str(raised.value)
    assert wrong not in str(raised.value) + repr(raised.value.args)
    # A password typed where the username goes (it happens) is hidden there too, if the server refuses it.
    with RescueClient(mock.url, username=wrong, password=wrong) as zomro, pytest.raises(LoginRefused) as raised:
        zomro.login()
    assert wrong not in str(raised.value) and raised.value.username == "***"


def test_no_credentials_says_what_to_set(mock: mock_process.RunningMock, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ENV_AUTH, ENV_USERNAME, ENV_PASSWORD):
        monkeypatch.delenv(name, raising=False)
    with RescueClient(mock.url) as zomro, pytest.raises(ZomroRescueError) as raised:
        zomro.images(ELID)
    assert ENV_AUTH in str(raised.value)


def test_settings_come_from_the_environment(mock: mock_process.RunningMock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_URL, mock.url)
    monkeypatch.setenv(ENV_AUTH, SESSION)
    with RescueClient() as zomro:
        assert zomro.base_url == mock.url
        assert len(zomro.images(ELID)) == len(ARTICLE_IMAGES)


def test_secrets_never_in_repr_or_errors(mock: mock_process.RunningMock) -> None:
    secrets = {"session": "SessionSecret0123", "password": "LoginSecret987"}
    zomro = RescueClient(
        mock.url, session=secrets["session"], username="me", password=secrets["password"], headers={"Prefer": "example=badSession"}
    )
    with zomro, pytest.raises(ApiError) as raised:
        zomro.unrescue(ELID)
    for text in (repr(zomro), str(zomro), str(raised.value), repr(raised.value)):
        assert all(secret not in text for secret in secrets.values()), text


def test_async_client(mock: mock_process.RunningMock) -> None:
    async def scenario() -> tuple[list[Image], Image]:
        async with AsyncRescueClient(mock.url, username=LOGIN["username"], password=LOGIN["password"]) as zomro:
            found = await zomro.images(ELID)
            chosen = await zomro.rescue(ELID, str(found[0].uuid), password=PASSWORD)
            await zomro.unrescue(ELID)
            return found, chosen

    found, chosen = asyncio.run(scenario())
    assert found == ARTICLE_IMAGES and chosen == ARTICLE_IMAGES[0]


def test_async_errors(mock: mock_process.RunningMock) -> None:
    async def scenario() -> None:
        async with AsyncRescueClient(mock.url, session=SESSION, headers={"Prefer": "example=badElid"}) as zomro:
            await zomro.unrescue(ELID)

    with pytest.raises(ApiError):
        asyncio.run(scenario())


def _journal(mock: mock_process.RunningMock) -> list[dict[str, Any]]:
    return list(HTTP.get(mock.url + "/_mock/journal").json()["entries"])


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_an_expired_session_is_renewed_once_with_a_new_login(mock: mock_process.RunningMock, asynchronous: bool) -> None:
    # A session the mock really expires (its clock moved past the idle time): the next call is refused as
    # the server refuses it, the client logs in once, and the call is made again with the new session.
    credentials = {"session": SESSION, "username": LOGIN["username"], "password": LOGIN["password"]}
    idle = mock.control.world()["session_idle_seconds"]

    async def twice_async() -> None:
        async with AsyncRescueClient(mock.url, **credentials) as zomro:
            await zomro.images(ELID)
            mock.control.advance(idle + 1)
            await zomro.images(ELID)

    if asynchronous:
        asyncio.run(twice_async())
    else:
        with RescueClient(mock.url, **credentials) as zomro:
            zomro.images(ELID)
            mock.control.advance(idle + 1)
            zomro.images(ELID)
    calls = [(entry["operation"], entry["answer"].get("example") or entry["answer"]["kind"]) for entry in _journal(mock)]
    assert calls == [
        ("previewRescueImages", "document"),
        ("previewRescueImages", "badSession"),
        ("logIn", "document"),
        ("previewRescueImages", "document"),
    ]


# -- Retry-After as an HTTP date (RFC 9110 10.2.3), as a proxy in front of the API may send it -----------------------


@pytest.mark.parametrize(("ahead", "low", "high"), [(120, 100.0, 120.5), (-3600, 0.0, 0.0)], ids=["ahead", "past"])
def test_a_retry_after_date_is_the_seconds_until_it(ahead: int, low: float, high: float) -> None:
    import email.utils
    import time

    from zomro_rescue import TransportError, answers

    when = email.utils.formatdate(time.time() + ahead, usegmt=True)
    busy = httpx.Response(503, headers={"Retry-After": when}, text="busy", request=httpx.Request("POST", "http://api.test/"))
    with pytest.raises(TransportError) as raised:
        answers.document(busy, "http://api.test")
    assert raised.value.retry_after is not None and low <= raised.value.retry_after <= high, raised.value.retry_after
