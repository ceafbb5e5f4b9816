"""The emulated server over HTTP: the control API under /_mock/ as control-api.yaml describes it, faults,
the journal, worlds loaded at start and at run time, the command line's emulation flags, --stateless,
and clients racing for one instance.

Every answer of the control API is checked against control-api.yaml (status, content type, schema),
and every answer of the emulated API against openapi.yaml.
"""

from __future__ import annotations

import copy
import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from zomro_contract import statuses
from zomro_contract.billmanager import as_list
from zomro_contract.schemas import Schemas
from zomro_mock import default_world, world_file
from zomro_testkit import mock_process
from zomro_testkit.contract import answer_validator, operations, spec, validator

# One client for the module: httpx.post() and its kin build a client, and its TLS context, for each call (about 20 ms).
HTTP = httpx.Client(timeout=30)

# -- the two documents ----------------------------------------------------------------------------------------

CONTROL_DOCUMENT: dict[str, Any] = yaml.safe_load(world_file.CONTROL_API.read_text(encoding="utf-8"))
CONTROL = Schemas(CONTROL_DOCUMENT)
PROBLEM = "application/problem+json"
CONTROL_OPERATIONS = [(path, method) for path, item in CONTROL_DOCUMENT["paths"].items() for method in item]

LOGIN, PREVIEW, RESCUE, UNRESCUE, LIST = "logIn", "previewRescueImages", "rescueInstance", "unrescueInstance", "listInstances"


def _form(operation_id: str, **changes: str) -> dict[str, str]:
    """The operation's first request example as a form, with some fields changed."""
    value = next(iter(operations()[operation_id].request_examples.values()))["value"]
    return {name: str(item) for name, item in value.items()} | changes


def _example(operation_id: str, name: str) -> Any:
    return operations()[operation_id].response_examples[name]["value"]


EVERY_STATE = {int(item["id"]["$"]): item["instance_status"]["$"] for item in as_list(_example(LIST, "everyState")["doc"]["elem"])}
ELID_IN = {status: elid for elid, status in EVERY_STATE.items()}
ELID = int(_form(RESCUE)["elid"])  # the article's instance, active in the default world
SESSION = _form(RESCUE)["auth"]
WHOLE_LIST = {"p_cnt": str(len(EVERY_STATE)), "p_num": "1"}


def _control(mock: mock_process.RunningMock, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """A control API call, its answer checked against control-api.yaml."""
    answer = HTTP.request(method, mock.url + path, **kwargs)
    _check_control(method, path.split("?")[0], answer)
    return answer


def _check_control(method: str, path: str, answer: httpx.Response) -> None:
    operation = CONTROL_DOCUMENT["paths"].get(path, {}).get(method.lower(), {})
    response = operation.get("responses", {}).get(str(answer.status_code))
    if response is None:
        # The document's general promise: a path it does not have, a method or a body type it does not take, a problem document.
        assert answer.status_code in (404, 405, 415), f"{method} {path}: {answer.status_code} is not documented: {answer.text}"
        response = {"$ref": "#/components/responses/Problem"}
    if "$ref" in response:
        response = CONTROL.at(response["$ref"].removeprefix("#"))
    if "content" not in response:
        assert answer.content == b"", f"{method} {path}: {answer.status_code} has no body"
        return
    ((media_type, content),) = response["content"].items()
    assert answer.headers["content-type"] == media_type, f"{method} {path}"
    errors = [error.message for error in CONTROL.validator(content["schema"]["$ref"].removeprefix("#")).iter_errors(answer.json())]
    assert not errors, f"{method} {path}: {errors}: {answer.text}"


def _checked(answer: httpx.Response, operation_id: str) -> dict[str, Any]:
    """An emulated API's answer, checked against the operation's response schema in openapi.yaml."""
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    document: dict[str, Any] = answer.json()
    errors = [error.message for error in validator(operations()[operation_id].response_pointer).iter_errors(document)]
    assert not errors, f"{operation_id}: not the contract's answer: {errors}: {document}"
    return document


def _call(url: str, operation_id: str, **changes: str) -> dict[str, Any]:
    """The operation's request example, with some fields changed, sent; its answer checked against the contract."""
    return _checked(HTTP.post(url + "/", data=_form(operation_id, **changes)), operation_id)


def _is(document: dict[str, Any], operation_id: str, name: str) -> bool:
    return document == _example(operation_id, name)


def _world_state(mock: mock_process.RunningMock) -> dict[str, Any]:
    state: dict[str, Any] = _control(mock, "GET", "/_mock/world").json()
    return state


def _status(mock: mock_process.RunningMock, elid: int) -> str:
    (status,) = [item["status"] for account in _world_state(mock)["accounts"] for item in account["instances"] if item["elid"] == elid]
    return str(status)


def _strip_idle(state: dict[str, Any]) -> dict[str, Any]:
    """The state without what the running clock changes: its time, and the sessions' idle seconds."""
    state = copy.deepcopy(state)
    del state["clock"]["now"], state["clock"]["offset_seconds"]
    for account in state["accounts"]:
        account["sessions"] = [session["hint"] for session in account["sessions"]]
    return state


def _journal(mock: mock_process.RunningMock, query: str = "") -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = _control(mock, "GET", "/_mock/journal" + query).json()["entries"]
    return entries


def _add_fault(mock: mock_process.RunningMock, **fault: Any) -> dict[str, Any]:
    answer = _control(mock, "POST", "/_mock/faults", json=fault)
    assert answer.status_code == 201, answer.text
    added: dict[str, Any] = answer.json()
    return added


def _default_world_with(**changes: Any) -> dict[str, Any]:
    """The default world (made from the contract's examples), with some top-level keys changed."""
    return default_world.data(spec()) | changes


def _transitions(text: str) -> dict[str, Any]:
    after, _, count = text.partition(":")
    return {"after": after} | ({"count": int(count)} if count else {})


# -- the control API: every path and method --------------------------------------------------------------


def _documented_request(path: str, method: str) -> dict[str, Any]:
    """A valid request for a control operation: the document's own request example when it has one."""
    body = CONTROL_DOCUMENT["paths"][path][method].get("requestBody")
    if body is None:
        return {}
    example = next(iter(body["content"]["application/json"]["examples"].values()))["value"]
    return {"json": example}


@pytest.mark.parametrize(("path", "method"), CONTROL_OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in CONTROL_OPERATIONS])
def test_every_control_operation_answers_as_documented(mock: mock_process.RunningMock, path: str, method: str) -> None:
    answer = _control(mock, method.upper(), path, **_documented_request(path, method))
    success = [status for status in CONTROL_DOCUMENT["paths"][path][method]["responses"] if status.startswith("2")]
    assert [str(answer.status_code)] == success, answer.text


def test_an_unknown_control_path_is_404_naming_the_paths(mock: mock_process.RunningMock) -> None:
    answer = _control(mock, "GET", "/_mock/nothing-here")
    assert answer.status_code == 404
    assert all(path in answer.json()["detail"] for path in CONTROL_DOCUMENT["paths"])


@pytest.mark.parametrize("path", list(CONTROL_DOCUMENT["paths"]))
def test_a_method_a_control_path_does_not_take_is_405_with_allow(mock: mock_process.RunningMock, path: str) -> None:
    answer = _control(mock, "PATCH", path, json={})
    assert answer.status_code == 405
    assert answer.headers["allow"] == ", ".join(sorted(method.upper() for method in CONTROL_DOCUMENT["paths"][path]))


def test_reset_answers_the_start_world(mock: mock_process.RunningMock) -> None:
    _call(mock.url, RESCUE)
    answer = _control(mock, "POST", "/_mock/reset")
    assert _strip_idle(answer.json()) == _strip_idle(_world_state(mock))
    assert _status(mock, ELID) == EVERY_STATE[ELID]


def test_reset_goes_back_to_the_start_world_after_a_put(mock: mock_process.RunningMock) -> None:
    start = _world_state(mock)
    put = _control(mock, "PUT", "/_mock/world", json=_documented_request("/_mock/world", "put")["json"])
    assert _strip_idle(put.json()) == _strip_idle(_world_state(mock)) != _strip_idle(start)
    _control(mock, "POST", "/_mock/reset")
    assert _strip_idle(_world_state(mock)) == _strip_idle(start)
    assert _is(_call(mock.url, RESCUE), RESCUE, "ok"), "the start world's sessions and instances are back"


def test_put_world_as_yaml(mock: mock_process.RunningMock) -> None:
    sent = _documented_request("/_mock/world", "put")["json"]
    answer = _control(mock, "PUT", "/_mock/world", content=yaml.safe_dump(sent), headers={"Content-Type": "application/yaml"})
    assert answer.status_code == 200
    (account,) = answer.json()["accounts"]
    assert [item["elid"] for item in account["instances"]] == [item["elid"] for item in sent["accounts"][0]["instances"]]
    assert answer.json()["transitions"] == sent["transitions"]


JSON_TYPE, YAML_TYPE = {"Content-Type": "application/json"}, {"Content-Type": "application/yaml"}


def _world_text(raw: dict[str, str]) -> bytes:
    """A world of one account with one instance, as JSON text, some of the instance's values written raw."""
    instance = ", ".join(f'"{key}": {value}' for key, value in ({"elid": "7", "status": '"active"'} | raw).items())
    return ('{"accounts": [{"username": "u", "password": "p", "instances": [{' + instance + "}]}]}").encode()


def _aliased_world(aliases: int) -> bytes:
    """A small YAML world that names one list of 1,000 instances `aliases` times: a large world, were it expanded."""
    instances = "".join(f"\n    - {{elid: {n}, status: active}}" for n in range(1, 1001))
    accounts = "".join(f"\n  - {{username: u{n}, password: p, instances: *all}}" for n in range(aliases))
    return f"shared:\n  all: &all{instances}\naccounts:{accounts}\n".encode()


@pytest.mark.parametrize(
    ("kwargs", "status", "detail"),
    [
        ({"content": b'{"accounts": [', "headers": {"Content-Type": "application/json"}}, 400, "not application/json"),
        ({"content": b"accounts: [", "headers": {"Content-Type": "application/yaml"}}, 400, "not application/yaml"),
        ({"json": {"accounts": [{"username": "u", "password": "p"}], "colour": "red"}}, 400, "unknown key 'colour'"),
        ({"json": {"accounts": [{"username": "u", "password": "p", "instances": [{"elid": 1}]}]}}, 400, "accounts[0].instances[0]"),
        ({"content": b"accounts: []", "headers": {"Content-Type": "text/plain"}}, 415, "text/plain"),
        ({"content": b'{"accounts": ' + b"[" * 1000 + b"]" * 1000 + b"}", "headers": JSON_TYPE}, 400, "nested deeper than 16"),
        ({"content": b"[" * 100_000 + b"]" * 100_000, "headers": JSON_TYPE}, 400, "nested deeper than 16"),
        ({"content": b"accounts: " + b"[" * 1000 + b"]" * 1000, "headers": YAML_TYPE}, 400, "nested deeper than 16"),
        ({"content": b"- " * 100_000 + b"x", "headers": YAML_TYPE}, 400, "nested deeper than 16"),
        ({"content": _aliased_world(200), "headers": YAML_TYPE}, 400, "more than 100 aliases"),
        ({"content": b"a: &a [*a]", "headers": YAML_TYPE}, 400, "stands for a node that holds it"),
        ({"content": _world_text({"name": '"\\ud800"'}), "headers": JSON_TYPE}, 400, "lone surrogate"),
        ({"content": b'{"session_idle_seconds": NaN, "accounts": []}', "headers": JSON_TYPE}, 400, "NaN is not a JSON number"),
        ({"content": b"session_idle_seconds: .nan\naccounts: []", "headers": YAML_TYPE}, 400, "not finite"),
        ({"content": b'{"transitions": {"after": "seconds", "count": 1e400}, "accounts": []}', "headers": JSON_TYPE}, 400, "not finite"),
        ({"content": b'{"transitions": {"after": "seconds", "count": NaN}, "accounts": []}', "headers": JSON_TYPE}, 400, "NaN"),
        ({"content": _world_text({"elid": "1.0"}), "headers": JSON_TYPE}, 400, "elid: must be an integer"),
        (
            {"content": b"accounts: [{username: u, password: p, instances: [{elid: 1" + b"0" * 5000 + b"}]}]", "headers": YAML_TYPE},
            400,
            "digits",
        ),
        ({"content": _world_text({"elid": "1" + "0" * 5000}), "headers": JSON_TYPE}, 400, "digits"),
    ],
    ids=[
        "bad JSON",
        "bad YAML",
        "unknown key",
        "missing key",
        "a type it does not take",
        "JSON 1,000 deep",
        "JSON 100,000 deep",
        "YAML 1,000 deep",
        "YAML 100,000 deep",
        "200 YAML aliases",
        "a YAML alias to its own holder",
        "a lone surrogate",
        "NaN in JSON",
        "NaN in YAML",
        "a number too large for a float",
        "a NaN transition",
        "an elid of 1.0",
        "YAML digits Python will not read",
        "JSON digits Python will not read",
    ],
)
def test_a_bad_world_is_refused_with_a_problem_and_changes_nothing(
    mock: mock_process.RunningMock, kwargs: dict[str, Any], status: int, detail: str
) -> None:
    before = _strip_idle(_world_state(mock))
    answer = _control(mock, "PUT", "/_mock/world", **kwargs)
    assert answer.status_code == status
    assert answer.headers["content-type"] == PROBLEM and detail in answer.json()["detail"], answer.text
    assert _strip_idle(_world_state(mock)) == before


def _large_world(instances: int) -> dict[str, Any]:
    """The default world and an account of `instances` more, 104 bytes of JSON each."""
    big = [
        {"elid": 10**7 + n, "name": f"vm-{n}", "status": "active", "os_name": "Debian 12", "ip": f"192.0.2.{n % 250}"}
        for n in range(instances)
    ]
    return _default_world_with(
        accounts=[*_default_world_with()["accounts"], {"username": "big@example.com", "password": "Big-1", "instances": big}]
    )


def test_the_emulated_api_is_answered_while_a_large_world_loads(mock: mock_process.RunningMock) -> None:
    # Read, checked and built in a thread: were it built on the mock's loop, no preview sent once the world's
    # body is sent would be answered before the world's own answer. (How long each waits at most: `make bench`.)
    body = json.dumps(_large_world(20_000)).encode()
    head = b"PUT /_mock/world HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    sent, answered = threading.Event(), threading.Event()

    def load() -> None:
        host, port = mock.url.removeprefix("http://").rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=60) as sock:
            sock.sendall(head + body)
            sent.set()
            assert sock.recv(1)  # the first byte of the world's answer
            answered.set()
            while sock.recv(1 << 20) and not answered.wait(0):
                pass

    loading = threading.Thread(target=load)
    preview = next(iter(operations()[PREVIEW].response_examples.values()))["value"]  # the same in the large world
    between = 0
    with httpx.Client(timeout=30) as client:
        loading.start()
        while not answered.is_set() and loading.is_alive():
            after_sent = sent.is_set()
            assert client.post(mock.url + "/", data=_form(PREVIEW)).json() == preview
            between += after_sent and not answered.is_set()
        loading.join()
    assert between >= 3, f"{between} previews sent after the world and answered before it ({len(body) / 1e6:.1f} MB)"
    assert len(_world_state(mock)["accounts"][-1]["instances"]) == 20_000
    assert _control(mock, "POST", "/_mock/reset").status_code == 200


# -- faults ------------------------------------------------------------------------------------------------------


def test_an_error_fault_answers_the_named_example_and_changes_nothing(mock: mock_process.RunningMock) -> None:
    before = _strip_idle(_world_state(mock))
    _add_fault(mock, operation=RESCUE, error="busy")
    assert _is(_call(mock.url, RESCUE), RESCUE, "busy")
    assert _strip_idle(_world_state(mock)) == before, "the rescue did not happen"
    (entry,) = _journal(mock)
    assert entry["answer"]["kind"] == "fault" and entry["answer"]["example"] == "busy"
    assert _is(_call(mock.url, RESCUE), RESCUE, "ok"), "used up: the world answers again"


def test_a_fault_applies_to_times_calls_and_counts_down(mock: mock_process.RunningMock) -> None:
    added = _add_fault(mock, operation=LIST, error="badSession", times=3)
    assert added["remaining"] == 3
    for remaining in (2, 1):
        assert _is(_call(mock.url, LIST), LIST, "badSession")
        assert [fault["remaining"] for fault in _control(mock, "GET", "/_mock/faults").json()["faults"]] == [remaining]
    assert _is(_call(mock.url, LIST), LIST, "badSession")
    assert _control(mock, "GET", "/_mock/faults").json() == {"faults": []}
    assert "elem" in _call(mock.url, LIST)["doc"]


def test_a_fault_with_an_elid_applies_to_that_instance_only(mock: mock_process.RunningMock) -> None:
    stopped = ELID_IN[statuses.STOPPED]
    _add_fault(mock, operation=RESCUE, elid=stopped, error="cannotRescue")
    assert _is(_call(mock.url, RESCUE), RESCUE, "ok"), "another instance: the world answers"
    assert _is(_call(mock.url, RESCUE, elid=str(stopped)), RESCUE, "cannotRescue")
    assert (_status(mock, ELID), _status(mock, stopped)) == (statuses.RESCUED, statuses.STOPPED)


def test_a_delay_fault_answers_as_the_world_would_but_later(mock: mock_process.RunningMock) -> None:
    delay_ms = 300
    _add_fault(mock, operation=RESCUE, delay_ms=delay_ms)
    start = time.perf_counter()
    assert _is(_call(mock.url, RESCUE), RESCUE, "ok")
    assert time.perf_counter() - start >= delay_ms / 1000
    assert _status(mock, ELID) == statuses.RESCUED
    (entry,) = _journal(mock)
    assert str(delay_ms) in entry["answer"]["fault"]


def test_a_drop_fault_closes_the_connection_without_an_answer(mock: mock_process.RunningMock) -> None:
    before = _strip_idle(_world_state(mock))
    _add_fault(mock, operation=RESCUE, drop=True)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        httpx.post(mock.url + "/", data=_form(RESCUE), timeout=10)
    assert _strip_idle(_world_state(mock)) == before
    assert [entry["answer"] for entry in _journal(mock)] == [{"kind": "fault", "fault": "drop"}]
    assert _is(_call(mock.url, RESCUE), RESCUE, "ok"), "the mock still answers"


def test_the_oldest_matching_fault_applies_first(mock: mock_process.RunningMock) -> None:
    _add_fault(mock, operation=UNRESCUE, elid=ELID, error="busy")
    _add_fault(mock, operation=UNRESCUE, error="badElid")
    assert _is(_call(mock.url, UNRESCUE), UNRESCUE, "busy"), "both match: the oldest applies"
    other = ELID_IN[statuses.RESCUED]
    assert _is(_call(mock.url, UNRESCUE, elid=str(other)), UNRESCUE, "badElid")
    assert _is(_call(mock.url, UNRESCUE), UNRESCUE, "notRescued"), "both used up: the world answers"


def test_faults_are_listed_in_order_and_cleared(mock: mock_process.RunningMock) -> None:
    added = [_add_fault(mock, operation=LIST, delay_ms=1), _add_fault(mock, operation=LOGIN, drop=True)]
    assert _control(mock, "GET", "/_mock/faults").json()["faults"] == added
    assert [fault["id"] for fault in added] == sorted({fault["id"] for fault in added})
    assert _control(mock, "DELETE", "/_mock/faults").status_code == 204
    assert _control(mock, "GET", "/_mock/faults").json() == {"faults": []}
    assert _call(mock.url, LOGIN)["doc"]["auth"], "no fault left"


def _error_names(operation_id: str) -> set[str]:
    return {name for name, example in operations()[operation_id].response_examples.items() if "error" in example["value"]["doc"]}


@pytest.mark.parametrize(
    ("fault", "detail"),
    [
        ("{not json", "not application/json"),
        ({"operation": RESCUE, "error": "busy", "colour": "red"}, "unknown key 'colour'"),
        ({"operation": LOGIN, "error": sorted(_error_names(RESCUE) - _error_names(LOGIN))[0]}, "has no error example"),
        ({"operation": RESCUE, "error": "ok"}, "has no error example"),
        ({"operation": "rebootInstance", "error": "busy"}, "no operation 'rebootInstance'"),
        ({"operation": RESCUE, "error": "busy", "delay_ms": 10}, "exactly one of"),
        ({"operation": RESCUE, "delay_ms": 10, "drop": True}, "exactly one of"),
        ({"operation": RESCUE}, "exactly one of"),
        ({"operation": RESCUE, "error": "busy", "id": 7}, "given by the mock"),
        ({"operation": RESCUE, "error": "busy", "times": 0}, "times"),
        ('{"operation": "rescueInstance", "error": "busy", "times": 2.0}', "times: must be an integer"),
        ('{"operation": "rescueInstance", "error": "busy", "elid": 5203773.0}', "elid: must be an integer"),
        ('{"operation": "rescueInstance", "delay_ms": NaN}', "NaN is not a JSON number"),
        ('{"operation": ' + "[" * 1000 + "]" * 1000 + "}", "nested deeper than 16"),
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 16"),
        ('{"operation": "rescueInstance", "error": "\\udfff"}', "lone surrogate"),
    ],
    ids=[
        "bad JSON",
        "unknown key",
        "another operation's error",
        "a success example",
        "unknown operation",
        "error and delay",
        "delay and drop",
        "none of them",
        "an id",
        "zero times",
        "times 2.0",
        "an elid of 5203773.0",
        "a NaN delay",
        "nested 1,000 deep",
        "nested 100,000 deep",
        "a lone surrogate",
    ],
)
def test_a_bad_fault_is_refused_with_a_problem(mock: mock_process.RunningMock, fault: Any, detail: str) -> None:
    body = {"content": fault, "headers": {"Content-Type": "application/json"}} if isinstance(fault, str) else {"json": fault}
    answer = _control(mock, "POST", "/_mock/faults", **body)
    assert answer.status_code == 400
    assert detail in answer.json()["detail"], answer.text
    assert _control(mock, "GET", "/_mock/faults").json() == {"faults": []}


# -- the clock -------------------------------------------------------------------------------------------------------


def _clock(mock: mock_process.RunningMock, method: str = "GET", path: str = "/_mock/clock", **body: Any) -> dict[str, Any]:
    answer = _control(mock, method, path, **({"json": body} if body else {}))
    assert answer.status_code == 200, answer.text
    shown: dict[str, Any] = answer.json()
    return shown


def test_the_clock_follows_real_time_by_default(mock: mock_process.RunningMock) -> None:
    clock = _clock(mock)
    assert clock["frozen"] is False
    # The world's time is real time's: the two scales it is made of move together, so no load can part them by a second.
    assert abs(clock["offset_seconds"]) < 1
    assert _world_state(mock)["clock"]["frozen"] is False


def test_a_frozen_clock_moves_only_when_advanced(mock: mock_process.RunningMock) -> None:
    frozen = _clock(mock, "PUT", frozen=True, now="2030-06-01T12:00:00+02:00")
    assert (frozen["now"], frozen["frozen"]) == ("2030-06-01T10:00:00.000Z", True)
    _call(mock.url, LIST, auth=SESSION)
    assert _clock(mock)["now"] == frozen["now"], "a request takes no time in a frozen world"
    moved = _clock(mock, "POST", "/_mock/clock/advance", seconds=90.5)
    assert moved["now"] == "2030-06-01T10:01:30.500Z"
    assert moved["offset_seconds"] == pytest.approx(frozen["offset_seconds"] + 90.5, abs=1), "an advance moves it away from real time"
    running = _clock(mock, "PUT", frozen=False)
    assert running["frozen"] is False and running["now"] >= moved["now"]


def test_the_clock_set_in_yaml_with_its_date_unquoted(mock: mock_process.RunningMock) -> None:
    answer = _control(
        mock, "PUT", "/_mock/clock", content="frozen: true\nnow: 2030-01-01T00:00:00Z\n", headers={"Content-Type": "application/yaml"}
    )
    assert answer.json()["now"] == "2030-01-01T00:00:00.000Z", answer.text


def test_the_journal_is_stamped_with_the_worlds_time(mock: mock_process.RunningMock) -> None:
    _clock(mock, "PUT", frozen=True, now="2030-01-01T00:00:00Z")
    _call(mock.url, PREVIEW)
    _clock(mock, "POST", "/_mock/clock/advance", seconds=3601)
    _call(mock.url, PREVIEW)
    assert [entry["at"] for entry in _journal(mock)] == ["2030-01-01T00:00:00.000Z", "2030-01-01T01:00:01.000Z"]


def test_an_advance_past_the_idle_time_expires_the_session(mock: mock_process.RunningMock) -> None:
    # Frozen from the world's start: every session was stamped at the same instant, not a moment before the freeze.
    mock.load_world(_default_world_with(clock={"frozen": True}))
    idle = _world_state(mock)["session_idle_seconds"]
    assert "elem" in _call(mock.url, LIST, auth=SESSION)["doc"]
    assert _clock(mock, "POST", "/_mock/clock/advance", seconds=idle)["expired_sessions"] == 0, "idle exactly that long: still live"
    assert "elem" in _call(mock.url, LIST, auth=SESSION)["doc"], "and kept alive by its use"
    passed = _clock(mock, "POST", "/_mock/clock/advance", seconds=idle + 0.001)
    live = len(default_world.data(spec())["accounts"][0]["sessions"]) + len(default_world.data(spec())["accounts"][1].get("sessions", []))
    assert passed["expired_sessions"] == live, "every session of the world was idle that long"
    assert _is(_call(mock.url, LIST, auth=SESSION), LIST, "badSession")
    assert _world_state(mock)["accounts"][0]["sessions"] == []


def test_an_advance_settles_a_30_second_rescue_at_30_seconds(mock: mock_process.RunningMock) -> None:
    mock.load_world(_default_world_with(transitions={"after": "seconds", "count": 30}, clock={"frozen": True}))
    assert _is(_call(mock.url, RESCUE), RESCUE, "ok")
    assert _clock(mock, "POST", "/_mock/clock/advance", seconds=29.999)["settled"] == []
    assert _status(mock, ELID) == statuses.RESCUING
    assert _is(_call(mock.url, RESCUE), RESCUE, "busy")
    assert _clock(mock, "POST", "/_mock/clock/advance", seconds=0.001)["settled"] == [{"elid": ELID, "status": statuses.RESCUED}]
    assert _status(mock, ELID) == statuses.RESCUED


def test_a_reset_puts_the_clock_back(mock: mock_process.RunningMock) -> None:
    _clock(mock, "PUT", frozen=True, now="2030-01-01T00:00:00Z")
    _clock(mock, "POST", "/_mock/clock/advance", seconds=86400)
    after_reset = _control(mock, "POST", "/_mock/reset").json()["clock"]
    assert after_reset["frozen"] is False and abs(after_reset["offset_seconds"]) < 1
    frozen_world = _default_world_with(clock={"frozen": True, "now": "2031-01-01T00:00:00Z"})
    mock.load_world(frozen_world)
    assert _clock(mock) | {"offset_seconds": 0} == {"now": "2031-01-01T00:00:00.000Z", "frozen": True, "offset_seconds": 0}
    _clock(mock, "POST", "/_mock/clock/advance", seconds=60)
    mock.load_world(frozen_world)
    assert _clock(mock)["now"] == "2031-01-01T00:00:00.000Z", "a world loaded again starts its clock again"


@pytest.mark.parametrize(
    ("path", "body", "detail"),
    [
        ("/_mock/clock/advance", {"seconds": -1}, "seconds: breaks the rule minimum"),
        ("/_mock/clock/advance", '{"seconds": NaN}', "NaN is not a JSON number"),
        ("/_mock/clock/advance", '{"seconds": Infinity}', "Infinity is not a JSON number"),
        ("/_mock/clock/advance", '{"seconds": 1e400}', "a number is not finite"),
        ("/_mock/clock/advance", {"seconds": 31536001}, "seconds: breaks the rule maximum"),
        ("/_mock/clock/advance", {"seconds": "10"}, "seconds: must be a number"),
        ("/_mock/clock/advance", {"seconds": True}, "seconds: must be a number"),
        ("/_mock/clock/advance", {}, "missing 'seconds'"),
        ("/_mock/clock/advance", {"seconds": 1, "frozen": True}, "unknown key 'frozen'"),
        ("/_mock/clock/advance", [1], "must be an object"),
        ("/_mock/clock", {}, "breaks the rule minProperties"),
        ("/_mock/clock", {"frozen": "yes"}, "frozen: must be a boolean"),
        ("/_mock/clock", {"now": "2030-01-01 00:00"}, "RFC 3339"),
        ("/_mock/clock", {"now": "2030-01-01T00:00:00"}, "RFC 3339"),
        ("/_mock/clock", {"now": "2030-02-30T00:00:00Z"}, "RFC 3339"),
        ("/_mock/clock", {"now": "1969-12-31T23:59:59Z"}, "from 1970"),
        ("/_mock/clock", {"now": 1893456000}, "now: must be a string"),
    ],
    ids=[
        "negative",
        "NaN",
        "Infinity",
        "a number too large for a float",
        "over a year",
        "a string",
        "a boolean",
        "no seconds",
        "an unknown key",
        "not an object",
        "nothing to set",
        "frozen not a boolean",
        "now without seconds",
        "now without an offset",
        "now not a date",
        "now before 1970",
        "now a number",
    ],
)
def test_a_bad_clock_request_is_refused_with_a_problem_and_changes_nothing(
    mock: mock_process.RunningMock, path: str, body: Any, detail: str
) -> None:
    _clock(mock, "PUT", frozen=True, now="2030-01-01T00:00:00Z")
    sent = {"content": body, "headers": {"Content-Type": "application/json"}} if isinstance(body, str) else {"json": body}
    answer = _control(mock, "PUT" if path == "/_mock/clock" else "POST", path, **sent)
    assert answer.status_code == 400
    assert detail in answer.json()["detail"], answer.text
    assert _clock(mock) | {"offset_seconds": 0} == {"now": "2030-01-01T00:00:00.000Z", "frozen": True, "offset_seconds": 0}


def test_the_clock_cannot_pass_the_year_9999(mock: mock_process.RunningMock) -> None:
    _clock(mock, "PUT", frozen=True, now="9999-12-31T00:00:00Z")
    answer = _control(mock, "POST", "/_mock/clock/advance", json={"seconds": 86400})
    assert answer.status_code == 400 and "9999" in answer.json()["detail"]
    assert _clock(mock)["now"] == "9999-12-31T00:00:00.000Z"
    assert _control(mock, "GET", "/_mock/world").status_code == 200, "the world is still shown"


# -- the journal ---------------------------------------------------------------------------------------------------


def test_the_journal_has_one_entry_per_request_in_order(mock: mock_process.RunningMock) -> None:
    sent = [(PREVIEW, {}), (RESCUE, {}), (LIST, {}), (UNRESCUE, {}), (UNRESCUE, {}), (RESCUE, {"elid": str(ELID_IN["suspended"])})]
    for operation_id, changes in sent:
        _call(mock.url, operation_id, **changes)
    HTTP.post(mock.url + "/", data={"func": "instances.fleio.reboot", "out": "json"})  # selects no operation
    entries = _journal(mock)
    assert [entry["operation"] for entry in entries] == [operation_id for operation_id, _ in sent] + ["-"]
    assert [entry["seq"] for entry in entries] == list(range(entries[0]["seq"], entries[0]["seq"] + len(entries)))
    answers = [entry["answer"].get("example", entry["answer"]["kind"]) for entry in entries[:-1]]
    assert answers == ["document", "ok", "document", "ok", "notRescued", "cannotRescue"]
    error = _example(RESCUE, "cannotRescue")["doc"]["error"]
    assert entries[5]["answer"]["error"] == {"type": error["$type"], "object": error["$object"]}
    assert entries[6]["answer"]["kind"] == "error"


def test_the_journal_is_filtered_by_func_operation_and_elid(mock: mock_process.RunningMock) -> None:
    stopped = ELID_IN[statuses.STOPPED]
    _call(mock.url, PREVIEW)
    _call(mock.url, RESCUE)
    _call(mock.url, RESCUE, elid=str(stopped))
    _call(mock.url, LIST)
    func = _form(RESCUE)["func"]  # the preview's too: one func, two operations
    assert [entry["operation"] for entry in _journal(mock, f"?func={func}")] == [PREVIEW, RESCUE, RESCUE]
    assert [entry.get("elid") for entry in _journal(mock, f"?operation={RESCUE}")] == [ELID, stopped]
    assert [entry["operation"] for entry in _journal(mock, f"?elid={stopped}")] == [RESCUE]
    assert [entry["operation"] for entry in _journal(mock, f"?operation={RESCUE}&elid={ELID}")] == [RESCUE]


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("?colour=red", "unknown filter"),
        ("?elid=abc", "elid"),
        ("?elid=%C2%B2", "elid"),
        ("?elid=" + "9" * 5000, "elid"),
        ("?elid=0", "elid"),
    ],
    ids=["an unknown filter", "letters", "a superscript two", "5,000 digits", "zero"],
)
def test_a_bad_journal_filter_is_refused_with_a_problem(mock: mock_process.RunningMock, query: str, detail: str) -> None:
    answer = _control(mock, "GET", "/_mock/journal" + query)
    assert answer.status_code == 400 and detail in answer.json()["detail"]


def test_deleting_the_journal_keeps_the_world(mock: mock_process.RunningMock) -> None:
    _call(mock.url, RESCUE)
    assert _control(mock, "DELETE", "/_mock/journal").status_code == 204
    assert _journal(mock) == []
    assert _status(mock, ELID) == statuses.RESCUED


# Distinctive secrets: no six characters of them occur by chance in the mock's answers or log.
ACCOUNT_PASSWORD, SESSION_SECRET, RESCUE_PASSWORD = "Qz7wKv-Tx9mPy", "Jq8ZvWxRkTs3Np", "Wv2QxZ-kYj5Rm"


def _pieces(text: str, size: int = 6) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def test_secrets_are_masked_in_the_journal_the_world_and_the_log(mock: mock_process.RunningMock) -> None:
    username = "journal@example.com"
    image = _default_world_with()["images"][0]
    mock.load_world(
        {
            "images": [image],
            "accounts": [
                {
                    "username": username,
                    "password": ACCOUNT_PASSWORD,
                    "sessions": [SESSION_SECRET],
                    "instances": [{"elid": 77, "status": "active"}],
                }
            ],
        }
    )
    login = _call(mock.url, LOGIN, username=username, password=ACCOUNT_PASSWORD)
    new_session = login["doc"]["auth"]["$id"]
    _call(mock.url, LIST, auth=SESSION_SECRET)
    rescue = _form(RESCUE, elid="77", select_boot=image["key"], zone=image["zone"], password=RESCUE_PASSWORD)
    del rescue["auth"]
    authinfo = f"{username}:{ACCOUNT_PASSWORD}"
    assert _is(_checked(HTTP.post(mock.url + "/", data=rescue | {"authinfo": authinfo}), RESCUE), RESCUE, "ok")
    _call(mock.url, PREVIEW, auth=new_session, elid="77")
    _call(mock.url, RESCUE, password=f"{RESCUE_PASSWORD} with spaces")  # refused by the form check, and logged
    shown = {
        "journal": json.dumps(_journal(mock)),
        "world": json.dumps(_world_state(mock)),
        "log": mock.output(),
    }
    # The new session is hex, as the UUIDs in these texts are: pieces of 8, so that none matches by chance.
    for secret, size in [(ACCOUNT_PASSWORD, 6), (SESSION_SECRET, 6), (RESCUE_PASSWORD, 6), (new_session, 8)]:
        for where, text in shown.items():
            assert not _pieces(secret, size) & _pieces(text, size), f"a piece of a secret is in the {where}"
    assert len(_journal(mock)) == 5 and "journal@example.com" in shown["journal"], "the requests were journaled"


# Tests on a mock of their own (a world file, --stateless): on one worker, so that each such mock starts once.
OWN_MOCKS = pytest.mark.xdist_group("emulator_own_mocks")


# -- worlds from the command line ----------------------------------------------------------------------------

FILE_WORLD: dict[str, Any] = {
    "session_idle_seconds": 3600,  # --session-idle 1 overrides it
    "transitions": {"after": "seconds", "count": 1000},  # --transitions reads:2 overrides it
    "clock": {"now": "2030-01-01T00:00:00Z"},  # --clock frozen freezes it, at this date
    "images": _default_world_with()["images"][:2],
    "accounts": [
        {
            "username": "file@example.com",
            "password": "File-Secret-1",
            "sessions": ["f11ef11ef11ef11ef11ef11e"],
            "instances": [
                {"elid": 101, "name": "db-1", "status": "stopped", "os_name": "Debian 12", "ip": "192.0.2.101"},
                {"elid": 102, "name": "db-2", "status": "rescued"},
            ],
        }
    ],
}
FILE_SESSION = FILE_WORLD["accounts"][0]["sessions"][0]


@pytest.fixture(scope="module")
def file_mock_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[mock_process.RunningMock]:
    path = tmp_path_factory.mktemp("world") / "world.yaml"
    path.write_text(yaml.safe_dump(FILE_WORLD), encoding="utf-8")
    port = str(mock_process.free_port())
    flags = ("--transitions", "reads:2", "--session-idle", "1", "--clock", "frozen")
    with mock_process.running("--port", port, "--world", str(path), *flags) as running:
        yield running


@pytest.fixture
def file_mock(file_mock_process: mock_process.RunningMock) -> mock_process.RunningMock:
    file_mock_process.reset()
    return file_mock_process


@OWN_MOCKS
def test_a_world_file_given_at_start_is_served(file_mock: mock_process.RunningMock) -> None:
    state = _world_state(file_mock)
    (account,) = state["accounts"]
    assert account["username"] == FILE_WORLD["accounts"][0]["username"]
    assert [(item["elid"], item["status"]) for item in account["instances"]] == [
        (item["elid"], item["status"]) for item in FILE_WORLD["accounts"][0]["instances"]
    ]
    assert (state["transitions"], state["session_idle_seconds"]) == (_transitions("reads:2"), 1), "the command line overrides the file"
    assert state["clock"] == {"now": "2030-01-01T00:00:00.000Z", "frozen": True, "offset_seconds": state["clock"]["offset_seconds"]}
    listed = _call(file_mock.url, LIST, auth=FILE_SESSION)
    assert [item["id"]["$"] for item in listed["doc"]["elem"]] == ["101", "102"]


@OWN_MOCKS
def test_transitions_reads_2_from_the_command_line(file_mock: mock_process.RunningMock) -> None:
    image = FILE_WORLD["images"][0]
    rescue = {"auth": FILE_SESSION, "elid": "101", "select_boot": image["key"], "zone": image["zone"]}
    assert _is(_call(file_mock.url, RESCUE, **rescue), RESCUE, "ok")
    assert _is(_call(file_mock.url, RESCUE, **rescue), RESCUE, "busy")
    seen = [_call(file_mock.url, LIST, auth=FILE_SESSION)["doc"]["elem"][0]["instance_status"]["$"] for _ in range(4)]
    # The world's rule: the list shows the passing status N times, then the settled one (see test_world.py).
    assert seen == [statuses.RESCUING, statuses.RESCUING, statuses.RESCUED, statuses.RESCUED]


@OWN_MOCKS
def test_session_idle_1_from_the_command_line(file_mock: mock_process.RunningMock) -> None:
    # The clock is frozen (--clock frozen): only these advances move it, however slow the machine.
    for _ in range(3):
        file_mock.control.advance(1)  # exactly the idle time since the last use: alive, and kept alive
        assert "elem" in _call(file_mock.url, LIST, auth=FILE_SESSION)["doc"]
    file_mock.control.advance(1.001)
    assert _is(_call(file_mock.url, LIST, auth=FILE_SESSION), LIST, "badSession")
    assert _world_state(file_mock)["accounts"][0]["sessions"] == []
    _control(file_mock, "POST", "/_mock/reset")
    assert "elem" in _call(file_mock.url, LIST, auth=FILE_SESSION)["doc"], "a reset makes the start world's sessions live again"


def test_a_bad_world_file_stops_the_mock_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "world.yaml"
    bad = copy.deepcopy(FILE_WORLD)
    bad["accounts"][0]["instances"][1]["status"] = "Rescued!"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    run = subprocess.run(
        [mock_process.COMMAND, "--port", str(mock_process.free_port()), "--world", str(path)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 1
    (line,) = run.stderr.strip().splitlines()
    assert str(path) in line and "accounts[0].instances[1].status" in line and "pattern" in line, line
    assert "File-Secret-1" not in line


# -- --stateless -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stateless_mock() -> Iterator[mock_process.RunningMock]:
    with mock_process.running("--port", str(mock_process.free_port()), "--stateless") as running:
        yield running


@OWN_MOCKS
@pytest.mark.parametrize(("method", "path"), [("GET", "/_mock/world"), ("POST", "/_mock/reset")])
def test_stateless_serves_no_control_api(stateless_mock: mock_process.RunningMock, method: str, path: str) -> None:
    answer = HTTP.request(method, stateless_mock.url + path)
    assert answer.status_code == 200
    document = answer.json()
    assert not list(answer_validator("ErrorDoc").iter_errors(document)), document
    assert document["doc"]["error"]["$object"] == "path"


@OWN_MOCKS
def test_stateless_answers_every_rescue_with_ok(stateless_mock: mock_process.RunningMock) -> None:
    assert [_is(_call(stateless_mock.url, RESCUE), RESCUE, "ok") for _ in range(2)] == [True, True]


@OWN_MOCKS
def test_stateless_answers_the_example_prefer_names(stateless_mock: mock_process.RunningMock) -> None:
    for name in sorted(operations()[RESCUE].response_examples):
        answer = HTTP.post(stateless_mock.url + "/", data=_form(RESCUE), headers={"Prefer": f"example={name}"})
        assert _checked(answer, RESCUE) == _example(RESCUE, name)


# -- clients racing -----------------------------------------------------------------------------------------------------


def _race(url: str, forms: list[list[dict[str, str]]]) -> list[list[dict[str, Any]]]:
    """Each client (a thread with its own connection) sends its forms in turn; all start together."""
    barrier = threading.Barrier(len(forms))
    answers: list[list[dict[str, Any]]] = [[] for _ in forms]

    def client(index: int) -> None:
        with httpx.Client(timeout=30) as http:
            http.get(url + "/_mock/faults")  # connected before the race: the control API is not journaled
            barrier.wait()
            for form in forms[index]:
                answers[index].append(http.post(url + "/", data=form).json())

    threads = [threading.Thread(target=client, args=(index,)) for index in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


@pytest.mark.parametrize(("transitions", "losers_get"), [("immediate", "alreadyRescued"), ("reads:1", "busy")])
def test_ten_clients_racing_to_rescue_one_instance_one_wins(mock: mock_process.RunningMock, transitions: str, losers_get: str) -> None:
    mock.load_world(_default_world_with(transitions=_transitions(transitions)))
    answers = [answer for (answer,) in _race(mock.url, [[_form(RESCUE)]] * 10)]
    for answer in answers:
        _checked_document(answer, RESCUE)
    assert sorted(answers, key=json.dumps) == sorted([_example(RESCUE, "ok")] + [_example(RESCUE, losers_get)] * 9, key=json.dumps)
    assert _status(mock, ELID) == (statuses.RESCUED if transitions == "immediate" else statuses.RESCUING)
    entries = _journal(mock, f"?operation={RESCUE}")
    assert len(entries) == len(_journal(mock)) == 10
    assert sorted(entry["answer"]["example"] for entry in entries) == sorted(["ok"] + [losers_get] * 9)


def _checked_document(document: dict[str, Any], operation_id: str) -> None:
    errors = [error.message for error in validator(operations()[operation_id].response_pointer).iter_errors(document)]
    assert not errors, document


class Lifecycle:
    """The rescue lifecycle as the control API's document describes it, to replay a journal against."""

    def __init__(self, status: str, transitions: str) -> None:
        self.status, self.reads = status, transitions.startswith("reads")

    def rescue(self) -> str:
        if self.status in statuses.BUSY:
            return "busy"
        if self.status == statuses.RESCUED:
            return "alreadyRescued"
        self.status = statuses.RESCUING if self.reads else statuses.RESCUED
        return "ok"

    def unrescue(self) -> str:
        if self.status in statuses.BUSY:
            return "busy"
        if self.status != statuses.RESCUED:
            return "notRescued"
        self.status = statuses.UNRESCUING if self.reads else statuses.ACTIVE
        return "ok"

    def read(self) -> str:
        self.status = {statuses.RESCUING: statuses.RESCUED, statuses.UNRESCUING: statuses.ACTIVE}.get(self.status, self.status)
        return self.status


@pytest.mark.parametrize("transitions", ["immediate", "reads:1"])
def test_rescues_unrescues_and_lists_racing_leave_no_torn_state(mock: mock_process.RunningMock, transitions: str) -> None:
    mock.load_world(_default_world_with(transitions=_transitions(transitions)))
    steps = [(RESCUE, _form(RESCUE)), (UNRESCUE, _form(UNRESCUE)), (LIST, _form(LIST, **WHOLE_LIST))]
    plans = [[steps[(client + turn) % len(steps)] for turn in range(9)] for client in range(6)]
    answers = _race(mock.url, [[form for _, form in plan] for plan in plans])
    lifecycle = {statuses.ACTIVE, statuses.RESCUING, statuses.RESCUED, statuses.UNRESCUING}
    for plan, got in zip(plans, answers, strict=True):
        for (operation_id, _), answer in zip(plan, got, strict=True):
            _checked_document(answer, operation_id)
            if operation_id == LIST:
                (status,) = [item["instance_status"]["$"] for item in answer["doc"]["elem"] if int(item["id"]["$"]) == ELID]
                assert status in lifecycle
    # The journal, replayed through the lifecycle in its order, gives the answer of each rescue and
    # unrescue, and ends in the status the world shows: no update lost, none half done.
    model = Lifecycle(EVERY_STATE[ELID], transitions)
    entries = _journal(mock)
    assert len(entries) == sum(len(plan) for plan in plans)
    for entry in entries:
        if entry["operation"] == LIST:
            model.read()
        else:
            expected = model.rescue() if entry["operation"] == RESCUE else model.unrescue()
            assert entry["answer"]["example"] == expected, entry
    assert _status(mock, ELID) == model.status
    oks = sum(answer == _example(RESCUE, "ok") for got in answers for answer in got)
    assert oks == sum(entry["answer"].get("example") == "ok" for entry in entries)


# -- the control API's other bodies, and the plugin's handle on them (zomro_mock.testing.Mock) -------------------------


@pytest.mark.parametrize("path", ["/_mock/faults", "/_mock/clock/advance"])
def test_a_control_body_of_another_type_is_refused_as_such(mock: mock_process.RunningMock, path: str) -> None:
    answer = _control(mock, "POST", path, content=b"operation: rescueInstance", headers={"Content-Type": "text/plain"})
    assert answer.status_code == 415 and answer.headers["content-type"] == "application/problem+json", answer.text
    assert "text/plain" in answer.json()["detail"]


def test_the_handles_faults_drop_a_connection_or_only_delay_an_answer(mock: mock_process.RunningMock) -> None:
    from zomro_mock.testing import Mock

    handle = Mock(mock.url)
    dropped = handle.fault(LIST, drop=True)
    delayed = handle.fault(LIST, delay_ms=1)  # no error: the answer is the usual one, later
    assert dropped["drop"] is True and "error" not in dropped and "error" not in delayed
    with pytest.raises(httpx.TransportError):
        _call(mock.url, LIST)
    assert "elem" in _call(mock.url, LIST)["doc"]
    assert handle.faults() == []


def test_the_handles_account_is_the_worlds_first_and_hides_its_secrets(mock: mock_process.RunningMock) -> None:
    from zomro_mock.testing import Mock

    account = Mock(mock.url).account
    first = default_world.data(spec())["accounts"][0]
    assert (account.username, account.password, account.session) == (first["username"], first["password"], first["sessions"][0])
    shown = repr(account)
    assert account.password not in shown and str(account.session) not in shown
    assert f"password=<{len(account.password)} characters, hidden>" in shown
