"""`zomro-rescue-mock --upstream URL`: the mock in front of a server, every real exchange checked against the contract.

- In front of our own mock: no breach; each request reaches it byte for byte as the client sent it, and each answer
  comes back byte for byte as the mock sent it; the article's flow (preview, rescue, unrescue, login) is done for
  real; the SDK and the probe find nothing.
- In front of servers that drifted in known ways (the test kit's drifting and quirky servers): each drift reported
  once, in the log, and in the journal of every exchange it was in; nothing else.
- An upstream down, too slow, cut short, or answering HTML or another status than 200: the client gets the error
  document the contract describes, and the journal says why.
- The control API stays local; no secret anywhere; the command as a process: its ready line, its summary on stop,
  nothing written to disk.

The proxy runs in the test's process (zomro_testkit.proxy), in front of the per-worker mock, except where the
process is what is tested.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from zomro_contract.checks import HTTP_STATUS, NOT_JSON, ROOT, read_answer
from zomro_mock import __main__ as mock_main
from zomro_mock.drift import REQUEST, Tally
from zomro_mock.upstream import VIA, answer_headers, check_url, request_headers
from zomro_mock.world_file import control_api
from zomro_rescue import ApiError, RescueClient
from zomro_testkit import article, command, mock_process, proxy
from zomro_testkit.contract import operations, validator
from zomro_testkit.drifting_server import DRIFTS, UNKNOWN_TYPE_DRIFT, drifting, error_with_unknown_type
from zomro_testkit.quirky_server import Answer, QuirkyServer, billmanager, json_answer
from zomro_testkit.recorder import recording

ELID = article.curl_example("preview").form["elid"]
SESSION = article.curl_example("preview").form["auth"]  # live in the mock's default world
LOGIN = {name: str(value) for name, value in operations()["logIn"].request_examples["login"]["value"].items()}
PREVIEW = {"func": "instances.fleio.rescue", "out": "json", "elid": ELID, "auth": SESSION}
LIST = {"func": "instances", "out": "json", "auth": SESSION}
HTTP = httpx.Client(timeout=30)


def _multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    """A form as `curl --form` sends it, with a boundary of our own: the bytes a client sends, known to the test."""
    boundary = "zomro-proxy-test-boundary"
    parts = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n' for name, value in fields.items())
    return f"{parts}--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _error(answer: httpx.Response, operation_id: str) -> dict[str, Any]:
    """The error document a client of the mock expects: HTTP 200, JSON, the contract's answer of the operation."""
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json", answer.text
    document = answer.json()
    errors = [error.message for error in validator(operations()[operation_id].response_pointer).iter_errors(document)]
    assert not errors, errors
    return dict(document["doc"]["error"])


def _found(entry: dict[str, Any]) -> set[tuple[str, str]]:
    return {(breach["category"], breach["path"]) for breach in entry["drift"]}


def _journal_checked(entries: list[dict[str, Any]]) -> None:
    """Every entry as control-api.yaml's Journal describes it."""
    errors = [error.message for error in control_api().schema_validator("Journal").iter_errors({"entries": entries})]
    assert not errors, errors


# -- in front of our own mock ------------------------------------------------------------------------------------


def test_the_articles_flow_through_the_proxy_is_the_mocks_byte_for_byte(mock: mock_process.RunningMock) -> None:
    steps = [(name, article.curl_example(name).form) for name in ("preview", "rescue", "unrescue")] + [("login", LOGIN)]
    sent: list[tuple[bytes, str, httpx.Response]] = []
    with recording(mock.url) as upstream, proxy.running(upstream.url) as front:
        for _, fields in steps:
            body, content_type = _multipart(fields)
            sent.append((body, content_type, HTTP.post(front.url + "/", content=body, headers={"Content-Type": content_type})))
        journal = front.control.journal()
        summary = front.proxy.tally.summary()
    reached = upstream.exchanges
    # As received, and back unchanged: the request's bytes and type, the answer's status and bytes.
    assert [(e.method, e.path, e.content_type, e.body) for e in reached] == [("POST", "/", t, b) for b, t, _ in sent]
    assert [(e.status, e.answer) for e in reached] == [(a.status_code, a.content) for _, _, a in sent]
    assert all(a.headers["content-type"] == "application/json" for _, _, a in sent)
    # Done for real: the mock's world rescued the instance, then let it go, and logged the account in.
    assert [entry["answer"].get("example", entry["answer"]["kind"]) for entry in mock.control.journal()] == [
        "document",
        "ok",
        "ok",
        "document",
    ]
    assert json.loads(sent[1][2].content) == {"doc": {"ok": {}}} and json.loads(sent[3][2].content)["doc"]["auth"]["$id"]
    _journal_checked(journal)
    assert [entry["operation"] for entry in journal] == ["previewRescueImages", "rescueInstance", "unrescueInstance", "logIn"]
    assert all(entry["drift"] == [] and entry["answer"] == {"kind": "upstream", "status": 200} for entry in journal)
    assert journal[1]["fields"]["auth"] == journal[1]["fields"]["password"] == journal[3]["fields"]["password"] == "***"
    assert summary.endswith("4 requests, 4 sent on to " + upstream.url + "; no breach of the contract")


def test_the_sdk_and_the_probe_find_nothing_through_the_proxy(mock: mock_process.RunningMock) -> None:
    with proxy.running(mock.url) as front:
        with RescueClient(front.url, username=LOGIN["username"], password=LOGIN["password"]) as zomro:
            images = zomro.images(int(ELID))
            zomro.rescue(int(ELID), "Debian 12", password="MyPassword1")
            assert zomro.status(int(ELID)).rescued
            zomro.unrescue(int(ELID))
            with pytest.raises(ApiError) as refused:  # the world's refusal, passed on: it is not rescued
                zomro.unrescue(int(ELID))
        probed = command.run(["probe", "--url", front.url, "--instance", ELID], {"ZOMRO_AUTH": SESSION})
        journal = front.control.journal()
    assert len(images) == len(article.images()) and refused.value.object == "elid"
    assert probed.returncode == 0 and probed.stdout.strip().endswith("no drift found"), probed.stdout + probed.stderr
    operations_seen = [entry["operation"] for entry in journal]
    assert operations_seen[:2] == ["logIn", "previewRescueImages"] and operations_seen[-2:] == ["previewRescueImages", "listInstances"]
    assert all(entry["drift"] == [] for entry in journal), [entry["drift"] for entry in journal]
    assert [entry["answer"].get("error") for entry in journal if entry["operation"] == "unrescueInstance"] == [
        None,
        {"type": "value", "object": "elid"},
    ]


def test_a_query_string_and_a_urlencoded_body_go_on_as_they_came(mock: mock_process.RunningMock) -> None:
    query = "func=instances&out=json&auth=" + SESSION + "&p_cnt=2"
    with recording(mock.url) as upstream, proxy.running(upstream.url) as front:
        got = HTTP.get(f"{front.url}/?{query}")
        posted = HTTP.post(
            front.url + "/",
            content=b"func=instances&out=json&auth=" + SESSION.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        journal = front.control.journal()
    first, second = upstream.exchanges
    assert (first.method, first.path, first.body, first.answer) == ("GET", "/?" + query, b"", got.content)
    assert (second.method, second.content_type, second.answer) == ("POST", "application/x-www-form-urlencoded", posted.content)
    assert [entry["drift"] for entry in journal] == [[], []]


def test_a_form_that_cannot_be_read_goes_on_byte_for_byte(mock: mock_process.RunningMock) -> None:
    body, content_type = b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n", "multipart/form-data; boundary=b"
    with recording(mock.url) as upstream, proxy.running(upstream.url) as front:
        got = HTTP.post(front.url + "/", content=body, headers={"Content-Type": content_type, "Origin": "http://localhost:3000"})
        (entry,) = front.control.journal()
    ((reached),) = upstream.exchanges
    assert (reached.body, reached.content_type, reached.answer) == (body, content_type, got.content)
    assert _found(entry) == {(REQUEST, "Content-Type")} and entry["answer"]["error"]["object"] == "Content-Type"
    assert got.headers["access-control-allow-origin"] == "http://localhost:3000", "CORS, as the mock's own answers have it"


def test_hop_by_hop_headers_go_no_further_either_way() -> None:
    hops = (("Connection", "X-Answer-Hop"), ("X-Answer-Hop", "1"), ("Keep-Alive", "timeout=5"))
    ends = (("X-Answer-End", "kept"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"))
    answer = json_answer(operations()["listInstances"].response_examples["instances"]["value"], headers=(*hops, *ends))
    with QuirkyServer(lambda form: answer) as server, proxy.running(server.url) as front:
        body, content_type = _multipart(LIST)
        headers = {
            "Content-Type": content_type,
            "Connection": "keep-alive, X-Hop",
            "X-Hop": "dropped",
            "Keep-Alive": "timeout=5",
            "TE": "trailers",
            "Proxy-Authorization": "Basic c2VjcmV0",
            "Via": "1.1 earlier",
            "X-End": "kept",
            "Accept-Encoding": "identity",
        }
        got = HTTP.post(front.url + "/", content=body, headers=headers)
    (received,) = server.heads
    names = [name for name, _ in received]
    assert dict(received)["x-end"] == "kept" and dict(received)["accept-encoding"] == "identity"
    assert dict(received)["via"] == f"1.1 earlier, 1.1 {VIA}" and dict(received)["host"] == server.address
    assert not {"x-hop", "keep-alive", "te", "proxy-authorization"} & set(names), received
    assert dict(received)["content-length"] == str(len(body)) and server.requests == [LIST]
    assert got.headers["x-answer-end"] == "kept" and got.headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert "x-answer-hop" not in got.headers and "keep-alive" not in got.headers and got.content == answer.body


def test_a_header_of_latin_1_goes_on_as_it_came() -> None:
    with QuirkyServer(billmanager()) as server, proxy.running(server.url) as front:
        host, port = front.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as connection:
            connection.sendall(
                f"GET /?func=instances&out=json&auth={SESSION} HTTP/1.1\r\nHost: a\r\nX-Name: caf\xe9\r\nConnection: close\r\n\r\n".encode(
                    "latin-1"
                )
            )
            answer = b"".join(iter(lambda: connection.recv(65536), b""))
    # The fake reads forms from bodies only: its answer to none, passed back.
    assert answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(billmanager()({}).body)
    assert dict(server.heads[0])["x-name"] == "caf\xe9", "http.server reads a header as latin-1, as it was sent"


def test_a_compressed_answer_goes_back_compressed_and_is_checked_decompressed() -> None:
    document = operations()["listInstances"].response_examples["instances"]["value"]
    squeezed = gzip.compress(json.dumps(document).encode())
    answer = Answer(200, squeezed, (("Content-Type", "application/json"), ("Content-Encoding", "gzip")))
    with QuirkyServer(lambda form: answer) as server, proxy.running(server.url) as front:
        with httpx.stream("POST", front.url + "/", data=LIST, headers={"Accept-Encoding": "gzip"}) as got:
            raw = b"".join(got.iter_raw())
        (entry,) = front.control.journal()
    assert dict(server.heads[0])["accept-encoding"] == "gzip", "the client's own Accept-Encoding"
    assert raw == squeezed and got.headers["content-encoding"] == "gzip" and entry["drift"] == []


def test_the_header_rules_alone() -> None:
    kept = request_headers(
        {"connection": "close, x-a", "x-a": "1", "host": "h", "content-length": "3", "expect": "100-continue", "x-b": "2"}, "1.1"
    )
    assert kept == [("x-b", "2"), ("via", f"1.1 {VIA}")]
    back = answer_headers(
        httpx.Headers(
            [("Connection", "x-c"), ("Connection", "x-d"), ("X-C", "1"), ("X-D", "2"), ("X-E", "3"), ("Transfer-Encoding", "chunked")]
        )
    )
    assert back == [("X-E", "3")]
    for wrong in ("ftp://api.zomro.com", "not a url", "https://api.zomro.com/?a=1", "http://", "https://api.zomro.com/" + "a" * 1000):
        with pytest.raises(ValueError, match="give"):
            check_url(wrong)


# -- in front of servers that drifted ----------------------------------------------------------------------------


def test_each_drift_is_reported_once_and_nothing_else(caplog: pytest.LogCaptureFixture) -> None:
    forms = [LOGIN | {"func": "auth", "out": "json"}, PREVIEW, LIST] * 2
    scenario = drifting()
    with QuirkyServer(scenario) as server, proxy.running(server.url) as front:
        answers = [HTTP.post(front.url + "/", data=form) for form in forms]
        journal = front.control.journal()
        counts = front.proxy.tally.counts()
    assert server.requests == forms
    assert [answer.content for answer in answers] == [scenario(form).body for form in forms], "passed back unchanged"
    _journal_checked(journal)
    assert [(entry["operation"], _found(entry)) for entry in journal] == [
        (entry["operation"], DRIFTS[entry["operation"]]) for entry in journal
    ]
    assert counts == dict(Counter(category for drifts in DRIFTS.values() for category, _ in drifts for _ in range(2)))
    logged = [record.getMessage() for record in caplog.records if record.getMessage().startswith("drift: ")]
    expected = [f"drift: {op}: {category} at {path}: " for op, drifts in DRIFTS.items() for category, path in drifts]
    assert len(logged) == len(expected) and all(sum(line.startswith(start) for line in logged) == 1 for start in expected), logged


def test_an_error_of_a_type_the_contract_does_not_know_is_drift_and_passed_on() -> None:
    echoed = "EchoedSession0042xyz"
    answer = json_answer(error_with_unknown_type(echoed))
    with QuirkyServer(drifting(previewRescueImages=answer)) as server, proxy.running(server.url) as front:
        got = HTTP.post(front.url + "/", data=PREVIEW | {"auth": echoed})
        (entry,) = front.control.journal()
    assert got.content == answer.body and server.requests == [PREVIEW | {"auth": echoed}]
    assert _found(entry) == {UNKNOWN_TYPE_DRIFT} and entry["answer"]["error"] == {"type": "captcha", "object": "auth"}
    assert echoed not in json.dumps(entry)


BREACHES = {
    "an unknown field": (PREVIEW | {"bogus": "1"}, "(a name of 5 characters)"),
    "a typo of a field": (LIST | {"p_cnnt": "5"}, "p_cnnt"),
    "an elid that is no integer": (PREVIEW | {"elid": "abc"}, "elid"),
    "a missing elid": ({k: v for k, v in PREVIEW.items() if k != "elid"}, "elid"),
    "an unknown function": (LIST | {"func": "instances.delete"}, "func"),
    "no function": ({k: v for k, v in LIST.items() if k != "func"}, "func"),
}


@pytest.mark.parametrize(("form", "place"), list(BREACHES.values()), ids=list(BREACHES))
def test_a_request_the_contract_does_not_allow_is_sent_on_and_reported(form: dict[str, str], place: str) -> None:
    scenario = billmanager()
    with QuirkyServer(scenario) as server, proxy.running(server.url) as front:
        got = HTTP.post(front.url + "/", data=form)
        (entry,) = front.control.journal()
    assert server.requests == [form] and got.content == scenario(form).body
    ((category, path),) = _found(entry)
    assert (category, path) == (REQUEST, place) and entry["answer"]["kind"] == "upstream"


def test_a_refusal_of_the_mocks_own_is_journaled_and_nothing_is_sent() -> None:
    with QuirkyServer(billmanager()) as server, proxy.running(server.url) as front:
        wrong_path = HTTP.post(front.url + "/v2/", data=LIST)
        wrong_type = HTTP.post(front.url + "/", content=b"{}", headers={"Content-Type": "application/json"})
        journal = front.control.journal()
        state = front.proxy.state()
    assert server.requests == []
    assert [_error(answer, "listInstances")["$object"] for answer in (wrong_path, wrong_type)] == ["path", "Content-Type"]
    assert [{breach["category"] for breach in entry["drift"]} for entry in journal] == [{REQUEST}, {REQUEST}]
    assert (state["requests"], state["refused"], state["breaches"]) == (2, 2, {REQUEST: 2})


# -- no answer of the API's to pass back --------------------------------------------------------------------------

HTML = b"<!doctype html><html><body>502 Bad Gateway</body></html>"
NO_ANSWER = {
    "an HTML page at 200": (Answer(200, HTML, (("Content-Type", "text/html"),)), "an HTML page", NOT_JSON),
    "an HTML page at 502": (Answer(502, HTML, (("Content-Type", "text/html"),)), "HTTP 502 (an HTML page)", HTTP_STATUS),
    "text at 200": (Answer(200, b"OK", (("Content-Type", "text/plain"),)), "a text/plain body", NOT_JSON),
    "an answer cut short": (Answer(200, b'{"doc": {"ok": {}}}', cut_after=5), "did not send a whole HTTP answer", None),
    "a redirect": (Answer(302, b"", (("Location", "https://example.com/"),)), "HTTP 302", HTTP_STATUS),
}


@pytest.mark.parametrize(("answer", "says", "category"), list(NO_ANSWER.values()), ids=list(NO_ANSWER))
def test_an_answer_this_api_never_sends_gets_the_error_document(answer: Answer, says: str, category: str | None) -> None:
    with QuirkyServer(lambda form: answer) as server, proxy.running(server.url) as front:
        got = HTTP.post(front.url + "/", data=LIST)
        (entry,) = front.control.journal()
        summary = front.proxy.tally.summary()
    error = _error(got, "listInstances")
    assert error["$type"] == "upstream" and says in error["msg"]["$"] and says in entry["answer"]["reason"]
    assert entry["answer"]["kind"] == "error" and entry["answer"]["error"] == {"type": "upstream", "object": ""}
    assert _found(entry) == ({(category, ROOT)} if category else set())
    assert ("1 of them unanswered" in summary) == (category is None)


def test_an_upstream_that_is_down_gets_the_error_document() -> None:
    with proxy.running("http://127.0.0.1:1") as front:
        with RescueClient(front.url, session=SESSION) as zomro, pytest.raises(ApiError) as refused:
            zomro.images(int(ELID))
        (entry,) = front.control.journal()
    assert refused.value.type == "upstream" and "could not be reached" in refused.value.message
    assert "could not be reached" in entry["answer"]["reason"] and entry["drift"] == []


def test_a_slow_upstream_gets_the_error_document_at_the_timeout() -> None:
    # The upstream sends its head at once, then a byte every 50 ms, for ever: only the proxy's deadline ends it.
    trickle = Answer(200, b'{"doc": {"ok": {}}}', trickle="body", trickle_interval=0.05)
    timeout = 0.5
    with QuirkyServer(lambda form: trickle) as server, proxy.running(server.url, timeout=timeout) as front:
        started = time.monotonic()
        got = HTTP.post(front.url + "/", data=LIST)
        waited = time.monotonic() - started
        (entry,) = front.control.journal()
    assert f"no whole answer within {timeout:g} s" in _error(got, "listInstances")["msg"]["$"]
    assert f"within {timeout:g} s" in entry["answer"]["reason"]
    # What the code promises is the timeout; 10 s more is room for a machine other work loads, not a speed test.
    assert waited < timeout + 10


def test_a_request_in_flight_when_the_mock_stops_is_told_it_may_have_been_done() -> None:
    trickle = Answer(200, b'{"doc": {"ok": {}}}', trickle="body", trickle_interval=0.05)
    rescue = article.curl_example("rescue").form
    answers: list[httpx.Response] = []
    with QuirkyServer(lambda form: trickle) as server:
        with proxy.running(server.url, timeout=60) as front:
            sender = threading.Thread(target=lambda: answers.append(HTTP.post(front.url + "/", data=rescue)))
            sender.start()
            deadline = time.monotonic() + 30  # until the upstream has the request: a bound, not a speed
            while not server.requests and time.monotonic() < deadline:
                time.sleep(0.01)
            assert server.requests == [rescue]
        sender.join(30)
        (entry,) = front.proxy.journal.entries()
    (answer,) = answers
    assert "may have been done" in _error(answer, "rescueInstance")["msg"]["$"]
    assert entry["operation"] == "rescueInstance" and "may have been done" in entry["answer"]["reason"]
    assert front.proxy.state() | {"upstream": ""} == {"upstream": "", "requests": 1, "unanswered": 1, "refused": 0, "breaches": {}}


# -- the control API, local --------------------------------------------------------------------------------------


def test_the_control_api_stays_local_and_says_what_has_no_meaning_here(mock: mock_process.RunningMock) -> None:
    with recording(mock.url) as upstream, proxy.running(upstream.url) as front:
        HTTP.post(front.url + "/", data=LIST)
        reset = HTTP.post(front.url + "/_mock/reset")
        after = front.control.journal()
        refused = {
            (method, path): HTTP.request(method, front.url + path, json=body)
            for method, path, body in [
                ("GET", "/_mock/world", None),
                ("PUT", "/_mock/world", {"accounts": [{"username": "u", "password": "p"}]}),
                ("GET", "/_mock/clock", None),
                ("PUT", "/_mock/clock", {"frozen": True}),
                ("POST", "/_mock/clock/advance", {"seconds": 1}),
                ("GET", "/_mock/faults", None),
                ("POST", "/_mock/faults", {"operation": "rescueInstance", "error": "busy"}),
                ("DELETE", "/_mock/faults", None),
            ]
        }
    assert [exchange.path for exchange in upstream.exchanges] == ["/"], "the control API never reaches the upstream"
    assert reset.status_code == 200 and after == []
    errors = [error.message for error in control_api().schema_validator("ResetState").iter_errors(reset.json())]
    assert not errors and reset.json() == {"upstream": upstream.url, "requests": 1, "unanswered": 0, "refused": 0, "breaches": {}}
    for (method, path), answer in refused.items():
        assert answer.status_code == 409 and answer.headers["content-type"] == "application/problem+json", (method, path)
        assert "proxy to the real server (--upstream)" in answer.json()["detail"], (method, path)


# -- no secret, anywhere ------------------------------------------------------------------------------------------

SECRETS = {
    "password": "LoginSecret55xyzw",
    "auth": "SessionSecret0042ab",
    "authinfo": "me@example.com:AuthinfoSecret77q",
    "pasword": "TypoSecret9988zz",  # a typo of a secret field: may hold one
    "MadeUpSecretName123": "MadeUpValue4455",  # a name the client made up: may hold anything
}


def test_no_secret_reaches_the_log_the_journal_or_the_summary(caplog: pytest.LogCaptureFixture) -> None:
    def echo(form: dict[str, str]) -> Answer:
        # What a careless server might do: quote what it was sent where the checks quote the answer.
        if form.get("func") == "auth":  # a key named by the password, where Session allows none: an `unexpected key`
            return json_answer({"doc": {"auth": {"$id": "IssuedSecret7781zzq", "$": "IssuedSecret7781zzq", form["password"]: "1"}}})
        quoted = next(value for name in ("auth", "authinfo", "MadeUpSecretName123") if (value := form.get(name)))
        made_up = "MadeUpSecretName123" if "MadeUpSecretName123" in form else "elid"
        # An error of a `$type` that quotes a secret (an `unknown $type`), its object a name made up, its text all of it.
        error = {"$type": quoted, "$object": made_up, "msg": {"$": " ".join([*form, *form.values()])}}
        return json_answer({"doc": {"error": error}})

    sent = [
        {"func": "auth", "out": "json", "username": "me@example.com", "password": SECRETS["password"]},
        PREVIEW | {"auth": SECRETS["auth"]},
        LIST | {"auth": "", "authinfo": SECRETS["authinfo"]},
        LIST | {"pasword": SECRETS["pasword"], "MadeUpSecretName123": SECRETS["MadeUpSecretName123"]},
    ]
    with QuirkyServer(echo) as server, proxy.running(server.url) as front:
        for form in sent:
            HTTP.post(front.url + "/", data=form)
        with proxy.running("http://user:UrlSecret99zzqq@127.0.0.1:1") as down:
            HTTP.post(down.url + "/", data=LIST)
            shown = [json.dumps(down.control.journal()), down.proxy.tally.summary(), json.dumps(down.proxy.state())]
        shown += [json.dumps(front.control.journal()), front.proxy.tally.summary(), json.dumps(front.proxy.state())]
    assert len(server.requests) == len(sent) and "unexpected key" in shown[3] and "unknown $type" in shown[3]
    secrets = [SECRETS[name] for name in ("password", "auth", "pasword", "MadeUpSecretName123")]
    secrets += ["AuthinfoSecret77q", "MadeUpSecretName123", "UrlSecret99zzqq", "IssuedSecret7781zzq"]
    for text in [*shown, caplog.text]:
        for secret in secrets:
            for piece in {secret[i : i + 10] for i in range(len(secret) - 9)}:
                assert piece not in text, f"a piece of a secret, {piece!r}, was shown"


# -- the command -------------------------------------------------------------------------------------------------


def test_the_command_serves_says_so_and_sums_up_on_stop_writing_nothing(mock: mock_process.RunningMock, tmp_path: Path) -> None:
    # An empty folder for its working directory, its temporary files and its home: nothing may appear in it.
    env = {**os.environ, "TMPDIR": str(tmp_path), "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    port = mock_process.free_port()
    running = mock_process.start("--port", str(port), "--upstream", mock.url, env=env, cwd=tmp_path)
    try:
        assert running.prism_pids() == [], "a proxy starts no Prism"
        assert HTTP.post(running.url + "/", data=PREVIEW).json()["doc"]["slist"]
        assert HTTP.post(running.url + "/", data=PREVIEW | {"elid": "x"}).json()["doc"]["error"]["$object"] == "elid"
    finally:
        code = running.stop(signal.SIGINT)
    out = running.stdout.read_text().splitlines()
    assert (
        code == 0
        and out[0] == f"Zomro rescue mock: http://127.0.0.1:{port}/ (a proxy to {mock.url}; each exchange checked against openapi.yaml)"
    )
    assert out[1:] == [f"zomro-rescue-mock: 2 requests, 2 sent on to {mock.url}; 1 breach of the contract (request 1)"]
    assert "drift: previewRescueImages: request at elid" in running.stderr.read_text()
    assert list(tmp_path.iterdir()) == [], "nothing written to disk"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--upstream", "http://127.0.0.1:4010", "--world", "w.yaml"], "--upstream: the real server holds the world"),
        (["--upstream", "http://127.0.0.1:4010", "--stateless"], "--upstream: the real server holds the world"),
        (["--upstream", "ftp://example.com"], "--upstream: give an http:// or https:// URL"),
        (["--upstream", "http://127.0.0.1:4010", "--upstream-timeout", "0"], "--upstream-timeout: give seconds"),
    ],
)
def test_a_wrong_upstream_is_a_usage_error(args: list[str], says: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        mock_main._arguments(args)
    assert stopped.value.code == 2 and says in capsys.readouterr().err


# -- the parts, alone ----------------------------------------------------------------------------------------------


def test_the_summary_counts_requests_and_breaches_by_kind() -> None:
    tally = Tally("https://api.zomro.com")
    assert tally.summary() == "zomro-rescue-mock: 0 requests, 0 sent on to https://api.zomro.com; no breach of the contract"
    tally.requests, tally.unanswered, tally.refused = 5, 1, 1
    from zomro_contract.checks import Finding

    tally.note("listInstances", [Finding("schema", "doc.elem[0].id", "x"), Finding("schema", "doc.elem[3].id", "x")])
    tally.note("logIn", [Finding(REQUEST, "password", "y")])
    assert tally.summary() == (
        "zomro-rescue-mock: 5 requests, 4 sent on to https://api.zomro.com; 1 of them unanswered; 1 refused by the mock; "
        "3 breaches of the contract (request 1, schema 2)"
    )


def test_what_the_proxy_and_the_probe_both_call_not_this_apis() -> None:
    assert read_answer(200, "application/json", b'{"doc": {}}') == ({"doc": {}}, None)
    for status, content_type, body, category, says in [
        (503, "text/html", HTML, HTTP_STATUS, "HTTP 503 (an HTML page)"),
        (200, "", b"<html>", NOT_JSON, "an HTML page"),
        (200, "application/json", b"[" * 100_000, NOT_JSON, "nested too deeply"),
        (200, "application/json", b"\xff", NOT_JSON, "not JSON"),
    ]:
        data, finding = read_answer(status, content_type, body)
        assert data is None and finding is not None and finding.category == category and says in finding.explanation


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
