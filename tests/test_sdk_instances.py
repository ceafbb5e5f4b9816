"""The SDK and the command follow an instance's status through the instance list, as a server may send it."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from zomro_contract import statuses
from zomro_rescue import AsyncRescueClient, Instance, InstanceNotFound, RescueClient
from zomro_rescue import instances as sdk_instances
from zomro_rescue.cli import main
from zomro_testkit import article, mock_process
from zomro_testkit.contract import resolve
from zomro_testkit.quirky_server import Form, QuirkyServer, billmanager, example, json_answer

ELID = int(article.curl_example("rescue").form["elid"])
SESSION = article.curl_example("rescue").form["auth"]


def _example_instances(name: str) -> list[dict[str, Any]]:
    elem = example("listInstances", name)["doc"].get("elem", [])
    return elem if isinstance(elem, list) else [elem]


def _client(url: str, example_name: str | None = None) -> RescueClient:
    return RescueClient(url, session=SESSION, headers={"Prefer": f"example={example_name}"} if example_name else None)


def test_instances_are_the_default_worlds(mock: mock_process.RunningMock) -> None:
    with _client(mock.url) as zomro:
        listed = zomro.instances()
    assert [(i.elid, i.name, i.status) for i in listed] == [
        (int(item["id"]["$"]), item["name"]["$"], item["instance_status"]["$"]) for item in _example_instances("everyState")
    ]


@pytest.mark.parametrize(
    ("example_name", "busy", "rescued"), [("instances", False, False), ("rescuing", True, False), ("rescued", False, True)]
)
def test_status_follows_the_rescue(mock: mock_process.RunningMock, example_name: str, busy: bool, rescued: bool) -> None:
    with _client(mock.url, example_name) as zomro:
        instance = zomro.status(ELID)
    assert (instance.elid, instance.busy, instance.rescued) == (ELID, busy, rescued)


def test_status_async(mock: mock_process.RunningMock) -> None:
    async def run() -> tuple[Instance, list[Instance]]:
        async with AsyncRescueClient(mock.url, session=SESSION, headers={"Prefer": "example=rescuing"}) as zomro:
            return await zomro.status(ELID), await zomro.instances()

    instance, listed = asyncio.run(run())
    # One instance in the list comes as an object (the one-element rule), read as a list of one.
    assert instance.status == "rescuing" and instance.busy and [i.elid for i in listed] == [ELID]


def test_an_empty_account(mock: mock_process.RunningMock) -> None:
    with _client(mock.url, "noInstances") as zomro:
        assert zomro.instances() == []
        with pytest.raises(InstanceNotFound, match=rf"{ELID}.*zomro-rescue instances"):
            zomro.status(ELID)


# The contract's InstanceStatus table says what each status allows; the SDK's sets must say the same.
def _status_table() -> dict[str, str]:
    description = resolve({"$ref": "#/components/schemas/InstanceStatus"})["description"]
    rows = {}
    for line in description.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            for value in re.findall(r"`([a-z_]+)`", cells[0]):
                rows[value] = cells[2]
    return rows


def test_the_sdks_status_sets_are_the_contracts() -> None:
    table = _status_table()
    assert {value for value, next_step in table.items() if next_step.startswith("wait")} == statuses.BUSY
    assert {value for value, next_step in table.items() if next_step == "rescue"} == statuses.RESCUABLE
    assert table[statuses.RESCUED].startswith("repair, then unrescue")


# Paging, against a server with many instances.
def _item(elid: int, **columns: Any) -> dict[str, Any]:
    return {"id": {"$": str(elid)}, "name": {"$": f"vm-{elid}"}, "instance_status": {"$": "active"}, **columns}


def _paged(items: list[dict[str, Any]], honour_paging: bool = True) -> Any:
    def page(form: Form) -> Any:
        size, number = int(form.get("p_cnt", 10)), int(form.get("p_num", 1))
        chosen = items[(number - 1) * size : number * size] if honour_paging else items[:size]
        doc: dict[str, Any] = {"p_cnt": {"$": str(size)}, "p_num": {"$": str(number)}, "p_elems": {"$": str(len(items))}}
        if chosen:
            doc["elem"] = chosen[0] if len(chosen) == 1 else chosen
        return json_answer({"doc": doc})

    return billmanager(listInstances=page)


MANY = [_item(1000 + n) for n in range(2 * sdk_instances.PAGE_SIZE + 1)]


@pytest.fixture
def server() -> Iterator[QuirkyServer]:
    with QuirkyServer() as running:
        yield running


def _list_requests(server: QuirkyServer) -> list[Form]:
    return [form for form in server.requests if form.get("func") == "instances"]


def test_every_page_is_read(server: QuirkyServer) -> None:
    server.scenario = _paged(MANY)
    with _client(server.url) as zomro:
        assert [i.elid for i in zomro.instances()] == [1000 + n for n in range(len(MANY))]
    # The last page holds one instance, as an object.
    assert [form["p_num"] for form in _list_requests(server)] == ["1", "2", "3"]


def test_status_stops_at_the_page_that_has_it(server: QuirkyServer) -> None:
    server.scenario = _paged(MANY)
    with _client(server.url) as zomro:
        assert zomro.status(1000 + sdk_instances.PAGE_SIZE).elid == 1000 + sdk_instances.PAGE_SIZE
    assert len(_list_requests(server)) == 2


def test_a_server_that_ignores_paging_is_read_once_more_not_forever(server: QuirkyServer) -> None:
    server.scenario = _paged(MANY, honour_paging=False)
    with _client(server.url) as zomro:
        assert len(zomro.instances()) == sdk_instances.PAGE_SIZE
    assert len(_list_requests(server)) == 2


def test_items_are_read_as_a_server_may_send_them(server: QuirkyServer) -> None:
    items = [
        _item(1, instance_status={"$": "  Rescued \n"}),  # compared trimmed and in lower case, as the panel does
        {"id": {"$": "2"}, "fotbo_status": {"$": "rescuing"}},  # the field's name before mid-2024
        _item(3, createdate=[{"$": "2024-01-01"}, {"$": "2024-01-02"}], mainipaddress={"$": "192.0.2.3"}),
        {"name": {"$": "no id"}},  # nothing can be done with it: skipped
        "not an object",
        _item(4, instance_status={"$": "migrating"}),  # a status nobody listed: a status all the same
    ]
    server.scenario = _paged(items)
    with _client(server.url) as zomro:
        listed = {i.elid: i for i in zomro.instances()}
    assert sorted(listed) == [1, 2, 3, 4]
    assert listed[1].rescued and listed[2].busy
    assert listed[3].columns["createdate"] == "2024-01-01" and listed[3].columns["mainipaddress"] == "192.0.2.3"
    assert (listed[4].status, listed[4].busy, listed[4].can_rescue) == ("migrating", False, False)


# The command.
def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def session_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ZOMRO_API_URL", "ZOMRO_USERNAME", "ZOMRO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ZOMRO_AUTH", SESSION)


def test_command_status(server: QuirkyServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.scenario = billmanager(listInstances=json_answer(example("listInstances", "rescuing")))
    code, out, _ = _run(capsys, "--url", server.url, "status", str(ELID))
    assert code == 0 and f"instance {ELID}" in out and "rescuing" in out and "wait" in out
    code, out, _ = _run(capsys, "--url", server.url, "status", str(ELID), "--json")
    shown = json.loads(out)
    assert code == 0 and {name: shown[name] for name in ("elid", "status", "busy", "rescued", "can_rescue")} == {
        "elid": ELID,
        "status": "rescuing",
        "busy": True,
        "rescued": False,
        "can_rescue": False,
    }


def test_command_status_of_an_instance_not_listed(server: QuirkyServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.scenario = billmanager(listInstances=json_answer(example("listInstances", "noInstances")))
    code, out, err = _run(capsys, "--url", server.url, "status", str(ELID))
    assert (code, out) == (2, "") and len(err.strip().splitlines()) == 1 and "zomro-rescue instances" in err


def test_command_instances(server: QuirkyServer, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--url", server.url, "instances")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["ID", "name", "status", "IP", "OS"]
    assert [line.split()[0] for line in lines[2:]] == [item["id"]["$"] for item in _example_instances("instances")]
    code, out, _ = _run(capsys, "--url", server.url, "instances", "--json")
    assert [entry["elid"] for entry in json.loads(out)] == [int(item["id"]["$"]) for item in _example_instances("instances")]


def test_command_says_when_the_session_is_refused(server: QuirkyServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.scenario = billmanager(listInstances=json_answer(example("listInstances", "badSession")))
    code, out, err = _run(capsys, "--url", server.url, "instances")
    assert (code, out) == (3, "") and "access" in err and SESSION not in err
