"""The pytest plugin of zomro-rescue-mock (its `pytest11` entry point): the mock as fixtures.

- `zomro_mock`: the mock, its world reset before the test (a round trip on a kept-alive
  connection: about a millisecond), with the control API in Python: `.url`, `.journal()`,
  `.fault()`, `.faults()`, `.world()`, `.load_world()`, `.reset()`, `.account`, and the
  world's clock: `.advance(seconds)`, `.freeze()`, `.unfreeze()`, `.clock()`.
- `zomro_mock_session`: the same mock, not reset: one per test session, and one per worker
  under pytest-xdist, each on a port the system picks.
- `zomro_client`: a `zomro_rescue.RescueClient` aimed at it, logged in as the world's first
  account (needs the SDK: `pip install 'zomro-rescue-mock[sdk]'`).

Options: `--zomro-mock-world FILE` starts the mock with that world; `--zomro-mock-url URL` uses
a mock already running there instead (each reset then loads the world file, if one is given).
In an ini file: `zomro_mock_world`, `zomro_mock_url`, and `zomro_mock_args` for more of the
mock's arguments (`--transitions reads:2`). The mock is started only for a session that uses
one of the fixtures: as soon as such a test is collected, so that it starts while pytest goes on.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .testing import Mock, MockError, MockProcess


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("zomro_mock", "the Zomro rescue mock (zomro-rescue-mock)")
    group.addoption(
        "--zomro-mock-world",
        metavar="FILE",
        default=None,
        help="start the mock with this world, YAML or JSON in control-api.yaml's World format (ini: zomro_mock_world)",
    )
    group.addoption(
        "--zomro-mock-url",
        metavar="URL",
        default=None,
        help="use the mock already running at URL instead of starting one (ini: zomro_mock_url)",
    )
    parser.addini("zomro_mock_world", "a world file for the mock, relative to the ini file (--zomro-mock-world)", default="")
    parser.addini("zomro_mock_url", "the URL of a mock already running (--zomro-mock-url)", default="")
    parser.addini("zomro_mock_args", "more arguments for zomro-rescue-mock, such as --transitions reads:2", type="args", default=[])


def _world(config: pytest.Config) -> Path | None:
    given = config.getoption("zomro_mock_world")
    if given:  # relative to where pytest was run, as pytest's own paths are (an xdist worker may run elsewhere)
        path = Path(config.invocation_params.dir, str(given))
    elif config.getini("zomro_mock_world"):
        path = (config.inipath.parent if config.inipath else config.rootpath) / str(config.getini("zomro_mock_world"))
    elif os.environ.get("ZOMRO_MOCK_WORLD"):  # the mock's own variable: what it would start with
        path = Path(os.environ["ZOMRO_MOCK_WORLD"])
    else:
        return None
    if not path.is_file():
        raise pytest.UsageError(f"zomro-rescue-mock: no world file at {path}")
    return path.resolve()


def pytest_report_header(config: pytest.Config) -> str:
    url = config.getoption("zomro_mock_url") or config.getini("zomro_mock_url")
    world = config.getoption("zomro_mock_world") or config.getini("zomro_mock_world") or "the default"
    where = f"the mock at {url}" if url else "one mock per session (per xdist worker), on a free port, once a test asks for it"
    return f"zomro-rescue-mock: {where}; world: {world}"


def _shower(config: pytest.Config) -> Callable[[str], None]:
    """Lines on the terminal as they come, whatever pytest captures (a first start installs Prism for up to a minute)."""
    capture: Any = config.pluginmanager.getplugin("capturemanager")
    first = True

    def show(line: str) -> None:
        nonlocal first
        with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
            sys.stderr.write(("\n" if first else "") + line + "\n")  # the first below pytest's line of progress
            sys.stderr.flush()
        first = False

    return show


# Fixtures that need the mock. The first test collected that asks for one launches it, so that it
# starts while pytest collects the rest and runs what comes before (a test deselected later, with
# -k or -m, may have launched it for nothing: it is stopped at the end).
FIXTURES = frozenset({"zomro_mock", "zomro_mock_session", "zomro_client"})
_LAUNCHED = pytest.StashKey[MockProcess]()


def _url(config: pytest.Config) -> str:
    return str(config.getoption("zomro_mock_url") or config.getini("zomro_mock_url"))


def pytest_itemcollected(item: pytest.Item) -> None:
    config = item.config
    if _LAUNCHED in config.stash or not FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return
    if config.option.collectonly or _url(config):
        return
    config.stash[_LAUNCHED] = MockProcess.launch(*config.getini("zomro_mock_args"), world=_world(config))


def pytest_sessionfinish(session: pytest.Session) -> None:
    launched = session.config.stash.get(_LAUNCHED, None)
    if launched is not None:  # launched, and no test on this worker asked for it after all
        del session.config.stash[_LAUNCHED]
        launched.stop()


@pytest.fixture(scope="session")
def zomro_mock_session(request: pytest.FixtureRequest) -> Iterator[Mock]:
    """The mock of this session (of this worker, under pytest-xdist), as it is: not reset."""
    config = request.config
    url = _url(config)
    if url:
        world = _world(config)
        mock = Mock(url, world, reset_loads_world=True)
        try:
            mock.reset() if world else mock.faults()  # there, and a mock with its control API
        except MockError as error:
            pytest.fail(f"--zomro-mock-url: {error}", pytrace=False)
        yield mock
        mock.close()
        return
    process = config.stash.get(_LAUNCHED, None)
    if process is None:
        process = MockProcess.launch(*config.getini("zomro_mock_args"), world=_world(config))
    else:
        del config.stash[_LAUNCHED]  # this fixture stops it
    try:
        mock = process.wait_ready(_shower(config))
    except MockError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield mock
    finally:
        process.stop()


@pytest.fixture
def zomro_mock(zomro_mock_session: Mock) -> Mock:
    """The mock, its world as it started (or as the world file says), no journal, no faults."""
    try:
        zomro_mock_session.reset()
    except MockError as error:
        pytest.fail(str(error), pytrace=False)
    return zomro_mock_session


@pytest.fixture
def zomro_client(zomro_mock: Mock) -> Iterator[Any]:
    """The SDK's `RescueClient` aimed at the mock, with the world's first account (a live session if it has one)."""
    try:
        from zomro_rescue import RescueClient
    except ImportError:
        pytest.fail("the zomro_client fixture needs the zomro-rescue SDK: pip install 'zomro-rescue-mock[sdk]'", pytrace=False)
    account = zomro_mock.account
    with RescueClient(zomro_mock.url, session=account.session, username=account.username, password=account.password) as client:
        yield client
