"""The emulated server's world, in-process (no HTTP): the lifecycle, every refusal, the timing models,
the documents the emulator builds, the default world, world files, and the cost of a large world.

Expected values come from the contract (openapi.yaml's examples and schemas) and the control API's
document (control-api.yaml), not from literals restated here. A fake clock stands in for time.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, Literal

import pytest
import yaml
from zomro_contract import statuses
from zomro_contract.billmanager import as_list
from zomro_contract.operations import load
from zomro_mock import default_world, emulator, world, world_file
from zomro_mock.clock import Clock
from zomro_mock.world import Refused, Timing, World
from zomro_testkit.contract import SPEC_PATH, answer_validator, operations, spec, validator

# -- the contract's examples, which the default world is made from --------------------------------------

LOGIN, PREVIEW, RESCUE, UNRESCUE, LIST = "logIn", "previewRescueImages", "rescueInstance", "unrescueInstance", "listInstances"


def _request(operation_id: str) -> dict[str, Any]:
    """The operation's first request example, as a form (every value text, as it comes over the wire)."""
    value = next(iter(operations()[operation_id].request_examples.values()))["value"]
    return {name: str(item) for name, item in value.items()}


def _response(operation_id: str, name: str) -> Any:
    return operations()[operation_id].response_examples[name]["value"]


def _every_state() -> list[dict[str, Any]]:
    return as_list(_response(LIST, "everyState")["doc"].get("elem"))


ARTICLE = _request(RESCUE)  # the article's rescue: its session, instance, image and zone
SESSION, ELID, IMAGE, ZONE = ARTICLE["auth"], int(ARTICLE["elid"]), ARTICLE["select_boot"], ARTICLE["zone"]
LOGIN_FORM = _request(LOGIN)
STATUS_OF = {int(item["id"]["$"]): item["instance_status"]["$"] for item in _every_state()}
ELID_IN = {status: elid for elid, status in STATUS_OF.items()}  # an instance of the account in each state the example shows
OTHERS = default_world.OTHER_INSTANCE["elid"]  # the second account's instance
NO_SUCH_ELID = max(STATUS_OF) + 1000


def _error_examples() -> dict[str, dict[str, tuple[str, str]]]:
    """Each operation's error examples, by name: their `$type` and `$object` (what the mock gives its emulator)."""
    return {
        operation_id: {
            name: (example["value"]["doc"]["error"]["$type"], example["value"]["doc"]["error"]["$object"])
            for name, example in op.response_examples.items()
            if "error" in example["value"]["doc"]
        }
        for operation_id, op in operations().items()
    }


# -- worlds -------------------------------------------------------------------------------------------------


class FakeClock:
    """Real time as the world's clock reads it, moved by hand: time passing outside the world, as it does
    while a mock runs. Whole seconds, so that advancing by binary fractions (0.25) lands exactly."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _clock(fake: FakeClock) -> Clock:
    """The world's clock on fake real time: its monotonic and its wall time both the fake's, so nothing moves unasked."""
    return Clock(real=fake, wall=lambda: 1_800_000_000 + fake.now)


def _default_data() -> dict[str, Any]:
    return default_world.data(spec())


def _world(data: dict[str, Any] | None = None, *, clock: FakeClock | None = None, timing: Timing | None = None) -> World:
    """A world as the mock starts one: built from World-format data, on a fake clock, begun now."""
    built = world_file.build(copy.deepcopy(data if data is not None else _default_data()), "the test's world")
    built.clock = _clock(clock or FakeClock())
    if timing is not None:
        built.timing = timing
    built.begin()
    return built


def _emulator(data: dict[str, Any] | None = None, *, clock: FakeClock | None = None) -> emulator.Emulator:
    initial = world_file.build(copy.deepcopy(data if data is not None else _default_data()), "the test's world")
    initial.clock = _clock(clock or FakeClock())
    catalogue = load(SPEC_PATH)
    secrets = frozenset().union(*(op.secret_fields for op in catalogue.by_selector.values()))
    return emulator.Emulator(initial, _error_examples(), secrets, known_fields=catalogue.all_fields)


def _me(w: World) -> world.Account:
    return w.account(SESSION, None)


def _refused(action: Callable[[], object]) -> str:
    """The name of the contract's example the world refuses with."""
    with pytest.raises(Refused) as refused:
        action()
    return refused.value.example


def _status(w: World, elid: int) -> str:
    return w.instances[elid].status


def _listed_status(w: World, elid: int) -> str:
    """One read of the instance list (the whole account on one page): the status it shows for `elid`."""
    chosen, _ = w.listed(_me(w), page_size=len(_me(w).elids), page=1)
    (item,) = [instance for instance in chosen if instance.elid == elid]
    return item.status


def _rescue(w: World, elid: int, image: str = IMAGE, zone: str = ZONE) -> world.Image:
    return w.rescue(_me(w), elid, image, zone)


def _statuses(w: World) -> dict[int, str]:
    return {elid: instance.status for elid, instance in w.instances.items()}


# -- the lifecycle ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", [statuses.ACTIVE, statuses.STOPPED])
def test_rescue_takes_an_active_or_stopped_instance_to_rescued(start: str) -> None:
    w = _world()
    image = _rescue(w, ELID_IN[start])
    assert (image.key, image.zone) == (IMAGE, ZONE)
    assert _status(w, ELID_IN[start]) == statuses.RESCUED


def test_unrescue_takes_a_rescued_instance_back_to_active() -> None:
    w = _world()
    w.unrescue(_me(w), ELID_IN[statuses.RESCUED])
    assert _status(w, ELID_IN[statuses.RESCUED]) == statuses.ACTIVE


def test_a_stopped_instance_comes_back_active_after_rescue_and_unrescue() -> None:
    w = _world()
    elid = ELID_IN[statuses.STOPPED]
    _rescue(w, elid)
    w.unrescue(_me(w), elid)
    assert _status(w, elid) == statuses.ACTIVE


def test_immediate_transitions_never_show_a_passing_status() -> None:
    w = _world(timing=Timing("immediate"))
    _rescue(w, ELID)
    assert _listed_status(w, ELID) == statuses.RESCUED
    w.unrescue(_me(w), ELID)
    assert _listed_status(w, ELID) == statuses.ACTIVE


# -- refusals ------------------------------------------------------------------------------------------------


def test_an_unknown_session_is_refused() -> None:
    assert _refused(lambda: _world().account("0" * len(SESSION), None)) == world.BAD_SESSION


def test_a_session_expires_after_session_idle_seconds_without_use() -> None:
    clock = FakeClock()
    w = _world(_default_data() | {"session_idle_seconds": 60}, clock=clock)
    clock.advance(59.9)
    _me(w)  # used: idle again from now
    clock.advance(59.9)
    _me(w)
    clock.advance(60.1)
    assert _refused(lambda: _me(w)) == world.BAD_SESSION
    clock.advance(-1000)  # an expired session is gone: not even a clock going back revives it
    assert _refused(lambda: _me(w)) == world.BAD_SESSION


def test_an_expired_session_is_not_shown_as_live() -> None:
    clock = FakeClock()
    w = _world(_default_data() | {"session_idle_seconds": 60}, clock=clock)
    (mine, _) = world_file.state(w)["accounts"]
    assert len(mine["sessions"]) == len(_default_data()["accounts"][0]["sessions"])
    clock.advance(61)
    assert world_file.state(w)["accounts"][0]["sessions"] == []


def test_neither_auth_nor_authinfo_is_refused() -> None:
    w = _world()
    assert _refused(lambda: w.account(None, None)) == world.NO_CREDENTIALS
    assert _refused(lambda: w.account("", "")) == world.NO_CREDENTIALS


@pytest.mark.parametrize(
    "authinfo",
    [
        f"{LOGIN_FORM['username']}:{LOGIN_FORM['password']}x",
        f"nobody@example.com:{LOGIN_FORM['password']}",
        LOGIN_FORM["username"],
        f"{default_world.OTHER_ACCOUNT['username']}:{LOGIN_FORM['password']}",
    ],
    ids=["wrong password", "no such account", "no password", "another account's name"],
)
def test_wrong_authinfo_is_refused(authinfo: str) -> None:
    assert _refused(lambda: _world().account(None, authinfo)) == world.BAD_AUTHINFO


def test_right_authinfo_acts_for_its_account() -> None:
    assert _world().account(None, f"{LOGIN_FORM['username']}:{LOGIN_FORM['password']}").username == LOGIN_FORM["username"]


def test_a_login_with_a_wrong_password_is_refused() -> None:
    w = _world()
    assert _refused(lambda: w.login(LOGIN_FORM["username"], LOGIN_FORM["password"] + "x")) == world.BAD_CREDENTIALS
    assert _refused(lambda: w.login("nobody@example.com", LOGIN_FORM["password"])) == world.BAD_CREDENTIALS


def _actions(w: World, elid: int) -> dict[str, Callable[[], object]]:
    return {
        "preview": lambda: w.instance(_me(w), elid),
        "rescue": lambda: _rescue(w, elid),
        "unrescue": lambda: w.unrescue(_me(w), elid),
    }


@pytest.mark.parametrize("action", ["preview", "rescue", "unrescue"])
@pytest.mark.parametrize("elid", [NO_SUCH_ELID, OTHERS], ids=["missing", "another account's"])
def test_an_instance_that_is_missing_or_not_the_accounts_is_refused(action: str, elid: int) -> None:
    w = _world()
    before = _statuses(w)
    assert _refused(_actions(w, elid)[action]) == world.BAD_ELID
    assert _statuses(w) == before


def _known_statuses() -> list[str]:
    """Every status the contract's InstanceStatus lists (its examples)."""
    return sorted(spec()["components"]["schemas"]["InstanceStatus"]["properties"]["$"]["examples"])


@pytest.mark.parametrize("move", world.LIFECYCLE, ids=lambda move: move.operation)
@pytest.mark.parametrize("status", _known_statuses())
def test_the_world_plays_its_transition_table(move: world.Move, status: str) -> None:
    """In every status the contract knows, a call starts or is refused exactly as LIFECYCLE (and so the drawn lifecycle) says."""
    data = _default_data()
    data["accounts"][0]["instances"].append({"elid": NO_SUCH_ELID, "name": "probe", "status": status})
    w = _world(data, timing=Timing("reads", 1))
    call = {world.RESCUE_MOVE: _actions(w, NO_SUCH_ELID)["rescue"], world.UNRESCUE_MOVE: _actions(w, NO_SUCH_ELID)["unrescue"]}[move]
    expected = move.refusal(status)
    if expected is None:
        call()
        assert _status(w, NO_SUCH_ELID) == move.passing
        _listed_status(w, NO_SUCH_ELID)
        assert _status(w, NO_SUCH_ELID) == move.settled
    else:
        assert _refused(call) == expected
        assert _status(w, NO_SUCH_ELID) == status


def test_a_rescue_names_its_image_in_either_case() -> None:
    w = _world()
    assert _rescue(w, ELID, IMAGE.upper()).key == IMAGE.lower(), "a UUID is the same UUID in upper case"
    assert _status(w, ELID) == statuses.RESCUED


def test_rescue_of_a_rescued_instance_is_refused() -> None:
    assert _refused(lambda: _rescue(_world(), ELID_IN[statuses.RESCUED])) == world.ALREADY_RESCUED


def test_rescue_of_a_suspended_instance_is_refused() -> None:
    assert _refused(lambda: _rescue(_world(), ELID_IN["suspended"])) == world.CANNOT_RESCUE


@pytest.mark.parametrize("status", [statuses.ACTIVE, statuses.STOPPED, "suspended"])
def test_unrescue_of_an_instance_not_rescued_is_refused(status: str) -> None:
    w = _world()
    assert _refused(lambda: w.unrescue(_me(w), ELID_IN[status])) == world.NOT_RESCUED


def _busy_world(passing: str) -> tuple[World, int]:
    """A world with an instance in `passing` (rescuing, unrescuing) or `processing`, which stays there until read."""
    w = _world(timing=Timing("reads", 1))
    if passing == statuses.RESCUING:
        _rescue(w, ELID)
        return w, ELID
    if passing == statuses.UNRESCUING:
        w.unrescue(_me(w), ELID_IN[statuses.RESCUED])
        return w, ELID_IN[statuses.RESCUED]
    return w, ELID_IN[passing]


@pytest.mark.parametrize("status", [statuses.RESCUING, statuses.UNRESCUING, "processing"])
@pytest.mark.parametrize("action", ["rescue", "unrescue"])
def test_any_action_while_another_runs_is_refused_as_busy(status: str, action: str) -> None:
    w, elid = _busy_world(status)
    assert _status(w, elid) == status
    assert _refused(_actions(w, elid)[action]) == world.BUSY
    assert _status(w, elid) == status, "a refusal is not a read"


def test_the_worlds_busy_statuses_are_the_contracts() -> None:
    # InstanceStatus's table: the row whose instances refuse every call ("another action runs").
    table = spec()["components"]["schemas"]["InstanceStatus"]["description"]
    (row,) = [line for line in table.splitlines() if "another action runs" in line]
    assert statuses.BUSY == set(re.findall(r"`([a-z_]+)`", row)) | {statuses.RESCUING, statuses.UNRESCUING}


def _with_own_image_of_the_other_account() -> tuple[dict[str, Any], str]:
    data = _default_data()
    mine = data["accounts"][0]["own_images"][0]
    theirs = {"key": mine["key"][:-4] + "beef", "os_name": mine["os_name"]}
    data["accounts"][1]["own_images"] = [theirs]
    return data, theirs["key"]


def test_an_image_the_instance_is_not_offered_is_refused() -> None:
    unknown = IMAGE[:-4] + ("0000" if not IMAGE.endswith("0000") else "1111")
    assert _refused(lambda: _rescue(_world(), ELID, image=unknown)) == world.UNKNOWN_IMAGE


def test_another_accounts_own_image_is_refused() -> None:
    data, theirs = _with_own_image_of_the_other_account()
    w = _world(data)
    assert _refused(lambda: _rescue(w, ELID, image=theirs, zone=world_file.OWN_ZONE)) == world.UNKNOWN_IMAGE
    # ... and it is theirs to use
    other = w.account(None, f"{default_world.OTHER_ACCOUNT['username']}:{default_world.OTHER_ACCOUNT['password']}")
    assert w.rescue(other, OTHERS, theirs, world_file.OWN_ZONE).key == theirs


def test_an_image_outside_the_instances_own_list_is_refused() -> None:
    data = _default_data()
    others = [image["key"] for image in data["images"] if image["key"] != IMAGE]
    data["accounts"][0]["instances"][0]["images"] = others[:1]
    w = _world(data)
    assert data["accounts"][0]["instances"][0]["elid"] == ELID
    assert _refused(lambda: _rescue(w, ELID)) == world.UNKNOWN_IMAGE
    assert _rescue(w, ELID, image=others[0]).key == others[0]


def test_an_image_named_with_another_zone_is_refused() -> None:
    w = _world()
    own = _default_data()["accounts"][0]["own_images"][0]["key"]
    assert _refused(lambda: _rescue(w, ELID, zone=world_file.OWN_ZONE)) == world.ZONE_MISMATCH
    assert _refused(lambda: _rescue(w, ELID, image=own, zone=ZONE)) == world.ZONE_MISMATCH
    assert _status(w, ELID) == statuses.ACTIVE


def test_refusals_change_nothing() -> None:
    w = _world()
    before = world_file.state(w)
    for attempt in [
        lambda: _rescue(w, ELID_IN[statuses.RESCUED]),
        lambda: _rescue(w, ELID_IN["suspended"]),
        lambda: _rescue(w, ELID, zone=world_file.OWN_ZONE),
        lambda: w.unrescue(_me(w), ELID),
        lambda: w.unrescue(_me(w), ELID_IN["processing"]),
    ]:
        _refused(attempt)
    assert world_file.state(w) == before


# -- the timing models -------------------------------------------------------------------------------------


@pytest.mark.parametrize("reads", [1, 2, 3])
@pytest.mark.parametrize("action", ["rescue", "unrescue"])
def test_with_reads_n_the_list_shows_the_passing_status_n_times(reads: int, action: str) -> None:
    """The rule control-api.yaml states: each list read that shows the instance counts one; the
    list shows the passing status N times, and the settled one from the next read on (so with
    reads:1 a client that polls meets `rescuing` once)."""
    w = _world(timing=Timing("reads", reads))
    if action == "rescue":
        elid, passing, settled = ELID, statuses.RESCUING, statuses.RESCUED
        _rescue(w, elid)
    else:
        elid, passing, settled = ELID_IN[statuses.RESCUED], statuses.UNRESCUING, statuses.ACTIVE
        w.unrescue(_me(w), elid)
    seen = [_listed_status(w, elid) for _ in range(reads + 2)]
    assert seen == [passing] * reads + [settled] * 2


def test_only_a_list_page_that_shows_the_instance_is_a_read_of_it() -> None:
    w = _world(timing=Timing("reads", 1))
    _rescue(w, ELID)
    position = _me(w).elids.index(ELID)
    other_page = 2 if position == 0 else 1
    for _ in range(3):
        w.instance(_me(w), ELID)  # a preview reads the instance, not its status
        w.listed(_me(w), page_size=1, page=other_page)
        assert _refused(lambda: _rescue(w, ELID)) == world.BUSY
    assert _status(w, ELID) == statuses.RESCUING
    w.listed(_me(w), page_size=1, page=position + 1)
    assert _status(w, ELID) == statuses.RESCUED


@pytest.mark.parametrize("action", ["rescue", "unrescue"])
def test_with_seconds_n_the_status_settles_n_seconds_after_the_action(action: str) -> None:
    clock = FakeClock()
    w = _world(clock=clock, timing=Timing("seconds", 5))
    if action == "rescue":
        elid, passing, settled = ELID, statuses.RESCUING, statuses.RESCUED
        _rescue(w, elid)
    else:
        elid, passing, settled = ELID_IN[statuses.RESCUED], statuses.UNRESCUING, statuses.ACTIVE
        w.unrescue(_me(w), elid)
    clock.advance(4.75)
    assert [_listed_status(w, elid) for _ in range(5)] == [passing] * 5, "reads do not count in this model"
    assert _refused(lambda: _rescue(w, elid)) == world.BUSY
    clock.advance(0.25)  # exactly 5 seconds after the action
    assert _listed_status(w, elid) == settled


def test_with_seconds_the_control_apis_view_shows_the_status_now() -> None:
    clock = FakeClock()
    w = _world(clock=clock, timing=Timing("seconds", 5))
    _rescue(w, ELID)
    clock.advance(5)
    (shown,) = [item for item in world_file.state(w)["accounts"][0]["instances"] if item["elid"] == ELID]
    assert shown["status"] == statuses.RESCUED


def test_with_reads_the_control_apis_view_is_not_a_read() -> None:
    w = _world(timing=Timing("reads", 1))
    _rescue(w, ELID)
    for _ in range(3):
        world_file.state(w)
    assert _status(w, ELID) == statuses.RESCUING


@pytest.mark.parametrize(("after", "count"), [("reads", 2), ("seconds", 5)])
def test_a_passing_status_in_a_loaded_world_starts_passing_when_the_world_starts(after: Literal["reads", "seconds"], count: int) -> None:
    data = _default_data()
    data["accounts"][0]["instances"][0]["status"] = statuses.RESCUING
    clock = FakeClock()
    w = _world(data, clock=clock, timing=Timing(after, count))
    for _ in range(count if after == "reads" else 1):
        assert _listed_status(w, ELID) == statuses.RESCUING
    clock.advance(count)
    assert _listed_status(w, ELID) == statuses.RESCUED


# -- the documents the emulator builds ------------------------------------------------------------------------


def _answer(e: emulator.Emulator, operation_id: str, **fields: str) -> Any:
    """A document the emulator built, checked against the operation's response schema in the contract."""
    outcome = e.answer(operation_id, fields)
    assert outcome.document is not None, f"refused: {outcome.example}"
    document = json.loads(outcome.document)
    errors = [error.message for error in validator(operations()[operation_id].response_pointer).iter_errors(document)]
    assert not errors, document
    return document


def _page(e: emulator.Emulator, size: int, number: int) -> dict[str, Any]:
    return dict(_answer(e, LIST, auth=SESSION, p_cnt=str(size), p_num=str(number))["doc"])


def test_the_preview_of_the_articles_instance_is_the_contracts_preview_example() -> None:
    assert _answer(_emulator(), PREVIEW, auth=SESSION, elid=str(ELID)) == _response(PREVIEW, "preview")


def test_the_default_worlds_list_is_the_contracts_every_state_example() -> None:
    example = _response(LIST, "everyState")
    size, number = example["doc"]["p_cnt"]["$"], example["doc"]["p_num"]["$"]
    assert _answer(_emulator(), LIST, auth=SESSION, p_cnt=size, p_num=number) == example


def test_an_account_without_instances_lists_no_elem() -> None:
    data = _default_data()
    data["accounts"][0]["instances"] = []
    example = _response(LIST, "noInstances")
    size, number = example["doc"]["p_cnt"]["$"], example["doc"]["p_num"]["$"]
    assert _answer(_emulator(data), LIST, auth=SESSION, p_cnt=size, p_num=number) == example


def _world_of(count: int) -> dict[str, Any]:
    """The default world, its account holding `count` instances (elids 1..count), all active."""
    data = _default_data()
    data["accounts"][0]["instances"] = [{"elid": n, "name": f"vm-{n}", "status": statuses.ACTIVE} for n in range(1, count + 1)]
    return data


def test_pages_are_slices_of_the_accounts_instances_in_order() -> None:
    e = _emulator(_world_of(25))
    pages = [_page(e, 10, number) for number in (1, 2, 3, 4)]
    ids = [[int(item["id"]["$"]) for item in as_list(page.get("elem"))] for page in pages]
    assert ids == [list(range(1, 11)), list(range(11, 21)), list(range(21, 26)), []]
    assert {page["p_elems"]["$"] for page in pages} == {"25"}
    assert [page["p_num"]["$"] for page in pages] == ["1", "2", "3", "4"]
    assert "elem" not in pages[3], "a page past the end has no elem (the one-element rule: never an empty array)"


def test_one_instance_on_a_page_is_an_object_not_an_array() -> None:
    e = _emulator(_world_of(21))
    assert isinstance(_page(e, 10, 1)["elem"], list)
    last = _page(e, 10, 3)["elem"]
    assert isinstance(last, dict) and last["id"]["$"] == "21"


def test_without_p_cnt_and_p_num_the_list_is_the_first_page_of_the_default_size() -> None:
    e = _emulator(_world_of(25))
    doc = _answer(e, LIST, auth=SESSION)["doc"]
    assert (doc["p_cnt"]["$"], doc["p_num"]["$"]) == (str(emulator.DEFAULT_PAGE_SIZE), "1")
    assert len(doc["elem"]) == emulator.DEFAULT_PAGE_SIZE


def test_a_preview_with_one_zone_and_one_image_uses_objects() -> None:
    data = _default_data()
    data["images"] = data["images"][:1]
    data["accounts"][0]["own_images"] = []
    slist = _answer(_emulator(data), PREVIEW, auth=SESSION, elid=str(ELID))["doc"]["slist"]
    zone, boot = ({select["$name"]: select for select in slist}[name] for name in (emulator.SELECT_ZONE, emulator.SELECT_IMAGE))
    assert isinstance(zone["val"], dict) and isinstance(boot["val"], dict)
    assert boot["val"]["$key"] == data["images"][0]["key"]


def test_a_preview_with_no_image_has_no_val() -> None:
    data = _default_data()
    data["accounts"][0]["instances"][0]["images"] = []
    slist = _answer(_emulator(data), PREVIEW, auth=SESSION, elid=str(ELID))["doc"]["slist"]
    assert all("val" not in select for select in slist if select["$name"] == emulator.SELECT_IMAGE)


def test_a_login_is_the_contracts_login_result_and_its_session_works() -> None:
    e = _emulator()
    document = _answer(e, LOGIN, **LOGIN_FORM)
    assert not list(answer_validator("LoginDoc").iter_errors(document))
    session = document["doc"]["auth"]["$id"]
    assert session not in _default_data()["accounts"][0]["sessions"]
    assert _answer(e, LIST, auth=session)["doc"]["p_elems"]["$"] == str(len(STATUS_OF))
    assert _answer(e, LOGIN, **LOGIN_FORM)["doc"]["auth"]["$id"] != session, "a new session each time"


def test_a_refusal_is_the_named_example_and_its_error_for_the_journal() -> None:
    outcome = _emulator().answer(RESCUE, ARTICLE | {"elid": str(ELID_IN[statuses.RESCUED])})
    error = _response(RESCUE, world.ALREADY_RESCUED)["doc"]["error"]
    assert (outcome.example, outcome.error, outcome.document) == (world.ALREADY_RESCUED, (error["$type"], error["$object"]), None)


def test_the_articles_requests_work_in_the_default_world_in_order() -> None:
    e = _emulator()
    assert e.answer(PREVIEW, _request(PREVIEW)).document is not None
    assert e.answer(RESCUE, _request(RESCUE)).example == emulator.OK
    assert e.answer(UNRESCUE, _request(UNRESCUE)).example == emulator.OK


def test_reset_restores_the_start_world_and_revives_its_sessions() -> None:
    clock = FakeClock()
    e = _emulator(_default_data() | {"session_idle_seconds": 60}, clock=clock)
    e.answer(RESCUE, ARTICLE)
    clock.advance(3600)
    assert e.answer(LIST, {"auth": SESSION}).example == world.BAD_SESSION
    e.reset()
    assert e.world.instances[ELID].status == STATUS_OF[ELID]
    assert e.answer(LIST, {"auth": SESSION}).document is not None, "the start world's sessions are live again"


# -- the default world ------------------------------------------------------------------------------------------


def test_the_default_worlds_instances_are_the_every_state_examples() -> None:
    (mine, theirs) = world_file.state(_world())["accounts"]
    shown = [{"elid": item["elid"], "name": item["name"], "status": item["status"], "ip": item["ip"]} for item in mine["instances"]]
    assert shown == [
        {"elid": int(item["id"]["$"]), "name": item["name"]["$"], "status": item["instance_status"]["$"], "ip": item["ip"]["$"]}
        for item in _every_state()
    ]
    assert [item["elid"] for item in theirs["instances"]] == [OTHERS]


def test_the_default_account_is_the_login_examples_and_its_sessions_the_request_examples() -> None:
    (mine, _) = _default_data()["accounts"]
    assert (mine["username"], mine["password"]) == (LOGIN_FORM["username"], LOGIN_FORM["password"])
    auths = {
        example["value"]["auth"] for op in operations().values() for example in op.request_examples.values() if "auth" in example["value"]
    }
    assert set(mine["sessions"]) == auths
    w = _world()
    assert {w.account(auth, None).username for auth in auths} == {LOGIN_FORM["username"]}


def test_the_default_worlds_images_are_the_preview_examples_options() -> None:
    (boot,) = [select for select in _response(PREVIEW, "preview")["doc"]["slist"] if select["$name"] == emulator.SELECT_IMAGE]
    w = _world()
    offered = [(image.key, image.os_name, image.zone) for image in w.offered(_me(w), w.instances[ELID])]
    assert offered == [(option["$key"], option["$"], option["$depend"]) for option in as_list(boot["val"])]


# -- world files ----------------------------------------------------------------------------------------------

PASSWORD = "Pw-Never-Shown-42"
SESSION_ID = "s3ss10nNeverShown42"


def _good_data() -> dict[str, Any]:
    images = _default_data()["images"][:2]
    return {
        "session_idle_seconds": 120,
        "transitions": {"after": "reads", "count": 2},
        "images": images,
        "accounts": [
            {
                "username": "ci@example.com",
                "password": PASSWORD,
                "sessions": [SESSION_ID],
                "instances": [
                    {"elid": 42, "name": "db-1", "status": "stopped", "os_name": "Debian 12", "ip": "192.0.2.42"},
                    {"elid": 43, "name": "db-2", "status": "active", "images": [images[1]["key"].upper()]},
                ],
            },
            {"username": "ops@example.com", "password": PASSWORD + "-2", "instances": [{"elid": 44, "status": "suspended"}]},
        ],
    }


@pytest.mark.parametrize("dump", [yaml.safe_dump, json.dumps], ids=["yaml", "json"])
def test_a_good_world_file_loads(tmp_path: Path, dump: Callable[[Any], str]) -> None:
    path = tmp_path / "world.yaml"
    data = _good_data()
    path.write_text(dump(data), encoding="utf-8")
    w = world_file.load(path)
    assert (w.timing, w.session_idle) == (Timing("reads", 2), 120)
    assert _statuses(w) == {42: "stopped", 43: "active", 44: "suspended"}
    assert w.account(SESSION_ID, None).username == "ci@example.com"
    assert w.account(None, f"ops@example.com:{PASSWORD}-2").username == "ops@example.com"
    assert w.instances[43].image_keys == (data["images"][1]["key"],), "image keys are compared in lower case"


def _broken(change: Callable[[dict[str, Any]], object]) -> str:
    data = _good_data()
    change(data)
    return yaml.safe_dump(data)


def _enum(schema: str, key: str) -> list[str]:
    return list(world_file.control_api().spec["components"]["schemas"][schema]["properties"][key]["enum"])


# (case, the file's text, the place the error names, what it says of the problem)
BAD_FILES: list[tuple[str, str, str, str]] = [
    ("not YAML", f"accounts: [{{username: ci, password: {PASSWORD}\n", "line 2", "not YAML or JSON"),
    ("not a mapping", "- just\n- a list\n", "the world", "must be an object"),
    ("empty", "", "the world", "must be an object"),
    (
        "unknown key",
        _broken(lambda d: d["accounts"][0]["instances"][1].update(colour="red")),
        "accounts[0].instances[1]",
        "unknown key 'colour'",
    ),
    ("missing key", _broken(lambda d: d["accounts"][0]["instances"][1].pop("status")), "accounts[0].instances[1]", "missing 'status'"),
    ("missing password", _broken(lambda d: d["accounts"][1].pop("password")), "accounts[1]", "missing 'password'"),
    (
        "bad enum",
        _broken(lambda d: d["transitions"].update(after="sometimes")),
        "transitions.after",
        "must be one of " + ", ".join(_enum("Transitions", "after")),
    ),
    ("bad zone", _broken(lambda d: d["images"][0].update(zone="everywhere")), "images[0].zone", ", ".join(_enum("Image", "zone"))),
    (
        "bad status",
        _broken(lambda d: d["accounts"][0]["instances"][1].update(status="Active!")),
        "accounts[0].instances[1].status",
        "pattern",
    ),
    ("elid not a number", _broken(lambda d: d["accounts"][0]["instances"][1].update(elid="x")), "accounts[0].instances[1].elid", "integer"),
    (
        "duplicated elid",
        _broken(lambda d: d["accounts"][0]["instances"][1].update(elid=42)),
        "accounts[0].instances[1].elid",
        "already an instance",
    ),
    (
        "elid of another account's instance",
        _broken(lambda d: d["accounts"][1]["instances"][0].update(elid=42)),
        "accounts[1].instances[0].elid",
        "already an instance",
    ),
    (
        "duplicated username",
        _broken(lambda d: d["accounts"][1].update(username="ci@example.com")),
        "accounts[1].username",
        "already an account",
    ),
    ("duplicated session", _broken(lambda d: d["accounts"][1].update(sessions=[SESSION_ID])), "accounts[1].sessions[0]", "already"),
    ("reads without count", _broken(lambda d: d["transitions"].pop("count")), "transitions", "needs a `count`"),
    ("reads not whole", _broken(lambda d: d["transitions"].update(count=1.5)), "transitions", "whole number"),
    ("non-UUID image key", _broken(lambda d: d["images"][0].update(key="ubuntu-22.04")), "images[0].key", "must be a UUID"),
    (
        "non-UUID instance image",
        _broken(lambda d: d["accounts"][0]["instances"][1].update(images=["ubuntu"])),
        "accounts[0].instances[1].images[0]",
        "must be a UUID",
    ),
    # An unquoted YAML password that starts with `*`, `!` or `&` is an alias, a tag or an anchor: the
    # YAML error would quote it.
    ("alias password", f"accounts:\n- username: ci\n  password: *{PASSWORD}\n", "line 3", "not YAML or JSON"),
    ("tag password", f"accounts:\n- username: ci\n  password: !{PASSWORD} x\n", "line 3", "not YAML or JSON"),
]


@pytest.mark.parametrize(("text", "place", "problem"), [pytest.param(*case[1:], id=case[0]) for case in BAD_FILES])
def test_a_bad_world_file_gets_one_line_naming_the_place_and_the_problem(tmp_path: Path, text: str, place: str, problem: str) -> None:
    path = tmp_path / "world.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(world_file.WorldError) as raised:
        world_file.load(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: "), message
    assert place in message and problem in message, message
    assert not _pieces(PASSWORD) & _pieces(message), f"the message quotes the password: {message}"


def test_a_missing_world_file_gets_one_line(tmp_path: Path) -> None:
    with pytest.raises(world_file.WorldError, match=r"^\S*nowhere\.yaml: cannot be read \(FileNotFoundError"):
        world_file.load(tmp_path / "nowhere.yaml")


def _pieces(text: str, size: int = 6) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def test_the_state_masks_passwords_and_session_ids() -> None:
    w = world_file.build(_good_data(), "the test's world")
    w.login("ops@example.com", PASSWORD + "-2")
    state = world_file.state(w)
    assert not list(world_file.control_api().schema_validator("WorldState").iter_errors(state))
    shown = json.dumps(state)
    for secret in [PASSWORD, PASSWORD + "-2", *w.sessions]:
        assert not _pieces(secret) & _pieces(shown), secret
    mask = world_file.control_api().spec["components"]["schemas"]["WorldState"]["properties"]["accounts"]["items"]["properties"]["password"]
    assert {account["password"] for account in state["accounts"]} == {mask["const"]}
    assert [len(account["sessions"]) for account in state["accounts"]] == [1, 1]


# -- a large world ------------------------------------------------------------------------------------------------

# Two measures of "a request costs the same with 10,000 instances as with 10". Python lines executed
# (sys.settrace) are exact and deterministic: a loop over the instances in Python shows as thousands of
# lines more, whatever the machine's load. A scan in C (a sorted(), a list(), a `x in list`) executes no
# Python line, so the time is measured too: the best of many short rounds, small and large in turn (a
# short round is more likely to run undisturbed by other processes), with a generous bound of 3 (a scan
# of 10,000 elements in C costs several whole requests: checked with `elid in account.elids` in
# World.instance()).
SMALL, LARGE = 10, 10_000


def _lines_run(action: Callable[[], object]) -> int:
    count = 0

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        action()
    finally:
        sys.settrace(None)
    return count


def _requests(e: emulator.Emulator, elid: int) -> dict[str, Callable[[], object]]:
    page = {"auth": SESSION, "p_cnt": "10", "p_num": "1"}
    rescue = ARTICLE | {"elid": str(elid)}
    unrescue = {"auth": SESSION, "elid": str(elid)}

    def rescue_and_unrescue() -> None:
        assert e.answer(RESCUE, rescue).example == emulator.OK
        assert e.answer(UNRESCUE, unrescue).example == emulator.OK

    return {
        "a list page": lambda: e.answer(LIST, page),
        "a last page": lambda: e.answer(LIST, page | {"p_num": str(len(e.world.accounts[LOGIN_FORM["username"]].elids) // 10)}),
        "a preview": lambda: e.answer(PREVIEW, unrescue),
        "a rescue and an unrescue": rescue_and_unrescue,
    }


@pytest.fixture(scope="module")
def small_and_large() -> tuple[emulator.Emulator, emulator.Emulator]:
    return _emulator(_world_of(SMALL)), _emulator(_world_of(LARGE))


@pytest.mark.parametrize("request_name", ["a list page", "a last page", "a preview", "a rescue and an unrescue"])
def test_a_request_costs_the_same_in_a_world_of_10000_instances(
    small_and_large: tuple[emulator.Emulator, emulator.Emulator], request_name: str
) -> None:
    small, large = (_requests(e, elid)[request_name] for e, elid in zip(small_and_large, (SMALL, LARGE), strict=True))
    small(), large()  # caches warmed
    # The Python lines run are the same, whatever the machine's load; what the two cost in time is
    # `make bench`'s to say (its world of 10,000 instances beside the default, as a ratio).
    assert _lines_run(large) == _lines_run(small), f"{request_name}: Python lines run with {LARGE} instances and with {SMALL}"
