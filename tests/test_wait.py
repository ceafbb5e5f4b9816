"""Waiting for a status: `wait_for` in both clients, and `zomro-rescue enter --wait`, `exit --wait` and `wait`.

A scripted server answers the instance list with one status after another, as a
real server does after a rescue (`rescuing`, then `rescued`). Intervals are small
(the SDK takes any interval above 0 away from the provider's API); the tests count
requests rather than time, but where the time is the point. There, a bound is what the
SDK promises (a pause is never shorter than asked; a wait overshoots its timeout by one
call at most) and, where load could only make a figure larger, room for a machine that
other work keeps busy (LOAD_MARGIN).
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from zomro_contract import statuses
from zomro_rescue import ArgumentError, AsyncRescueClient, Instance, RescueClient, WaitDeadEnd, WaitTimeout
from zomro_rescue.cli import main
from zomro_testkit import article
from zomro_testkit.contract import resolve
from zomro_testkit.quirky_server import Answer, Form, QuirkyServer, billmanager, example, json_answer, operation

from tests.test_cli_terminal import COMMAND, environment, in_terminal

ELID = int(article.curl_example("rescue").form["elid"])
SESSION = article.curl_example("rescue").form["auth"]
FAST = 0.01  # seconds between two readings against the fake server
# Room for a loaded machine beyond what the SDK promises: a call that waits its turn for the cores. Below the
# 10 s a wrong wait would show itself by (the interval of test_the_last_pause_is_cut_short_and_followed_by_one_reading).
LOAD_MARGIN = 5.0
TIMED_OUT, DEAD_END, USAGE = 5, 6, 2
# Every wait here is bounded, so that a wait that a change to the code broke fails in seconds, not at the
# SDK's and the command's default of 600 s; far beyond the few readings each scripted wait takes.
BOUND = 30


class Statuses:
    """A listInstances scenario: the instance's status at each reading, the last one for ever after.

    An Answer in the script is sent as it is, in its turn (an expired session, say). `times` holds when each list
    request came.
    """

    def __init__(self, *script: str | Answer) -> None:
        self.script = list(script)
        self.times: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, form: Form) -> Answer:
        with self._lock:
            self.times.append(time.monotonic())
            now = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(now, Answer):
            return now
        item = {"id": {"$": str(ELID)}, "name": {"$": "web-1"}, "instance_status": {"$": now}}
        return json_answer({"doc": {"elem": item, "p_elems": {"$": "1"}}})


class Noting(Statuses):
    """Statuses that also note, at each reading, what `note` says then."""

    def __init__(self, note: Callable[[], int], *script: str | Answer) -> None:
        super().__init__(*script)
        self.note = note
        self.noted: list[int] = []

    def __call__(self, form: Form) -> Answer:
        self.noted.append(self.note())
        return super().__call__(form)


@pytest.fixture
def server() -> Iterator[QuirkyServer]:
    with QuirkyServer() as running:
        yield running


def _script(server: QuirkyServer, *script: str | Answer) -> Statuses:
    statuses = Statuses(*script)
    server.scenario = billmanager(listInstances=statuses)
    return statuses


def _count(server: QuirkyServer, operation_id: str) -> int:
    return sum(1 for form in server.requests if operation(form) == operation_id)


def _lists(server: QuirkyServer) -> int:
    return _count(server, "listInstances")


# The SDK, synchronous and asynchronous: the same plan, slept through differently.
def _wait(url: str, asynchronous: bool, *args: Any, **kwargs: Any) -> Instance:
    if not asynchronous:
        with RescueClient(url, session=SESSION) as zomro:
            return zomro.wait_for(*args, **kwargs)

    async def run() -> Instance:
        async with AsyncRescueClient(url, session=SESSION) as zomro:
            return await zomro.wait_for(*args, **kwargs)

    return asyncio.run(run())


both = pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])


@both
def test_reaches_the_status_with_one_call_per_change(server: QuirkyServer, asynchronous: bool) -> None:
    _script(server, "active", "rescuing", "rescuing", "rescued")
    seen: list[str] = []
    instance = _wait(server.url, asynchronous, ELID, "rescued", interval=FAST, timeout=BOUND, on_change=lambda i: seen.append(i.status))
    assert (instance.elid, instance.status, instance.rescued) == (ELID, "rescued", True)
    assert seen == ["active", "rescuing", "rescued"]
    assert _lists(server) == 4


@both
def test_a_status_already_there_is_one_reading(server: QuirkyServer, asynchronous: bool) -> None:
    _script(server, "  Rescued ")
    seen: list[Instance] = []
    assert _wait(server.url, asynchronous, ELID, ["RESCUED"], interval=FAST, timeout=BOUND, on_change=seen.append).status == "rescued"
    assert [i.status for i in seen] == ["rescued"] and _lists(server) == 1


class FirstBack:
    """An on_change that notes when the first reading came back: whether it left the wait the time to read again."""

    def __init__(self) -> None:
        self.at: float | None = None

    def __call__(self, instance: Instance) -> None:
        self.at = time.monotonic() if self.at is None else self.at

    def left_time(self, started: float, timeout: float) -> bool:
        # Half the timeout to spare: the SDK reads its clock a few lines after on_change.
        return self.at is not None and self.at - started < timeout / 2


@both
def test_the_interval_is_honoured(server: QuirkyServer, asynchronous: bool) -> None:
    interval = 0.1
    statuses = _script(server, "rescuing", "rescuing", "rescuing", "rescued")
    _wait(server.url, asynchronous, ELID, "rescued", interval=interval, timeout=BOUND)
    gaps = [later - earlier for earlier, later in zip(statuses.times, statuses.times[1:], strict=False)]
    # A pause is never shorter than asked (load makes it longer only); the server's clock is the test's. The 1%
    # is the event loop's: asyncio runs a timer up to its clock's resolution early.
    assert len(gaps) == 3 and min(gaps) >= interval * 0.99, gaps


def test_the_async_client_sleeps_without_blocking_the_loop(server: QuirkyServer) -> None:
    # A task ticking beside the wait. Counted, not timed: during a pause of the wait the loop runs it
    # about every 5 ms, 60 times (a few times fewer on a loaded machine); a pause that blocked the loop
    # (time.sleep) lets it tick once or twice (tried), while a reading's call awaits the network.
    interval = 0.3
    ticks = 0
    statuses = Noting(lambda: ticks, "rescuing", "rescuing", "rescued")
    server.scenario = billmanager(listInstances=statuses)

    async def run() -> None:
        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.005)
                ticks += 1

        ticking = asyncio.create_task(tick())
        async with AsyncRescueClient(server.url, session=SESSION) as zomro:
            await zomro.wait_for(ELID, "rescued", interval=interval, timeout=BOUND)
        ticking.cancel()

    asyncio.run(run())
    assert len(statuses.noted) == 3
    during = [later - earlier for earlier, later in zip(statuses.noted, statuses.noted[1:], strict=False)]
    assert during and min(during) >= 8, f"ticks during each pause of {interval} s: {during}"


@both
def test_times_out_naming_what_it_waited_for(server: QuirkyServer, asynchronous: bool) -> None:
    timeout = 0.3
    _script(server, "rescuing")
    first = FirstBack()
    started = time.monotonic()
    with pytest.raises(WaitTimeout) as raised:
        _wait(server.url, asynchronous, ELID, "rescued", interval=FAST, timeout=timeout, on_change=first)
    took = time.monotonic() - started
    error = raised.value
    assert (error.elid, error.wanted, error.last) == (ELID, ("rescued",), "rescuing")
    # Never before the timeout; after it by one call at most (and the room a loaded machine needs).
    assert timeout <= error.waited <= took < timeout + LOAD_MARGIN
    assert re.search(rf"instance {ELID} did not become rescued in \d+ s: its status was still rescuing", str(error)), str(error)
    # No more readings than one per interval and one at the timeout; more than one unless the first took half the timeout.
    assert (2 if first.left_time(started, timeout) else 1) <= _lists(server) <= math.ceil(timeout / FAST) + 1


@both
def test_the_last_pause_is_cut_short_and_followed_by_one_reading(server: QuirkyServer, asynchronous: bool) -> None:
    # An interval longer than the whole timeout: one reading now, one at the timeout, not one 10 s later.
    timeout = 0.5
    statuses = _script(server, "rescuing")
    first = FirstBack()
    started = time.monotonic()
    with pytest.raises(WaitTimeout):
        _wait(server.url, asynchronous, ELID, "rescued", interval=10, timeout=timeout, on_change=first)
    assert time.monotonic() - started < timeout + LOAD_MARGIN  # a wait that slept the interval would take 10 s
    # Two readings, the second at the timeout; one only if the first reading took (half) the timeout itself,
    # which a machine loaded enough can make it do.
    readings = _lists(server)
    assert (readings == 2) if first.left_time(started, timeout) else (readings in (1, 2)), readings
    assert readings == 1 or statuses.times[-1] - started >= timeout


def test_a_timeout_of_0_is_one_reading(server: QuirkyServer) -> None:
    _script(server, "rescuing")
    with pytest.raises(WaitTimeout):
        _wait(server.url, False, ELID, "rescued", timeout=0)
    assert _lists(server) == 1


@both
@pytest.mark.parametrize(
    ("script", "wanted"),
    [
        (["rescuing", "active"], "rescued"),  # the rescue ended, and not in rescue mode
        (["active", "rescuing", "stopped"], "rescued"),
        (["unrescuing", "rescued"], "active"),  # the unrescue ended back in rescue mode
        (["rescuing", "error"], "rescued"),
        (["suspended"], "rescued"),  # held: at the first reading
        (["resized"], "active"),
    ],
    ids=["rescue-ended-active", "rescue-ended-stopped", "unrescue-ended-rescued", "error", "suspended", "resized"],
)
def test_a_dead_end_fails_fast(server: QuirkyServer, asynchronous: bool, script: list[str], wanted: str) -> None:
    _script(server, *script)
    with pytest.raises(WaitDeadEnd) as raised:
        _wait(server.url, asynchronous, ELID, wanted, interval=FAST, timeout=5)
    # Known at once: not one reading more than the script's (a wait to the timeout would read hundreds of times).
    assert _lists(server) == len(script)
    assert (raised.value.elid, raised.value.wanted, raised.value.last) == (ELID, (wanted,), script[-1])
    assert f"instance {ELID} is {script[-1]}" in str(raised.value) and wanted in str(raised.value)
    assert raised.value.why and str(raised.value).endswith(raised.value.why), "`why` says what makes it a dead end"


@pytest.mark.parametrize(
    ("script", "wanted"),
    [
        (["active", "active", "rescuing", "rescued"], "rescued"),  # the list shows the old status a while after the rescue
        (["rescued", "unrescuing", "active"], "active"),
        (["rescuing", "migrating", "rescued"], "rescued"),  # a status the contract does not know: waited through
        (["rescuing", "", "rescued"], "rescued"),  # no status at all: the same
        (["unrescuing", "stopped"], ("active", "stopped")),  # settled after busy, but wanted: done, not a dead end
    ],
    ids=["old-status-first", "unrescue", "unknown-status", "no-status", "one-of-several"],
)
def test_what_is_not_a_dead_end(server: QuirkyServer, script: list[str], wanted: str | tuple[str, ...]) -> None:
    _script(server, *script)
    assert _wait(server.url, False, ELID, wanted, interval=FAST, timeout=BOUND).status == script[-1]
    assert _lists(server) == len(script)


def test_a_session_that_expires_mid_wait_is_renewed(server: QuirkyServer) -> None:
    expired = json_answer(example("listInstances", "badSession"))
    _script(server, "rescuing", expired, "rescued")
    with RescueClient(server.url, session=SESSION, username="me@example.com", password="AccountSecret1") as zomro:
        assert zomro.wait_for(ELID, "rescued", interval=FAST, timeout=BOUND).status == "rescued"
    assert _count(server, "logIn") == 1 and _lists(server) == 3


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"interval": 0}, "interval=0"),
        ({"interval": -1}, "interval=-1"),
        ({"interval": math.nan}, "interval=nan"),
        ({"timeout": -1}, "timeout=-1"),
        ({"timeout": math.inf}, "timeout=inf"),
        ({"status": ""}, "status to wait for"),
        ({"status": []}, "status to wait for"),
        ({"status": ["rescued", " "]}, "status to wait for"),
    ],
)
def test_arguments_are_checked_before_anything_is_sent(server: QuirkyServer, kwargs: dict[str, Any], says: str) -> None:
    arguments = {"status": "rescued", "timeout": 0, **kwargs}  # a timeout of 0: a check that lets one through cannot hang
    with RescueClient(server.url, session=SESSION) as zomro:
        with pytest.raises(ArgumentError, match=re.escape(says)):
            zomro.wait_for(ELID, **arguments)
    assert server.requests == []


def test_against_the_providers_api_the_interval_is_1_s_or_more(server: QuirkyServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # The fake server stands for the provider's API (its host is DEFAULT_URL's): a check that fails cannot reach the real one.
    monkeypatch.setattr("zomro_rescue.client.DEFAULT_URL", server.url)
    with RescueClient(server.url, session=SESSION) as zomro:
        with pytest.raises(ArgumentError, match=r"1 or more against http://127\.0\.0\.1"):
            zomro.wait_for(ELID, "rescued", interval=0.5, timeout=0)
        assert server.requests == []
        zomro.wait_for(ELID, "active", interval=1, timeout=0)  # the contract's example instance is active


# Every status the contract names is in exactly one of the SDK's sets, so that a wait knows what each one means.
def _contract_statuses() -> dict[str, str]:
    description = resolve({"$ref": "#/components/schemas/InstanceStatus"})["description"]
    rows: dict[str, str] = {}
    for line in description.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            rows.update((value, cells[2]) for value in re.findall(r"`([a-z_]+)`", cells[0]))
    return rows


def test_held_is_the_contracts_and_every_status_has_one_set() -> None:
    table = _contract_statuses()
    held = {value for value, next_step in table.items() if next_step.startswith(("no rescue until", "contact the provider"))}
    assert held == statuses.HELD
    sets = [statuses.BUSY, statuses.RESCUABLE, {statuses.RESCUED}, statuses.HELD]
    assert {value: sum(value in s for s in sets) for value in table} == dict.fromkeys(table, 1)


# The command.
@pytest.fixture(autouse=True)
def session_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ZOMRO_API_URL", "ZOMRO_USERNAME", "ZOMRO_PASSWORD", "ZOMRO_RESCUE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ZOMRO_AUTH", SESSION)


def _run(capsys: pytest.CaptureFixture[str], server: QuirkyServer, *args: str) -> tuple[int, str, str]:
    code = main(["--url", server.url, *args])
    out, err = capsys.readouterr()
    assert SESSION not in out + err
    return code, out, err


IMAGE = article.images()[10]  # Debian 12
WAIT = ("--wait", "--wait-timeout", str(BOUND), "--interval", str(FAST))


def test_enter_wait_prints_only_the_result_without_a_terminal(server: QuirkyServer, capsys: pytest.CaptureFixture[str]) -> None:
    _script(server, "rescuing", "rescuing", "rescued")
    code, out, err = _run(capsys, server, "enter", str(ELID), "--image", IMAGE.uuid, "--no-password", *WAIT)
    assert (code, err) == (0, "")
    assert re.fullmatch(rf"instance {ELID} is in rescue mode with {IMAGE.os_name} \({IMAGE.uuid}\), after \d+ s\n", out), out
    assert (_count(server, "rescueInstance"), _lists(server)) == (1, 3)


def test_exit_wait_as_json_is_one_object_with_the_status(server: QuirkyServer, capsys: pytest.CaptureFixture[str]) -> None:
    _script(server, "rescued", "unrescuing", "active")
    code, out, err = _run(capsys, server, "exit", str(ELID), *WAIT, "--json")
    shown = json.loads(out)
    assert (code, err) == (0, "") and {key: shown[key] for key in ("elid", "rescue", "status")} == {
        "elid": ELID,
        "rescue": False,
        "status": "active",
    }
    assert isinstance(shown["waited"], float) and _lists(server) == 3


def test_enter_wait_as_json(server: QuirkyServer, capsys: pytest.CaptureFixture[str]) -> None:
    _script(server, "rescuing", "rescued")
    code, out, _ = _run(capsys, server, "enter", str(ELID), "--image", IMAGE.uuid, "--no-password", *WAIT, "--json")
    shown = json.loads(out)
    assert code == 0 and (shown["status"], shown["rescue"], shown["image"]["uuid"]) == ("rescued", True, IMAGE.uuid)


def test_without_wait_nothing_is_listed(server: QuirkyServer, capsys: pytest.CaptureFixture[str]) -> None:
    _script(server, "rescuing")
    code, out, _ = _run(capsys, server, "enter", str(ELID), "--image", IMAGE.uuid, "--no-password", "--json")
    assert code == 0 and "status" not in json.loads(out) and _lists(server) == 0


def test_the_wait_command(server: QuirkyServer, capsys: pytest.CaptureFixture[str]) -> None:
    _script(server, "unrescuing", "stopped")
    code, out, _ = _run(capsys, server, "wait", str(ELID), "--for", "active", "--for", "stopped", *WAIT[1:])
    assert code == 0 and re.match(rf"instance {ELID} \(web-1\): stopped after \d+ s; can enter rescue mode", out), out
    code, out, _ = _run(capsys, server, "wait", str(ELID), "--for", "stopped", "--wait-timeout", str(BOUND), "--json")
    assert code == 0 and json.loads(out)["status"] == "stopped" and json.loads(out)["can_rescue"] is True


def test_a_timeout_exits_5_with_one_line(server: QuirkyServer, capsys: pytest.CaptureFixture[str]) -> None:
    _script(server, "rescuing")
    args = ("--image", IMAGE.uuid, "--no-password", "--wait", "--wait-timeout", "0.3", "--interval", str(FAST))
    code, out, err = _run(capsys, server, "enter", str(ELID), *args)
    assert (code, out) == (TIMED_OUT, "") and len(err.splitlines()) == 1, err
    assert re.fullmatch(rf"zomro-rescue: instance {ELID} did not become rescued in \d+ s: its status was still rescuing\n", err), err


def test_a_dead_end_exits_6_with_one_line(server: QuirkyServer, capsys: pytest.CaptureFixture[str]) -> None:
    _script(server, "unrescuing", "rescued")
    # Bounded as the SDK's dead ends are (test_a_dead_end_fails_fast): one that waited would time out (exit 5).
    code, out, err = _run(capsys, server, "exit", str(ELID), "--wait", "--wait-timeout", "5", "--interval", str(FAST))
    assert (code, out) == (DEAD_END, "") and len(err.splitlines()) == 1, err
    assert f"instance {ELID} is rescued" in err and "will not become active" in err


@pytest.mark.parametrize(
    "args",
    [
        ("exit", str(ELID), "--interval", "1"),  # not without --wait
        ("exit", str(ELID), "--wait-timeout", "60"),
        ("exit", str(ELID), "--wait", "--interval", "0"),
        ("exit", str(ELID), "--wait", "--interval", "nan"),
        ("wait", str(ELID), "--for", "rescued", "--wait-timeout", "-1"),
    ],
)
def test_wait_options_are_checked(server: QuirkyServer, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    code, out, err = _run(capsys, server, *args)
    assert (code, out, server.requests) == (USAGE, "", []) and len(err.splitlines()) == 1, err


def test_a_status_that_echoes_the_session_is_shown_hidden(
    server: QuirkyServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A session with capitals, echoed in a status, which the SDK lower-cases: hidden all the same, in every line.
    session = "SeSsIoN0123456789abcdef"
    monkeypatch.setenv("ZOMRO_AUTH", session)
    monkeypatch.setattr("zomro_rescue.cli._on_terminal", lambda: True)
    _script(server, f"rescuing {session}", f"stuck {session}")
    code, out, err = _run(capsys, server, "wait", str(ELID), "--for", "rescued", "--wait-timeout", "0.5", "--interval", str(FAST))
    assert code == TIMED_OUT and session.lower() not in (out + err).lower() and "***" in err
    # A line for each status seen: both, unless a loaded machine made the first reading take the whole timeout.
    seen = ["rescuing", "stuck"][: _lists(server)]
    assert [line.split(":")[1].split()[0] for line in err.splitlines()[: len(seen)]] == seen, err


def test_on_a_terminal_each_change_is_a_line(server: QuirkyServer) -> None:
    _script(server, "active", "rescuing", "rescuing", "rescued")
    argv = [COMMAND, "--url", server.url, "enter", str(ELID), "--image", IMAGE.uuid, "--no-password", *WAIT]
    code, screen = in_terminal(argv, environment(ZOMRO_AUTH=SESSION))
    assert code == 0, screen
    changes = re.findall(rf"^instance {ELID}: (\S+) \(\d+ s\)$", screen, re.MULTILINE)
    assert changes == ["active", "rescuing", "rescued"], screen
    assert screen.rstrip().splitlines()[-1].startswith(f"instance {ELID} is in rescue mode with {IMAGE.os_name}"), screen
    assert SESSION not in screen
