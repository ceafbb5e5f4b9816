"""A pytest plugin for `make mutation` (mutmut): the functions that the tests' own processes run, and their clean-up.

mutmut runs each mutant with the tests that called the mutated function when it recorded, in the test
process, which test calls what. The mock and the `zomro-rescue` command run in processes the tests start,
so it would see none of their calls and count their mutants as "no tests". While it records, this plugin
names a folder in MUTMUT_SUBPROCESS_HITS, where each such process writes the functions it calls
(sitecustomize.py, beside this file), and gives them to the test during which they were called. A process
started by a fixture (the session's mock) counts its start and its stop for every test that used it: each
of those tests, run alone on a mutant, starts and stops its own. What a process runs counts only for the
tests of its package (TESTS_OF).

It orders a mutant's tests (pytest_collection_modifyitems), and kills, when a mutant's tests end, the processes they left (a mutant can keep the mock from stopping),
and does so too when mutmut stops a mutant that ran out of time (SIGXCPU) or the run (SIGTERM).
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections import defaultdict
from collections.abc import Generator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

FOLDER = "MUTMUT_SUBPROCESS_HITS"


def _descendants(pid: int) -> list[int]:
    found = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            pids = [int(child) for child in children.read_text().split()]
        except OSError:
            continue
        for child in pids:
            found += [child, *_descendants(child)]
    return found


def _kill_descendants() -> None:
    for pid in _descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# mutmut stops a mutant's process with SIGXCPU when its time is out, and with SIGTERM when the run is interrupted.
STOPS = (signal.SIGXCPU, signal.SIGTERM)


def _stopped(signum: int, frame: FrameType | None) -> None:
    _kill_descendants()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)  # the status mutmut reads (SIGXCPU: a timeout)


class SubprocessCalls:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.read_up_to: dict[str, int] = {}
        self.lifecycle: defaultdict[str, set[str]] = defaultdict(set)  # process ID -> what it ran outside any test
        self.users: defaultdict[str, set[str]] = defaultdict(set)  # process ID -> the tests during which it ran something
        self.during_setup: dict[str, set[str]] = {}

    def read(self) -> dict[str, set[str]]:
        """What each process has run since the last read."""
        calls = {}
        for path in self.folder.iterdir():
            start = self.read_up_to.get(path.name, 0)
            with path.open("rb") as file:
                file.seek(start)
                data = file.read()
            complete = data.rfind(b"\n") + 1
            self.read_up_to[path.name] = start + complete
            names = set(data[:complete].decode().split())
            if names:
                calls[path.name] = names
        return calls

    def known(self, pid: str) -> bool:
        return pid in self.users or pid in self.lifecycle

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, Any, None]:
        for pid, names in self.read().items():  # since the last test: fixtures that were stopped
            self.lifecycle[pid] |= names
        yield
        self.during_setup = {}
        for pid, names in self.read().items():
            if self.known(pid):
                self.during_setup[pid] = names
            else:  # started by a fixture
                self.lifecycle[pid] |= names
            self.users[pid].add(item.nodeid)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> None:
        names = set().union(*self.during_setup.values())
        for pid, called in self.read().items():
            names |= called
            self.users[pid].add(item.nodeid)
        self.during_setup = {}
        _record(names, [item.nodeid])

    def pytest_sessionfinish(self) -> None:
        for pid, names in self.read().items():
            self.lifecycle[pid] |= names
        for pid, names in self.lifecycle.items():
            _record(names, self.users[pid])


# A process counts only for the tests of its code: the mock serves the SDK's and the command's tests too, and
# the command and the SDK run in the pytest sessions of the plugin's tests, but they are not tests of those
# (or each mutant that survives would wait for ~100 more tests). The longest prefix of a function's name says
# whose tests its calls in such a process count for.
MOCK_TESTS = ("tests/test_mock", "tests/test_emulator", "tests/test_clock", "tests/test_panel_requests")
SDK_TESTS = ("tests/test_sdk", "tests/test_wait", "tests/test_probe", "tests/test_quirky_server", "tests/test_cli")
TESTS_OF = {
    "zomro_rescue.": SDK_TESTS,
    "zomro_mock.": MOCK_TESTS,
    "zomro_mock.prism_install.": (*MOCK_TESTS, "tests/test_prism_install"),
    # The plugin runs in the pytest sessions that test_pytest_plugin starts (4 to 8 s each); the control API's
    # handle that the plugin gives them is tested in this process, by them and by the mock's tests.
    "zomro_mock.pytest_plugin.": ("tests/test_pytest_plugin",),
}


def _tests_of(function: str) -> tuple[str, ...]:
    prefixes = [prefix for prefix in TESTS_OF if function.startswith(prefix)]
    return TESTS_OF[max(prefixes, key=len)] if prefixes else ("",)


def _record(functions: set[str], tests: Any) -> None:
    from mutmut.state import state
    from mutmut.utils.format_utils import strip_prefix

    tests = {strip_prefix(test, prefix="mutants/") for test in tests}
    for function in functions:
        state().tests_by_mangled_function_name[function] |= {test for test in tests if test.startswith(_tests_of(function))}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A mutant's tests, which mutmut gives in any order, a file at a time (its module's fixtures, a mock or a
    Prism, start once), the files whose tests took least first: a mutant is killed by its first failure. Before
    pytest's own ordering, which then groups the tests of each parameter of a fixture (a mock for each)."""
    from mutmut.state import state

    durations = state().duration_by_test
    cost: defaultdict[str, float] = defaultdict(float)
    for item in items:
        cost[item.location[0]] += durations.get(item.nodeid, 0.0)
    items.sort(key=lambda item: (cost[item.location[0]], item.location[0], item.location[1] or 0))


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        folder = Path(tempfile.mkdtemp(prefix="mutmut-subprocess-hits-"))
        os.environ[FOLDER] = str(folder)
        config.pluginmanager.register(SubprocessCalls(folder), "mutmut_subprocess_calls")
    for stop in STOPS:
        signal.signal(stop, _stopped)


def pytest_unconfigure(config: pytest.Config) -> None:
    _kill_descendants()
    for stop in STOPS:
        signal.signal(stop, signal.SIG_DFL)
    folder = os.environ.pop(FOLDER, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
