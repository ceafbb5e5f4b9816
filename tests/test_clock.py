"""The world's clock, in-process: how it follows, freezes, moves and re-dates; what moving it does to the
world (expiries at their exact boundary, then settlements); the journal's stamps; a reset; the clock of a
world file and of `--clock`; and the SDK's wait against a mock whose time moves only with the code's pauses.

Real time is a fake here wherever a test reads it, so nothing depends on how fast the machine is.
(The control API's clock over HTTP is in test_emulator.py.)
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from zomro_contract import statuses
from zomro_contract.operations import load
from zomro_mock import __main__ as mock_main
from zomro_mock import default_world, emulator, world, world_file
from zomro_mock.clock import LATEST, Clock, ClockStart, parse_rfc3339, rfc3339
from zomro_mock.testing import MockError
from zomro_rescue import RescueClient, WaitTimeout
from zomro_testkit import mock_process
from zomro_testkit.contract import SPEC_PATH, operations, spec

RESCUE_FORM = {name: str(value) for name, value in next(iter(operations()["rescueInstance"].request_examples.values()))["value"].items()}
LOGIN_FORM = {name: str(value) for name, value in next(iter(operations()["logIn"].request_examples.values()))["value"].items()}
SESSION, ELID = RESCUE_FORM["auth"], int(RESCUE_FORM["elid"])
NEW_YEAR_2030 = parse_rfc3339("2030-01-01T00:00:00Z")


class RealTime:
    """Real time, moved by hand: time.monotonic and time.time as the clock reads them."""

    def __init__(self) -> None:
        self.monotonic = 500.0
        self.wall = NEW_YEAR_2030

    def pass_(self, seconds: float) -> None:
        self.monotonic += seconds
        self.wall += seconds


def _clock(real: RealTime, start: ClockStart | None = None) -> Clock:
    return Clock(start, real=lambda: real.monotonic, wall=lambda: real.wall)


# -- the clock -----------------------------------------------------------------------------------------------


def test_a_running_clock_follows_real_time() -> None:
    real = RealTime()
    clock = _clock(real)
    assert (clock.monotonic(), clock.time(), clock.offset()) == (0, NEW_YEAR_2030, 0)
    real.pass_(7.5)
    assert (clock.monotonic(), clock.time(), clock.offset()) == (7.5, NEW_YEAR_2030 + 7.5, 0)


def test_a_frozen_clock_moves_only_when_advanced() -> None:
    real = RealTime()
    clock = _clock(real)
    real.pass_(2)
    clock.freeze()
    real.pass_(100)
    assert clock.monotonic() == 2 and clock.offset() == -100, "it stood still while real time went on"
    clock.advance(30)
    assert clock.monotonic() == 32 and clock.time() == NEW_YEAR_2030 + 32
    clock.freeze()  # again: nothing changes
    assert clock.monotonic() == 32


def test_an_advance_moves_a_running_clock_ahead_of_real_time_and_it_runs_on_from_there() -> None:
    real = RealTime()
    clock = _clock(real)
    clock.advance(3600)
    real.pass_(1)
    assert (clock.monotonic(), clock.offset()) == (3601, 3600)


def test_a_clock_let_run_again_runs_on_from_where_it_stood() -> None:
    real = RealTime()
    clock = _clock(real, ClockStart(frozen=True))
    real.pass_(50)
    clock.run()
    real.pass_(5)
    assert clock.monotonic() == 5 and clock.frozen is False
    clock.run()  # again: nothing changes
    assert clock.monotonic() == 5


def test_setting_the_date_lets_no_time_pass_in_the_world() -> None:
    real = RealTime()
    clock = _clock(real, ClockStart(frozen=True))
    clock.advance(10)
    clock.set_time(0)
    assert (clock.monotonic(), clock.time()) == (10, 0), "re-dated, back to 1970: the world's seconds are the same"
    clock.set_time(LATEST)
    assert clock.time() == LATEST


def test_a_restart_is_the_start_again() -> None:
    real = RealTime()
    clock = _clock(real)
    clock.advance(99)
    clock.freeze()
    clock.restart(ClockStart(frozen=True, now=0))
    assert (clock.monotonic(), clock.time(), clock.frozen) == (0, 0, True)
    clock.restart(ClockStart())
    assert (clock.monotonic(), clock.time(), clock.frozen) == (0, real.wall, False)


@pytest.mark.parametrize("seconds", [-0.001, math.nan, math.inf, -math.inf])
def test_the_clock_never_goes_back_nor_to_no_time(seconds: float) -> None:
    clock = _clock(RealTime(), ClockStart(frozen=True))
    with pytest.raises(ValueError, match="finite number, 0 or more"):
        clock.advance(seconds)
    assert clock.monotonic() == 0


def test_an_advance_of_nothing_is_taken() -> None:
    clock = _clock(RealTime(), ClockStart(frozen=True))
    clock.advance(0)
    assert clock.monotonic() == 0


def test_the_clock_stops_at_the_end_of_9999_which_rfc3339_can_still_write() -> None:
    clock = _clock(RealTime(), ClockStart(frozen=True, now=LATEST - 1))
    clock.advance(1)
    assert rfc3339(clock.time()) == "9999-12-31T23:59:59.000Z"
    with pytest.raises(ValueError, match="9999"):
        clock.advance(0.001)
    for wall in (-1, LATEST + 1, math.nan):
        with pytest.raises(ValueError, match="1970"):
            clock.set_time(wall)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2030-01-01T00:00:00Z", "2030-01-01T00:00:00.000Z"),
        ("2030-01-01t01:30:00.5+01:30", "2030-01-01T00:00:00.500Z"),
        ("2029-12-31 23:00:00.123456789-01:00", "2030-01-01T00:00:00.123Z"),
        ("1970-01-01T00:00:00z", "1970-01-01T00:00:00.000Z"),
    ],
)
def test_rfc3339_in_and_out(text: str, shown: str) -> None:
    assert rfc3339(parse_rfc3339(text)) == shown


@pytest.mark.parametrize(
    "text",
    [
        "2030-01-01",
        "2030-01-01T00:00Z",
        "2030-01-01T00:00:00",
        "2030-W01-1T00:00:00Z",
        "2030-02-30T00:00:00Z",
        "1969-12-31T23:59:59Z",
        "١٢٣٤-01-01T00:00:00Z",
        "",
    ],
)
def test_rfc3339_is_all_that_is_taken(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rfc3339(text)


# -- what time does to the world -------------------------------------------------------------------------------


def _world(real: RealTime | None = None, **changes: Any) -> world.World:
    """The default world, on a frozen clock, begun."""
    data = default_world.data(spec()) | {"clock": {"frozen": True}} | changes
    built = world_file.build(copy.deepcopy(data), "the test's world")
    built.clock = _clock(real or RealTime())
    built.begin()
    return built


def _me(w: world.World) -> world.Account:
    return w.account(SESSION, None)


def _sessions(w: world.World) -> int:
    return len(w.sessions)


def test_a_session_idle_exactly_its_idle_time_is_live_and_a_moment_later_it_has_expired() -> None:
    w = _world(session_idle_seconds=60)
    assert w.advance(60).expired_sessions == 0
    _me(w)  # used at exactly 60 s of idleness: live, and idle again from now
    w.advance(60)
    _me(w)
    w.advance(60.001)
    with pytest.raises(world.Refused, match=world.BAD_SESSION):
        _me(w)


def test_an_advance_expires_every_idle_session_and_says_how_many() -> None:
    w = _world(session_idle_seconds=60)
    live = _sessions(w)
    w.advance(59)
    _me(w)  # this one is used: 59 s left
    passed = w.advance(2)
    assert (passed.expired_sessions, _sessions(w)) == (live - 1, 1), "the others were idle 61 s, and are gone"
    assert w.advance(60).expired_sessions == 1


def test_a_running_clock_expires_a_session_as_real_time_passes() -> None:
    real = RealTime()
    w = _world(real, session_idle_seconds=60, clock={})
    real.pass_(60)
    _me(w)
    real.pass_(60.001)
    with pytest.raises(world.Refused, match=world.BAD_SESSION):
        _me(w)


def test_an_advance_settles_what_has_come_due_in_the_order_of_the_ids() -> None:
    w = _world(transitions={"after": "seconds", "count": 30})
    me = _me(w)
    rescued = next(elid for elid in me.elids if w.instances[elid].status == statuses.RESCUED)
    w.unrescue(me, rescued)
    w.advance(10)
    w.rescue(me, ELID, RESCUE_FORM["select_boot"], RESCUE_FORM["zone"])
    assert w.advance(19.999).settled == []
    assert w.advance(0.001).settled == [(rescued, statuses.ACTIVE)], "30 s after the unrescue; the rescue has 10 s to go"
    assert w.advance(600).settled == [(ELID, statuses.RESCUED)]
    assert w.advance(600).settled == [], "settled once"


def test_an_advance_both_expires_and_settles() -> None:
    w = _world(transitions={"after": "seconds", "count": 5}, session_idle_seconds=5)
    w.rescue(_me(w), ELID, RESCUE_FORM["select_boot"], RESCUE_FORM["zone"])
    passed = w.advance(5.5)
    assert passed.expired_sessions == len(default_world.data(spec())["accounts"][0]["sessions"])
    assert passed.settled == [(ELID, statuses.RESCUED)]


def test_a_status_already_read_as_settled_is_not_settled_again_by_an_advance() -> None:
    w = _world(transitions={"after": "seconds", "count": 5})
    me = _me(w)
    w.rescue(me, ELID, RESCUE_FORM["select_boot"], RESCUE_FORM["zone"])
    w.clock.run()
    w.clock.advance(5)  # the clock moved without the world's advance: the next read settles it
    assert w.instance(me, ELID).status == statuses.RESCUED
    assert w.advance(1).settled == []


def test_reads_are_not_time() -> None:
    w = _world(transitions={"after": "reads", "count": 2})
    w.rescue(_me(w), ELID, RESCUE_FORM["select_boot"], RESCUE_FORM["zone"])
    assert w.advance(86400).settled == []
    assert w.instances[ELID].status == statuses.RESCUING


def _logins_up_to(w: world.World, count: int) -> None:
    while _sessions(w) < count:
        w.login(LOGIN_FORM["username"], LOGIN_FORM["password"])


def test_a_login_drops_the_expired_sessions_once_there_are_many() -> None:
    w = _world(session_idle_seconds=60)
    w.prune_at = 4
    _logins_up_to(w, 4)
    w.clock.advance(61)  # the clock alone, not the world's advance (which drops them itself): expired, still held
    assert _sessions(w) == 4
    kept = w.login(LOGIN_FORM["username"], LOGIN_FORM["password"])
    assert list(w.sessions) == [kept.id]
    assert w.prune_at == 1000, "the threshold is back to its floor"


def test_a_login_keeps_the_expired_sessions_below_the_threshold() -> None:
    w = _world(session_idle_seconds=60)
    w.prune_at = 5
    _logins_up_to(w, 4)
    w.clock.advance(61)
    w.login(LOGIN_FORM["username"], LOGIN_FORM["password"])
    assert _sessions(w) == 5


# -- the emulator: the journal's stamps, and a reset -------------------------------------------------------------


def _emulator(real: RealTime, **changes: Any) -> emulator.Emulator:
    data = default_world.data(spec()) | changes
    initial = world_file.build(copy.deepcopy(data), "the test's world")
    initial.clock = _clock(real)
    return emulator.Emulator(initial, {}, frozenset({"auth", "password"}))


def test_the_journal_is_stamped_with_the_worlds_time_not_real_time() -> None:
    real = RealTime()
    e = _emulator(real, clock={"frozen": True, "now": "2040-02-29T12:00:00Z"})
    e.record("previewRescueImages", {"func": "instances.fleio.rescue"}, {"kind": "document"})
    real.pass_(3)
    e.world.advance(0.25)
    e.record("previewRescueImages", {"func": "instances.fleio.rescue"}, {"kind": "document"})
    assert [entry["at"] for entry in e.journal] == ["2040-02-29T12:00:00.000Z", "2040-02-29T12:00:00.250Z"]


def test_a_reset_starts_the_clock_as_the_start_world_says() -> None:
    real = RealTime()
    e = _emulator(real)
    e.world.clock.freeze()
    e.world.advance(1000)
    e.world.clock.set_time(0)
    e.reset()
    assert (e.world.clock.frozen, e.world.clock.time()) == (False, real.wall)
    e = _emulator(real, clock={"frozen": True, "now": "2040-01-01T00:00:00Z"})
    e.world.advance(1000)
    e.reset()
    assert (e.world.clock.frozen, rfc3339(e.world.clock.time())) == (True, "2040-01-01T00:00:00.000Z")


# -- the clock of a world file, and --clock --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clock", "problem"),
    [
        ({"frozen": "yes"}, "clock.frozen: must be a boolean"),
        ({"now": "tomorrow"}, "clock.now: must be an RFC 3339"),
        ({"now": "1900-01-01T00:00:00Z"}, "clock.now: give a time from 1970"),
        ({"speed": 2}, "clock: unknown key 'speed'"),
    ],
)
def test_a_world_files_bad_clock_is_one_line_naming_it(clock: dict[str, Any], problem: str) -> None:
    with pytest.raises(world_file.WorldError, match="^world.yaml: ") as error:
        world_file.build(default_world.data(spec()) | {"clock": clock}, "world.yaml")
    assert problem in str(error.value)


def test_a_yaml_world_files_date_may_be_written_unquoted() -> None:
    text = "clock: {frozen: true, now: 2030-01-01T00:00:00Z}\naccounts: [{username: a@example.com, password: A-Secret-1}]\n"
    built = world_file.parse(text, "world.yaml")
    built.begin()
    assert (built.clock.frozen, rfc3339(built.clock.time())) == (True, "2030-01-01T00:00:00.000Z")


def _start_world(*argv: str, world_file_data: dict[str, Any] | None = None, tmp_path: Path | None = None) -> world.World:
    """The world `zomro-rescue-mock ARGV` starts with, made as the command makes it, without serving it."""
    if world_file_data is not None and tmp_path is not None:
        path = tmp_path / "world.json"
        path.write_text(json.dumps(world_file_data), encoding="utf-8")
        argv = (*argv, "--world", str(path))
    return mock_main._emulator(mock_main._arguments(list(argv)), spec(), load(SPEC_PATH)).world


def test_the_clock_option_freezes_the_start_world_and_keeps_its_date(tmp_path: Path) -> None:
    assert _start_world().clock.frozen is False
    assert _start_world("--clock", "frozen").clock.frozen is True
    dated = default_world.data(spec()) | {"clock": {"frozen": True, "now": "2040-01-01T00:00:00Z"}}
    started = _start_world("--clock", "running", world_file_data=dated, tmp_path=tmp_path)
    assert started.clock.frozen is False and rfc3339(started.clock.time()).startswith("2040-01-01T00:00:00")


def test_the_clock_option_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOMRO_MOCK_CLOCK", "frozen")
    assert _start_world().clock.frozen is True
    monkeypatch.setenv("ZOMRO_MOCK_CLOCK", "stopped")
    with pytest.raises(SystemExit):
        mock_main._arguments([])


def test_the_clock_option_needs_a_world() -> None:
    with pytest.raises(SystemExit):
        mock_main._arguments(["--stateless", "--clock", "frozen"])


# -- the test kit's Mock, and the SDK's wait on the mock's time ---------------------------------------------------


def test_the_mock_kit_moves_and_freezes_the_clock(mock: mock_process.RunningMock) -> None:
    kit = mock.control
    assert kit.clock()["frozen"] is False
    frozen = kit.freeze(now=datetime(2030, 1, 1, tzinfo=UTC))
    assert (frozen["now"], frozen["frozen"]) == ("2030-01-01T00:00:00.000Z", True)
    assert kit.advance(1.5)["now"] == "2030-01-01T00:00:01.500Z"
    assert kit.freeze("2031-01-01T00:00:00Z")["now"] == "2031-01-01T00:00:00.000Z"
    assert kit.unfreeze()["frozen"] is False


@pytest.mark.parametrize("seconds", [math.nan, math.inf, True, "1"])
def test_the_mock_kit_refuses_an_advance_that_is_no_number_before_sending(mock: mock_process.RunningMock, seconds: Any) -> None:
    with pytest.raises(MockError, match="finite number"):
        mock.control.advance(seconds)


def test_the_mock_kit_says_what_the_mock_refuses(mock: mock_process.RunningMock) -> None:
    with pytest.raises(MockError, match="breaks the rule minimum"):
        mock.control.advance(-1)
    with pytest.raises(MockError, match="time zone"):
        mock.control.freeze(now=datetime(2030, 1, 1))


def _pauses_in_the_mocks_time(mock: mock_process.RunningMock, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """time.sleep moves the mock's clock instead of waiting; a wait that never ends fails instead of running for ever."""
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        assert len(pauses) < 1000, "the wait does not end"
        mock.control.advance(seconds)

    monkeypatch.setattr(time, "sleep", sleep)
    return pauses


def test_a_wait_whose_pauses_are_the_mocks_time_waits_out_a_30_second_rescue_at_once(
    mock: mock_process.RunningMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    mock.load_world(default_world.data(spec()) | {"transitions": {"after": "seconds", "count": 30}, "clock": {"frozen": True}})
    started = time.monotonic()
    with RescueClient(mock.url, session=SESSION) as zomro:
        zomro.rescue(ELID, RESCUE_FORM["select_boot"], password=RESCUE_FORM["password"])
        pauses = _pauses_in_the_mocks_time(mock, monkeypatch)
        seen: list[str] = []
        instance = zomro.wait_for(ELID, "rescued", on_change=lambda instance: seen.append(instance.status))
    assert instance.rescued and seen == [statuses.RESCUING, statuses.RESCUED]
    assert pauses == [10, 10, 10], "the panel's interval, in the mock's time"
    # It did not wait the 30 s it played: the bound is the rescue's own length, which no load comes near.
    assert time.monotonic() - started < 30


def test_a_wait_whose_pauses_are_the_mocks_time_still_times_out(mock: mock_process.RunningMock, monkeypatch: pytest.MonkeyPatch) -> None:
    mock.load_world(default_world.data(spec()) | {"transitions": {"after": "seconds", "count": 3600}, "clock": {"frozen": True}})
    with RescueClient(mock.url, session=SESSION) as zomro:
        zomro.rescue(ELID, RESCUE_FORM["select_boot"], password=RESCUE_FORM["password"])
        pauses = _pauses_in_the_mocks_time(mock, monkeypatch)
        with pytest.raises(WaitTimeout):
            zomro.wait_for(ELID, "rescued", timeout=60, interval=10)
    assert pauses == [10] * 6, "0, 10, ... 60 s: then it gave up, though real time barely moved"


# -- the README's example project, against this checkout -------------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ci-project"


def test_the_example_projects_tests_pass_and_its_clock_tests_wait_for_nothing(tmp_path: Path) -> None:
    # As tests/test_dist.py runs it from the wheels, but with this checkout: each of its tests plays
    # 30 s or an hour of the mock's time, and takes that much less than either of real time.
    project = tmp_path / "ci-project"
    shutil.copytree(EXAMPLE, project)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "zomro_mock.pytest_plugin",
        "-p",
        "no:cacheprovider",
        "-q",
        "--durations=0",
        "--durations-min=0",
    ]
    environment = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    environment = {name: value for name, value in environment.items() if not name.startswith("PYTEST_XDIST")}
    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout
    took = {match[1]: float(match[0]) for match in re.findall(r"^([\d.]+)s call +tests/test_rescue.py::(\w+)$", result.stdout, re.M)}
    assert took["test_rescue_and_wait_out_its_30_seconds"] < 30
    assert took["test_a_new_login_once_the_session_has_expired"] < 3601
