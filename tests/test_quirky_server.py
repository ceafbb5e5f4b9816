"""`zomro-rescue` and the SDK against a BILLmanager with quirks (zomro_testkit.quirky_server): every way an answer can go wrong.

Each scenario runs through the command (exit code, one error line, no traceback, no secret) and
through RescueClient (the error's type), a few through AsyncRescueClient too. The command runs in the
test's process (zomro_testkit.command: its main(), its streams); a few scenarios and a pipeline run the
installed command as a process too, where its exit code and streams as a shell sees them are the point.
Exit codes: 0 done, 2 usage, 3 API error, 4 transport error.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from zomro_rescue import ApiError, AsyncRescueClient, RescueClient, TransportError, ZomroRescueError
from zomro_testkit import article, command
from zomro_testkit.quirky_server import Answer, Form, QuirkyServer, Scenario, billmanager, example, json_answer, operation

COMMAND = str(Path(sys.executable).with_name("zomro-rescue"))
OK, USAGE, API, TRANSPORT = 0, 2, 3, 4
SDK_ERRORS: dict[int, type[ZomroRescueError] | None] = {OK: None, USAGE: ZomroRescueError, API: ApiError, TRANSPORT: TransportError}

ELID = article.curl_example("rescue").form["elid"]
# Secrets, letters and digits only so that an urlencoded echo of them is them verbatim.
SESSION, STALE_SESSION = "SessionSecret0042ab", "StaleSession0099cd"
RESCUE_PASSWORD, LOGIN_PASSWORD, URL_PASSWORD = "RescueSecret77", "LoginSecret55", "UrlSecret99"
ISSUED = example("logIn", "session")["doc"]["auth"]["$id"]  # the session the fake login gives
SECRETS = (SESSION, STALE_SESSION, RESCUE_PASSWORD, LOGIN_PASSWORD, URL_PASSWORD, ISSUED)
USERNAME = "me@example.com"
LOGIN_ENV = {"ZOMRO_AUTH": None, "ZOMRO_USERNAME": USERNAME, "ZOMRO_PASSWORD": LOGIN_PASSWORD}

PREVIEW = example("previewRescueImages", "preview")
ERROR = example("unrescueInstance", "badElid")["doc"]["error"]
BAD_SESSION = example("unrescueInstance", "badSession")


def with_images(*options: dict[str, Any]) -> dict[str, Any]:
    """The contract's preview, its select_boot list replaced."""
    return _with_val(list(options))


def with_one_image(option: dict[str, Any]) -> dict[str, Any]:
    """The contract's preview with one image, as out=json sends a list of one: the object, not an array."""
    return _with_val(option)


def _with_val(val: Any) -> dict[str, Any]:
    slist = [s if s["$name"] != "select_boot" else {**s, "val": val} for s in PREVIEW["doc"]["slist"]]
    return {"doc": {**PREVIEW["doc"], "slist": slist}}


(GOOD_OPTIONS,) = [s["val"] for s in PREVIEW["doc"]["slist"] if s["$name"] == "select_boot"]
GOOD = GOOD_OPTIONS[0]["$key"]
# `shr` is the provider's panel's third zone, in the contract; `iso` is in no client and not in the contract.
SHARED = {"$depend": "shr", "$key": "c2d9a7e4-5b1f-4e8a-9c3d-7f6e5a4b3c21", "$": "SystemRescue 11 (shared)"}
OTHER_ZONE = {"$depend": "iso", "$key": "d3e8b6f5-6c2a-4f9b-8d4e-8a7f6b5c4d32", "$": "SystemRescue 11 (iso)"}
UNUSABLE: list[dict[str, Any]] = [
    OTHER_ZONE,
    {"$key": "e7a1c3b5-9d2f-4a6e-8b0c-1d3f5a7c9e02", "$": "Gentoo LiveCD"},  # no $depend
    {"$depend": "pub", "$key": "finnix-125", "$": "Finnix 125"},  # not a UUID
    {"$depend": "pub", "$key": "4b8e2f6a-0c1d-4e3f-a5b7-c9d1e3f5a7b9", "$": None},  # no OS name
]
QUIRKY_PREVIEW = with_images(GOOD_OPTIONS[0], *UNUSABLE, *GOOD_OPTIONS[1:], SHARED)
# More rows than a pipe holds (64 KiB), so that `| head -1` closes it while the command still writes.
MANY_PREVIEW = with_images(
    *({"$depend": "pub", "$key": f"6f1c2a4e-0000-4000-8000-{i:012d}", "$": f"Ubuntu 22.04 #{i}"} for i in range(3000))
)

IMAGES, EXIT, LOGIN = ("images", ELID), ("exit", ELID), ("login",)


def enter(image: str = GOOD, elid: str = ELID) -> tuple[str, ...]:
    return ("enter", elid, "--image", image, "--password", RESCUE_PASSWORD)


def html(status: int, text: str, *headers: tuple[str, str]) -> Answer:
    page = f"<html><head><title>{text}</title></head><body><center><h1>{text}</h1></center><hr><center>nginx</center></body></html>"
    return Answer(status, page.encode(), (("Content-Type", "text/html"), *headers))


def error_doc(**error: Any) -> Answer:
    return json_answer({"doc": {"error": error}})


def echo(type_: str) -> Scenario:
    """An error whose text is the whole form it got, session and passwords included, as a debugging server might send."""
    return lambda form: error_doc(**{"$type": type_, "$object": "elid", "$lang": "en", "msg": {"$": urlencode(form)}})


def only_issued_sessions(form: Form) -> Answer:
    """A session the fake login did not give is expired: BILLmanager's `access` error."""
    if operation(form) != "logIn" and form.get("auth") != ISSUED:
        return json_answer(BAD_SESSION)
    return billmanager()(form)


# What the server must have received (named, so that a failure says which).
def anything(requests: list[Form]) -> bool:
    return True


def nothing(requests: list[Form]) -> bool:
    return requests == []


def no_rescue(requests: list[Form]) -> bool:
    return all(operation(form) != "rescueInstance" for form in requests)


def one_login(requests: list[Form]) -> bool:
    return [operation(form) for form in requests].count("logIn") == 1


def rescued_with_good(requests: list[Form]) -> bool:
    return any(operation(form) == "rescueInstance" and form.get("select_boot") == GOOD for form in requests)


def rescued_with_shared(requests: list[Form]) -> bool:
    return any(
        operation(form) == "rescueInstance" and (form.get("select_boot"), form.get("zone")) == (SHARED["$key"], "shr") for form in requests
    )


@dataclass(frozen=True)
class Case:
    id: str
    scenario: Scenario
    args: tuple[str, ...]  # the command after `zomro-rescue --url URL`; the SDK makes the same call
    code: int  # the exit code; the SDK's error follows from it (SDK_ERRORS)
    says: str = ""  # a regex the error line (stdout when 0) must match; for API errors, the SDK's message too
    never: str = ""  # a regex it must not match
    sent: Callable[[list[Form]], bool] = anything
    env: dict[str, str | None] = field(default_factory=lambda: {"ZOMRO_AUTH": SESSION})
    url: str = "http://{address}"
    timeout: float | None = None  # --timeout, and the SDK's timeout=
    within: float = 15.0  # seconds the command, or the SDK's call, may take
    sdk_error: type[Exception] = ZomroRescueError  # what the SDK's error must also be
    retry_after: int | None = None
    async_too: bool = False


def on(operation_id: str, reply: Answer | Scenario) -> Scenario:
    return billmanager(**{operation_id: reply})


QUIRKY = on("previewRescueImages", json_answer(QUIRKY_PREVIEW))
WITH_URL_PASSWORD = f"http://user:{URL_PASSWORD}@{{address}}"
STALE_ENV = {**LOGIN_ENV, "ZOMRO_AUTH": STALE_SESSION}
AUTH_AND_ERROR = json_answer({"doc": {**example("logIn", "session")["doc"], "error": ERROR}})
NO_MSG = error_doc(**{"$type": "value", "$object": "elid", "$lang": "en"})
NO_TYPE = error_doc(**{"$object": "elid", "msg": {"$": "Instance is locked"}})
TOO_MANY = html(429, "429 Too Many Requests", ("Retry-After", "30"))
UNAVAILABLE = html(503, "503 Service Unavailable", ("Retry-After", "30"))
RETRY: dict[str, Any] = {"says": r"\b30 ?s|retry.after\D*30", "retry_after": 30}
OK_BODY = json.dumps(example("unrescueInstance", "ok")).encode()
PREVIEW_BODY = json.dumps(PREVIEW).encode()
# The call's timeout, and what a loaded 2-core machine may add to it (a thread's turn, the client's clean-up).
SLOW_TIMEOUT, SLOW_MARGIN = 0.4, 3.0
SLOW: dict[str, Any] = {"says": "within", "timeout": SLOW_TIMEOUT, "within": SLOW_TIMEOUT + SLOW_MARGIN, "async_too": True}
# A byte every 0.02 s, far under the timeout: only the whole call's deadline can end it, not a read's.
TRICKLE = 0.02

CASES = [
    # Images the API lists but nobody can use: skipped, never chosen.
    Case("enter-beside-unusable-images", QUIRKY, enter(GOOD), OK, sent=rescued_with_good),
    Case("enter-shared-image", QUIRKY, enter(SHARED["$key"]), OK, sent=rescued_with_shared),
    Case("enter-image-of-unknown-zone", QUIRKY, enter(OTHER_ZONE["$key"]), USAGE, says="iso", sent=no_rescue),
    # An error document next to a success: the error wins.
    Case("error-beside-ok-rescue", on("rescueInstance", json_answer({"doc": {"ok": {}, "error": ERROR}})), enter(), API, async_too=True),
    Case("error-beside-ok-unrescue", on("unrescueInstance", json_answer({"doc": {"ok": {}, "error": ERROR}})), EXIT, API),
    Case("error-beside-slist", on("previewRescueImages", json_answer({"doc": {**PREVIEW["doc"], "error": ERROR}})), IMAGES, API),
    Case("error-beside-auth", on("logIn", AUTH_AND_ERROR), LOGIN, API, env=LOGIN_ENV),
    # Error documents missing a part: still the API's error, with what they do say.
    Case("error-without-msg", on("unrescueInstance", NO_MSG), EXIT, API, says="value.*elid"),
    Case("error-without-type", on("unrescueInstance", NO_TYPE), EXIT, API, says="Instance is locked"),
    Case("error-empty", on("unrescueInstance", error_doc()), EXIT, API),
    # Answers that are not this API's.
    Case("html-200", on("previewRescueImages", html(200, "Welcome to nginx!")), IMAGES, TRANSPORT, async_too=True),
    Case("not-json", on("unrescueInstance", Answer(200, b"OK", (("Content-Type", "text/plain"),))), EXIT, TRANSPORT),
    Case("json-of-another-shape", on("unrescueInstance", json_answer({"status": "ok", "data": []})), EXIT, TRANSPORT),
    Case("json-list", on("previewRescueImages", json_answer([PREVIEW])), IMAGES, TRANSPORT),
    Case("empty-body", on("unrescueInstance", Answer(200, b"")), EXIT, TRANSPORT),
    Case("http-500", on("previewRescueImages", html(500, "500 Internal Server Error")), IMAGES, TRANSPORT),
    Case("http-502", on("rescueInstance", html(502, "502 Bad Gateway")), enter(), TRANSPORT),
    Case("http-404", on("unrescueInstance", html(404, "404 Not Found")), EXIT, TRANSPORT),
    Case("cut-mid-answer", on("previewRescueImages", Answer(200, PREVIEW_BODY, cut_after=100)), IMAGES, TRANSPORT),
    Case("redirect-to-nowhere", on("unrescueInstance", Answer(302, b"", (("Location", "http://127.0.0.1:1/"),))), EXIT, TRANSPORT),
    # Busy: the wait the server asks for is the caller's to decide, so it is told.
    Case("http-429-retry-after", on("unrescueInstance", TOO_MANY), EXIT, TRANSPORT, **RETRY, async_too=True),
    Case("http-503-retry-after", on("previewRescueImages", UNAVAILABLE), IMAGES, TRANSPORT, **RETRY),
    # A byte every TRICKLE seconds for ever: httpx's per-read timeout never fires, the whole call's must.
    Case("trickled-head", on("unrescueInstance", Answer(200, OK_BODY, trickle="head", trickle_interval=TRICKLE)), EXIT, TRANSPORT, **SLOW),
    Case("trickled-body", on("unrescueInstance", Answer(200, OK_BODY, trickle="body", trickle_interval=TRICKLE)), EXIT, TRANSPORT, **SLOW),
    # The server repeats the request, secrets and all: none may reach the screen.
    Case("echo-unrescue", on("unrescueInstance", echo("value")), EXIT, API),
    Case("echo-rescue", on("rescueInstance", echo("value")), enter(), API),
    Case("echo-login", on("logIn", echo("auth")), LOGIN, API, env=LOGIN_ENV),
    # URLs: one with a password fails without showing it; one that does not parse is the user's mistake.
    Case("url-password-502", on("unrescueInstance", html(502, "502 Bad Gateway")), EXIT, TRANSPORT, url=WITH_URL_PASSWORD),
    Case("url-password-cut", on("previewRescueImages", Answer(200, PREVIEW_BODY, cut_after=10)), IMAGES, TRANSPORT, url=WITH_URL_PASSWORD),
    Case("url-unparsable", billmanager(), EXIT, USAGE, url="http://[::1", sent=nothing),
    # Instance ids that cannot be: refused before anything is sent.
    Case("elid-0", billmanager(), ("exit", "0"), USAGE, sent=nothing, sdk_error=ValueError, async_too=True),
    Case("elid-negative", billmanager(), ("exit", "-5"), USAGE, sent=nothing, sdk_error=ValueError),
    Case("elid-huge", billmanager(), ("exit", "1" + "0" * 29), USAGE, sent=nothing, sdk_error=ValueError),
    Case("elid-negative-images", billmanager(), ("images", "-5"), USAGE, sent=nothing, sdk_error=ValueError),
    Case("elid-0-enter", billmanager(), enter(GOOD, elid="0"), USAGE, sent=nothing, sdk_error=ValueError),
    Case("image-empty", billmanager(), enter(""), USAGE, never=r"could be \d+ images", sent=no_rescue),
    # Sessions: one login when there is none, one new login when it expired, never more.
    Case("login-first", only_issued_sessions, IMAGES, OK, env=LOGIN_ENV, sent=one_login),
    Case("expired-session-relogin", only_issued_sessions, enter(), OK, env=STALE_ENV, sent=one_login, async_too=True),
    # A server that refuses every session, the new one too: one new login, then the error, not a loop.
    Case(
        "session-always-refused", on("unrescueInstance", json_answer(BAD_SESSION)), EXIT, API, env=STALE_ENV, sent=one_login, async_too=True
    ),
    # An instance with one image: out=json sends the one-element list as an object.
    Case(
        "one-image-instance", on("previewRescueImages", json_answer(with_one_image(GOOD_OPTIONS[0]))), enter(), OK, sent=rescued_with_good
    ),
]


@pytest.fixture
def server() -> Iterator[QuirkyServer]:
    with QuirkyServer() as running:
        yield running


@pytest.fixture(autouse=True)
def no_zomro_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SDK reads ZOMRO_* for what it is not given: only what a case passes may count."""
    for name in [name for name in os.environ if name.startswith("ZOMRO_")]:
        monkeypatch.delenv(name)


def assert_no_secret(*texts: str) -> None:
    for secret in SECRETS:
        assert all(secret not in text for text in texts), f"{secret!r} shown"


def run_cli(
    url: str, args: tuple[str, ...], env: dict[str, str | None], timeout: float | None = None, within: float = 15.0
) -> command.Result:
    """Run the command; check what holds for every run: an end in time, no traceback, no secret, one line for an error."""
    options = ("--timeout", str(timeout)) if timeout else ()
    result = command.run(["--url", url, *options, *args], env, within=within)  # an exception it lets out fails the test
    check_output(result)
    return result


def check_output(result: command.Result | subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert_no_secret(result.stdout, result.stderr)
    if result.returncode != OK:
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("zomro-rescue: "), result.stderr


def bounded(call: Callable[[], Any], seconds: float) -> tuple[Any, BaseException | None]:
    """call()'s value or error; a call still running after `seconds` fails the test (the server's stop then frees it)."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # noqa: BLE001 (handed back to the test)
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"the SDK's call did not end within {seconds} s")
    return outcome.get("value"), outcome.get("error")


def sdk_call(args: tuple[str, ...]) -> tuple[str, tuple[Any, ...]]:
    """The SDK's method and arguments for a command line."""
    command, *rest = args
    if command == "login":
        return "login", ()
    elid = int(rest[0])
    if command != "enter":
        return {"images": "images", "exit": "unrescue"}[command], (elid,)
    password = rest[rest.index("--password") + 1] if "--password" in rest else None
    return "rescue", (elid, rest[rest.index("--image") + 1], password)


def run_sdk(case: Case, address: str, asynchronous: bool) -> tuple[Any, BaseException | None]:
    url = case.url.format(address=address)
    env = case.env
    settings = {"session": env.get("ZOMRO_AUTH"), "username": env.get("ZOMRO_USERNAME"), "password": env.get("ZOMRO_PASSWORD")}
    method, args = sdk_call(case.args)

    def sync() -> Any:
        with RescueClient(url, timeout=case.timeout or 5, **settings) as zomro:
            return getattr(zomro, method)(*args)

    async def in_asyncio() -> Any:
        async with AsyncRescueClient(url, timeout=case.timeout or 5, **settings) as zomro:
            return await getattr(zomro, method)(*args)

    return bounded(lambda: asyncio.run(in_asyncio()) if asynchronous else sync(), case.within)


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in CASES])
def test_command(case: Case, server: QuirkyServer) -> None:
    server.scenario = case.scenario
    result = run_cli(case.url.format(address=server.address), case.args, case.env, case.timeout, case.within)
    assert result.returncode == case.code, result.stderr
    said = result.stdout if case.code == OK else result.stderr
    assert re.search(case.says, said, re.I), said
    assert not (case.never and re.search(case.never, said, re.I)), said
    assert case.sent(server.requests), server.requests


SDK_RUNS = [pytest.param(case, False, id=case.id) for case in CASES]
SDK_RUNS += [pytest.param(case, True, id=f"{case.id}-async") for case in CASES if case.async_too]


@pytest.mark.parametrize(("case", "asynchronous"), SDK_RUNS)
def test_sdk(case: Case, asynchronous: bool, server: QuirkyServer) -> None:
    server.scenario = case.scenario
    _, error = run_sdk(case, server.address, asynchronous)
    expected = SDK_ERRORS[case.code]
    if expected is None:
        assert error is None, repr(error)
    else:
        assert isinstance(error, expected) and isinstance(error, case.sdk_error), repr(error)
        assert case.code != USAGE or not isinstance(error, ApiError | TransportError), repr(error)
        assert str(error).strip(), f"{type(error).__name__} without a message"
        assert_no_secret(str(error), repr(error))
        if case.code == API:
            assert re.search(case.says, str(error), re.I), str(error)
        if case.retry_after is not None:
            assert getattr(error, "retry_after", None) == case.retry_after
    assert case.sent(server.requests), server.requests


# The installed command, as a process: the exit code and streams a shell sees for an API error whose text echoes the
# secrets (each case above runs in-process; the pipeline below is the real process's success).
REAL_PROCESS = {case.id: case for case in CASES if case.id in ("echo-rescue",)}


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in REAL_PROCESS.values()])
def test_the_installed_command(case: Case, server: QuirkyServer) -> None:
    server.scenario = case.scenario
    environment = {name: value for name, value in os.environ.items() if not name.startswith("ZOMRO_")}
    environment.update({name: value for name, value in case.env.items() if value is not None})
    try:
        result = subprocess.run(
            [COMMAND, "--url", case.url.format(address=server.address), *case.args],
            capture_output=True,
            text=True,
            timeout=30,
            env=environment,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("zomro-rescue did not end within 30 s")
    check_output(result)
    assert result.returncode == case.code and result.stdout == "", result.stderr
    assert case.sent(server.requests), server.requests


def test_command_lists_usable_images_and_explains_the_others(server: QuirkyServer) -> None:
    server.scenario = QUIRKY
    result = run_cli(server.url, IMAGES, {"ZOMRO_AUTH": SESSION})
    assert result.returncode == OK, result.stderr
    assert all(option["$key"] in result.stdout for option in GOOD_OPTIONS), result.stdout
    # Where the explanation goes (a note in the table, or on stderr) is the command's choice.
    assert all(option["$key"] in result.stdout + result.stderr for option in UNUSABLE), result.stdout + result.stderr


@pytest.mark.parametrize("asynchronous", [False, pytest.param(True, id="async")])
def test_sdk_lists_only_usable_images(server: QuirkyServer, asynchronous: bool) -> None:
    server.scenario = QUIRKY
    found, error = run_sdk(Case("images", QUIRKY, IMAGES, OK), server.address, asynchronous)
    assert error is None, repr(error)
    assert [str(image.uuid) for image in found] == [option["$key"] for option in [*GOOD_OPTIONS, SHARED]]


def test_images_piped_into_head(server: QuirkyServer) -> None:
    """`| head -1` closes the pipe early: the command ends quietly, and the pipeline with it."""
    server.scenario = on("previewRescueImages", json_answer(MANY_PREVIEW))
    environment = {name: value for name, value in os.environ.items() if not name.startswith("ZOMRO_")}
    pipeline = '"$0" --url "$1" images "$2" | head -1'
    try:
        result = subprocess.run(
            ["bash", "-c", pipeline, COMMAND, server.url, ELID],
            capture_output=True,
            text=True,
            timeout=15,
            env={**environment, "ZOMRO_AUTH": SESSION},
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the pipeline did not end within 15 s")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""
    assert result.returncode == OK and result.stdout.startswith("UUID") and result.stdout.count("\n") == 1, result.stdout
