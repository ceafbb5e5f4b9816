"""`zomro-rescue world`: an account recorded as a world for `zomro-rescue-mock --world`.

Recorded from our mock and loaded into it, the world lists the same instances and offers each the same images;
it reads and only reads (the instance list, page by page, and previews), a second apart against the provider's API;
it writes no secret, placeholders instead, and says how to set them; what the World format cannot hold is left out
and said. The command runs in the test's process (zomro_testkit.command); the guide's session runs it as a process,
with the world loaded by `--world`.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from zomro_mock import world_file
from zomro_rescue import RescueClient
from zomro_rescue.client import DEFAULT_URL, MIN_INTERVAL
from zomro_rescue.pacing import Pace, interval_for
from zomro_rescue.probe import Probe
from zomro_rescue.recorder import (
    IP_LENGTH,
    NAME_LENGTH,
    OS_NAME_LENGTH,
    PLACEHOLDER_PASSWORD,
    PLACEHOLDER_SESSION,
    STATUS,
    USERNAME,
    USERNAME_LENGTH,
    PacedClient,
)
from zomro_testkit import article, command, mock_process
from zomro_testkit.contract import operations
from zomro_testkit.quirky_server import QuirkyServer, billmanager, example, json_answer

SESSION = article.curl_example("preview").form["auth"]  # live in the mock's default world
LOGIN = operations()["logIn"].request_examples["login"]["value"]
OK, USAGE = 0, 2


def _world(url: str, *args: str, env: dict[str, str] | None = None) -> command.Result:
    result = command.run(["--url", url, "world", *args], env if env is not None else {"ZOMRO_AUTH": SESSION})
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _seen(url: str, session: str) -> dict[int, tuple[Any, ...]]:
    """Every instance as the SDK sees it, with the images it is offered: what a test against the mock meets."""
    with RescueClient(url, session=session) as zomro:
        return {
            i.elid: (i.name, i.status, i.os_name, i.ip, [(m.uuid, m.os_name, m.image_name, m.zone) for m in zomro.images(i.elid)])
            for i in zomro.instances()
        }


def test_a_world_recorded_from_the_mock_and_loaded_lists_the_same_instances_and_images(mock: mock_process.RunningMock) -> None:
    before = _seen(mock.url, SESSION)
    recorded = _world(mock.url)
    assert recorded.returncode == OK, recorded.stderr
    data = yaml.safe_load(recorded.stdout)
    world_file.build(data, "the recorded world")  # as --world reads it: valid, or a one-line error
    mock.load_world(data)
    assert _seen(mock.url, PLACEHOLDER_SESSION) == before
    assert len(before) == 5 and all(len(images) == len(article.images()) for *_, images in before.values())


def test_an_account_of_more_than_a_page_is_read_page_by_page(mock: mock_process.RunningMock) -> None:
    image = {"key": str(article.images()[0].uuid), "os_name": article.images()[0].os_name, "zone": "pub"}
    instances = [{"elid": 1000 + number, "status": "active"} for number in range(130)]
    mock.load_world({"images": [image], "accounts": [{"username": "u", "password": "p", "sessions": ["s1"], "instances": instances}]})
    recorded = yaml.safe_load(_world(mock.url, env={"ZOMRO_AUTH": "s1"}).stdout)
    assert [i["elid"] for i in recorded["accounts"][0]["instances"]] == [i["elid"] for i in instances]
    assert len(mock.control.journal(operation="listInstances")) == 2 and len(mock.control.journal(operation="previewRescueImages")) == 130


def test_it_says_how_to_set_the_secrets_it_does_not_write(mock: mock_process.RunningMock, tmp_path: Path) -> None:
    out = tmp_path / "world.yaml"
    logged_in = _world(mock.url, "--username", LOGIN["username"], "--out", str(out), env={"ZOMRO_PASSWORD": LOGIN["password"]})
    assert logged_in.returncode == OK, logged_in.stderr
    assert logged_in.stdout == f"recorded 5 instances and 15 images into {out}; no secret is written there\n"
    text = out.read_text()
    (account,) = yaml.safe_load(text)["accounts"]
    assert (account["username"], account["password"], account["sessions"]) == (
        LOGIN["username"],
        PLACEHOLDER_PASSWORD,
        [PLACEHOLDER_SESSION],
    )
    assert LOGIN["password"] not in text and SESSION not in text
    head = [line for line in text.splitlines() if line.startswith("#")]
    assert any("No secret is written here" in line for line in head) and any("Set `password`" in line for line in head)
    assert [path.name for path in tmp_path.iterdir()] == ["world.yaml"], "no temporary file left beside it"


def test_instance_limits_it_to_those_named(mock: mock_process.RunningMock) -> None:
    two = yaml.safe_load(_world(mock.url, "--instance", "5203776", "--instance", "5203773").stdout)
    assert [i["elid"] for i in two["accounts"][0]["instances"]] == [5203773, 5203776]  # in the list's order
    missing = _world(mock.url, "--instance", "5203900")  # another account's
    assert missing.returncode == USAGE and missing.stdout == "" and "5203900 is not in the account's instance list" in missing.stderr
    assert _world(mock.url, "--instance", "0").returncode == USAGE


def test_it_only_reads() -> None:
    with QuirkyServer(billmanager()) as server:
        assert _world(server.url).returncode == OK
        assert _world(server.url, "--username", "u", env={"ZOMRO_PASSWORD": "p"}).returncode == OK
    assert {form["func"] for form in server.requests} == {"auth", "instances", "instances.fleio.rescue"}
    assert all("sok" not in form for form in server.requests)


def test_what_the_world_format_cannot_hold_is_left_out_and_said() -> None:
    listed = copy.deepcopy(example("listInstances", "instances"))
    first, second = listed["doc"]["elem"][:2]
    second["instance_status"] = {"$": "In Progress"}  # a status the World format does not take
    first["name"] = {"$": "n" * 300}  # longer than the format's 255
    preview = copy.deepcopy(example("previewRescueImages", "preview"))
    boot = next(select for select in preview["doc"]["slist"] if select["$name"] == "select_boot")
    boot["val"].append({"$depend": "pub", "$key": "not-a-uuid", "$": "Odd Image"})
    scenario = billmanager(listInstances=json_answer(listed), previewRescueImages=json_answer(preview))
    with QuirkyServer(scenario) as server:
        recorded = _world(server.url)
    assert recorded.returncode == OK, recorded.stderr
    data = yaml.safe_load(recorded.stdout)
    world_file.build(data, "the recorded world")
    instances = data["accounts"][0]["instances"]
    assert int(second["id"]["$"]) not in [i["elid"] for i in instances] and len(instances[0]["name"]) == NAME_LENGTH
    notes = [line for line in recorded.stdout.splitlines() if line.startswith("# Note: ")]
    assert any("'in progress'" in note for note in notes) and any("not-a-uuid" in note for note in notes), notes


def test_calls_are_a_second_apart_against_the_providers_api_only() -> None:
    assert interval_for(DEFAULT_URL) == interval_for(DEFAULT_URL + "/") == MIN_INTERVAL == 1.0
    assert interval_for("http://127.0.0.1:4010") == 0.0
    assert PacedClient(DEFAULT_URL, session="s").pace.interval == Probe(DEFAULT_URL, session="s")._pace.interval == MIN_INTERVAL
    now, slept = [0.0], []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pace = Pace(1.0, clock=lambda: now[0], sleep=sleep)
    pace.wait()  # the first call goes at once
    now[0] += 0.25  # the call took a quarter of a second
    pace.wait()
    now[0] += 3.0  # a slow call: no need to wait after it
    pace.wait()
    assert slept == [0.75]


def test_its_bounds_are_the_world_formats() -> None:
    schemas = world_file.control_api().spec["components"]["schemas"]
    instance, account = schemas["Instance"]["properties"], schemas["Account"]["properties"]
    assert (instance["name"]["maxLength"], instance["os_name"]["maxLength"], instance["ip"]["maxLength"]) == (
        NAME_LENGTH,
        OS_NAME_LENGTH,
        IP_LENGTH,
    )
    assert schemas["Image"]["properties"]["os_name"]["maxLength"] == OS_NAME_LENGTH
    assert instance["status"]["pattern"] == f"^{STATUS.pattern.replace('{1,64}', '+')}$" and instance["status"]["maxLength"] == 64
    assert (
        account["username"]["maxLength"] == USERNAME_LENGTH
        and account["username"]["pattern"] == f"^{USERNAME.pattern.replace('{1,254}', '+')}$"
    )
    sessions = account["sessions"]["items"]
    assert len(PLACEHOLDER_SESSION) <= sessions["maxLength"] and world_file.build(
        {"accounts": [{"username": "u", "password": PLACEHOLDER_PASSWORD, "sessions": [PLACEHOLDER_SESSION]}]}, "placeholders"
    )


@pytest.mark.parametrize("args", [["--help"]])
def test_help_shows_an_example(args: list[str]) -> None:
    result = command.run(["world", *args])
    assert result.returncode == OK and "zomro-rescue world --out world.yaml" in result.stdout
