"""`zomro-rescue probe`: the mock is clean; a server that drifted in known ways gets each drift reported, once, and
nothing else; it never asks for a rescue or an unrescue; a URL that is not this API is one line; no secret is printed.

Exit codes: 0 no drift, 1 drift, 2 usage, 3 API error, 4 transport error.
The command runs in the test's process (zomro_testkit.command); one test runs the installed command, whose
report and error go to stdout and stderr as a shell sees them.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from zomro_rescue.probe import CATEGORIES, ONE_ELEMENT, SCHEMA, UNEXPECTED_KEY, UNKNOWN_TYPE, Call, Report, check_answer
from zomro_testkit import article, command, mock_process
from zomro_testkit.contract import operations, spec
from zomro_testkit.drifting_server import DRIFTS, ISSUED, UNKNOWN_TYPE_DRIFT, drifting, error_with_unknown_type, operation
from zomro_testkit.quirky_server import Answer, QuirkyServer, json_answer

COMMAND = str(Path(sys.executable).with_name("zomro-rescue"))
OK, DRIFT, USAGE, API, TRANSPORT = 0, 1, 2, 3, 4
ELID = article.curl_example("preview").form["elid"]
PROBED = ("logIn", "previewRescueImages", "listInstances")
# Secrets, letters and digits only, at least 10 characters: no 10-character piece of one may be printed.
SESSION, LOGIN_PASSWORD, URL_PASSWORD = "SessionSecret0042ab", "LoginSecret55xy", "UrlSecret99zz"
USERNAME = "me@example.com"
WITH_SESSION = {"ZOMRO_AUTH": SESSION}
WITH_LOGIN = {"ZOMRO_PASSWORD": LOGIN_PASSWORD}
# The mock's world knows the account of the contract's login example, and the article's sessions.
MOCK_ACCOUNT = operations()["logIn"].request_examples["login"]["value"]
MOCK_WITH_SESSION = {"ZOMRO_AUTH": article.curl_example("preview").form["auth"]}
MOCK_WITH_LOGIN = {"ZOMRO_PASSWORD": MOCK_ACCOUNT["password"]}
MOCK_LOGIN_ARGS = ("--username", MOCK_ACCOUNT["username"])
SECRETS = (SESSION, LOGIN_PASSWORD, URL_PASSWORD, ISSUED, MOCK_WITH_SESSION["ZOMRO_AUTH"], MOCK_ACCOUNT["password"])
LOGIN_ARGS = ("--username", USERNAME)

printed: list[str] = []  # every output of every run, for the test that no secret is printed


def run(
    url: str, *args: str, env: dict[str, str] | None = None, process: bool = False
) -> command.Result | subprocess.CompletedProcess[str]:
    """`zomro-rescue probe` with ZOMRO_* from `env` only: in the test's process, or with `process` as the installed command."""
    argv = ["probe", "--url", url, "--instance", ELID, *args]
    if process:
        base = {k: v for k, v in os.environ.items() if not k.startswith("ZOMRO_")}
        ran: command.Result | subprocess.CompletedProcess[str] = subprocess.run(
            [COMMAND, *argv], capture_output=True, text=True, timeout=60, env={**base, **(env or {})}, stdin=subprocess.DEVNULL
        )
    else:
        ran = command.run(argv, env, within=60)  # an exception it lets out (a traceback) fails the test
    printed.extend((ran.stdout, ran.stderr))
    assert "Traceback" not in ran.stderr, ran.stderr
    return ran


def findings(report: dict[str, Any]) -> dict[str, set[tuple[str, str]]]:
    """Each call's findings, as (category, path)."""
    return {call["operation"]: {(f["category"], f["path"]) for f in call["findings"]} for call in report["calls"]}


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, f"one line, not {stderr!r}"
    return lines[0]


# The pure check, on the contract's own documents.


@pytest.mark.parametrize(
    ("operation_id", "name"), [pytest.param(op, name, id=f"{op}-{name}") for op in PROBED for name in operations()[op].response_examples]
)
def test_every_example_of_the_contract_checks_clean(operation_id: str, name: str) -> None:
    answer = operations()[operation_id].response_examples[name]["value"]
    checked = check_answer(answer, operation_id)
    assert checked.findings == []
    assert checked.is_error == ("error" in answer["doc"])


def test_what_the_one_element_rule_wraps_is_still_checked() -> None:
    """Inside an object where an array is due, and inside an array of one, a schema break is found, at its own path, once."""
    answer = copy.deepcopy(operations()["previewRescueImages"].response_examples["preview"]["value"])
    zone, boot = answer["doc"]["slist"]
    answer["doc"]["slist"] = {**boot, "val": [{**boot["val"][0], "$key": 5}]}
    found = {(f.category, f.path) for f in check_answer(answer, "previewRescueImages").findings}
    assert found == {(ONE_ELEMENT, "doc.slist"), (ONE_ELEMENT, "doc.slist.val"), (SCHEMA, "doc.slist.val[0].$key")}
    answer["doc"]["slist"] = [zone, {**boot, "val": {**boot["val"][0], "$": None}}]
    assert [(f.category, f.path) for f in check_answer(answer, "previewRescueImages").findings] == [(SCHEMA, "doc.slist[1].val.$")]


def test_a_key_that_is_not_plain_is_quoted_in_its_path() -> None:
    answer = copy.deepcopy(operations()["listInstances"].response_examples["noInstances"]["value"])
    answer["doc"]["p_cnt"]["a`b\n<img>"] = "1"
    (finding,) = check_answer(answer, "listInstances").findings
    assert finding.category == UNEXPECTED_KEY and finding.path == 'doc.p_cnt["a\\u0060b\\n<img>"]'
    report = Report("0", "0", "http://x", 1, "now", [Call("listInstances", "instances", 200, "success <b>", [finding])])
    line = f"- {UNEXPECTED_KEY} at `{finding.path}`: "
    assert line in report.markdown() and "success \\<b\\>" in report.markdown()


# Against the mock: clean.


@pytest.mark.parametrize(
    ("args", "env", "calls"), [((), MOCK_WITH_SESSION, PROBED[1:]), (MOCK_LOGIN_ARGS, MOCK_WITH_LOGIN, PROBED)], ids=["session", "login"]
)
def test_the_mock_answers_as_the_contract_says(
    mock: mock_process.RunningMock, args: tuple[str, ...], env: dict[str, str], calls: tuple[str, ...]
) -> None:
    result = run(mock.url, *args, env=env)
    assert result.returncode == OK, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "no drift found" and result.stderr == ""
    report = json.loads(run(mock.url, *args, "--json", env=env).stdout)
    assert [call["operation"] for call in report["calls"]] == list(calls)
    assert all(call["http_status"] == 200 and call["outcome"] == "success" and not call["findings"] for call in report["calls"])
    assert report["drift"] == 0 and report["stopped"] is None
    # The probe names itself as `zomro-rescue --version` does: the wheel's name, the contract's version (a checkout too).
    assert report["probe"] == command.run(["--version"]).stdout.strip() == f"zomro-rescue {spec()['info']['version']}"
    assert report["contract"] == spec()["info"]["version"] and f"- probe: zomro-rescue {report['contract']}, contract" in result.stdout


# Against a server that drifted in known ways: each drift reported, once, and nothing else.


@pytest.mark.parametrize(
    ("args", "env", "calls"), [((), WITH_SESSION, PROBED[1:]), (LOGIN_ARGS, WITH_LOGIN, PROBED)], ids=["session", "login"]
)
def test_each_drift_is_reported_once_and_nothing_else(args: tuple[str, ...], env: dict[str, str], calls: tuple[str, ...]) -> None:
    with QuirkyServer(drifting()) as server:
        result = run(server.url, *args, "--json", env=env)
        markdown = run(server.url, *args, env=env)
    assert result.returncode == DRIFT and markdown.returncode == DRIFT, result.stderr
    report = json.loads(result.stdout)
    assert findings(report) == {operation_id: DRIFTS[operation_id] for operation_id in calls}
    expected = sum(len(DRIFTS[operation_id]) for operation_id in calls)
    assert report["drift"] == expected and markdown.stdout.strip().splitlines()[-1] == f"drift: {expected} findings"
    for operation_id in calls:
        for category, path in DRIFTS[operation_id]:
            assert f"- {category} at `{path}`: " in markdown.stdout
    assert {category for operation_id in calls for category, _ in DRIFTS[operation_id]} >= {SCHEMA, ONE_ELEMENT}


def test_the_drifts_cover_every_kind_of_finding() -> None:
    kinds = {category for drifts in DRIFTS.values() for category, _ in drifts} | {UNKNOWN_TYPE_DRIFT[0]}
    assert kinds == set(CATEGORIES) == {SCHEMA, UNEXPECTED_KEY, UNKNOWN_TYPE, ONE_ELEMENT}


@pytest.mark.parametrize(
    ("args", "env", "failing", "echo"),
    [(LOGIN_ARGS, WITH_LOGIN, "logIn", LOGIN_PASSWORD), ((), WITH_SESSION, "previewRescueImages", SESSION)],
    ids=["login", "preview"],
)
def test_an_error_answer_is_checked_then_exits_3(args: tuple[str, ...], env: dict[str, str], failing: str, echo: str) -> None:
    """An error document of an unknown `$type` (its message echoing a secret): reported, the report so far printed, exit 3."""
    with QuirkyServer(drifting(**{failing: json_answer(error_with_unknown_type(echo))})) as server:
        result = run(server.url, *args, "--json", env=env)
    assert result.returncode == API, result.stderr
    report = json.loads(result.stdout)
    assert [call["operation"] for call in report["calls"]] == [failing] == [operation(form) for form in server.requests]
    assert findings(report) == {failing: {UNKNOWN_TYPE_DRIFT}}
    assert "captcha" in one_line(result.stderr) and "the API refused" in result.stderr
    assert report["stopped"] and "***" in report["stopped"] and "***" in result.stderr


def test_a_transport_error_after_an_answer_prints_the_report_so_far() -> None:
    with QuirkyServer(drifting(listInstances=Answer(503, b"busy", (("Retry-After", "7"),)))) as server:
        result = run(server.url, env=WITH_SESSION, process=True)
    assert result.returncode == TRANSPORT
    assert "HTTP 503" in one_line(result.stderr) and "listInstances" in result.stderr
    assert "1. previewRescueImages" in result.stdout and "Stopped:" in result.stdout


# Never a rescue or an unrescue.


def test_only_functions_that_change_nothing_are_called() -> None:
    for args, env in ((LOGIN_ARGS, WITH_LOGIN), ((), WITH_SESSION)):
        with QuirkyServer(drifting()) as server:
            run(server.url, *args, env=env)
        assert [operation(form) for form in server.requests] == list(PROBED if args else PROBED[1:])
        assert all("sok" not in form for form in server.requests)
        assert {form["func"] for form in server.requests} <= {"auth", "instances.fleio.rescue", "instances"}


# Not this API: one line, exit 4.


NOT_THIS_API = {
    "an HTML page": (Answer(200, b"<!doctype html><html><body>Welcome</body></html>", (("Content-Type", "text/html"),)), "not JSON"),
    "a 404": (Answer(404, b"Not Found", (("Content-Type", "text/plain"),)), "HTTP 404"),
    "JSON of another API": (json_answer({"status": "ok"}), "no `doc` object"),
    "JSON nested too deeply": (Answer(200, b"[" * 100_000 + b"]" * 100_000), "nested too deeply"),
}


@pytest.mark.parametrize(("answer", "says"), list(NOT_THIS_API.values()), ids=list(NOT_THIS_API))
def test_a_url_that_is_not_this_api_is_one_line_and_exit_4(answer: Answer, says: str) -> None:
    with QuirkyServer(lambda form: answer) as server:
        result = run(server.url, env=WITH_SESSION)
    assert result.returncode == TRANSPORT and result.stdout == ""
    assert says in one_line(result.stderr)


def test_a_closed_port_is_one_line_and_exit_4() -> None:
    result = run("http://127.0.0.1:1", env=WITH_SESSION)
    assert result.returncode == TRANSPORT and result.stdout == ""
    assert "cannot reach http://127.0.0.1:1" in one_line(result.stderr)


def test_no_credentials_is_a_usage_error() -> None:
    result = run("http://127.0.0.1:1")
    assert result.returncode == USAGE and "ZOMRO_AUTH" in one_line(result.stderr)


def test_help_shows_an_example() -> None:
    result = command.run(["probe", "--help"])
    assert result.returncode == OK and "zomro-rescue probe --instance" in result.stdout


# No secret, ever: the session given or opened, the password, the password in the URL.


def test_no_secret_is_printed(mock: mock_process.RunningMock) -> None:
    host = mock.url.removeprefix("http://")
    assert run(f"http://probe:{URL_PASSWORD}@{host}", *MOCK_LOGIN_ARGS, env=MOCK_WITH_LOGIN).returncode == OK
    assert run(f"http://probe:{URL_PASSWORD}@{host}", "--json", env=MOCK_WITH_SESSION).returncode == OK
    with QuirkyServer(drifting()) as server:
        run(f"http://probe:{URL_PASSWORD}@{server.address}", *LOGIN_ARGS, env=WITH_LOGIN)
        run(f"http://probe:{URL_PASSWORD}@{server.address}", *LOGIN_ARGS, "--json", env=WITH_LOGIN)
    # Errors whose message echoes every secret the probe was given or got (a server may).
    for failing in PROBED:
        echo = f"{LOGIN_PASSWORD} {URL_PASSWORD} {ISSUED if failing != 'logIn' else ''}"
        with QuirkyServer(drifting(**{failing: json_answer(error_with_unknown_type(echo))})) as server:
            run(f"http://probe:{URL_PASSWORD}@{server.address}", *LOGIN_ARGS, env=WITH_LOGIN)
            run(f"http://probe:{URL_PASSWORD}@{server.address}", *LOGIN_ARGS, "--json", env=WITH_LOGIN)
    for failing in PROBED[1:]:
        with QuirkyServer(drifting(**{failing: json_answer(error_with_unknown_type(f"{SESSION} {URL_PASSWORD}"))})) as server:
            run(f"http://probe:{URL_PASSWORD}@{server.address}", env=WITH_SESSION)
            run(f"http://probe:{URL_PASSWORD}@{server.address}", "--json", env=WITH_SESSION)
    run(f"http://probe:{URL_PASSWORD}@127.0.0.1:1", env=WITH_SESSION)
    assert len(printed) >= 2 * 15
    for secret in SECRETS:
        for piece in {secret[i : i + 10] for i in range(len(secret) - 9)}:
            assert not any(piece in text for text in printed), f"a piece of a secret, {piece!r}, was printed"
