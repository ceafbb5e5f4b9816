"""The pytest plugin (zomro_mock.pytest_plugin) and the Python handle of the control API (zomro_mock.testing).

The plugin is run here as the mock's wheel registers it (`-p zomro_mock.pytest_plugin`, with
every other plugin's autoload off), in pytest sessions of small projects in temporary folders;
tests/test_dist.py runs it from the installed wheel.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from zomro_mock.testing import Mock, MockError
from zomro_testkit import mock_process
from zomro_testkit.contract import SPEC_PATH

ROOT = Path(__file__).resolve().parent.parent

SESSION = "43137b5f35a6ba4ee01f4a4e"  # the article's, live in the default world
PASSWORD = "Secret123"  # the default world's account's
WORLD = """\
transitions: {after: reads, count: 1}
images:
  - {key: 6f1c2a4e-8b3d-4c5e-9f70-a1b2c3d4e5f6, os_name: SystemRescue 11, zone: pub}
accounts:
  - username: ci@example.com
    password: Ci-Secret-1
    instances:
      - {elid: 42, name: db-1, status: stopped, os_name: Debian 12, ip: 192.0.2.42}
"""


# The sessions' mocks share one Prism, started for this module: Node.js and the contract cost Prism most of a
# mock's start. Each mock starts its Prism as always, and gets make mutation's stand-in (tools/mutation/
# prism_forwarder.py), which passes each connection through to the shared one (a Prism started any other way
# is the real one). The plugin, and the mock it starts and stops, are as users run them.
SHARED_PRISM: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def one_prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    prism = ROOT / "node_modules" / ".bin" / "prism"
    port = mock_process.free_port()
    command = [str(prism), "mock", str(SPEC_PATH), "--host", "127.0.0.1", "--port", str(port), "--verboseLevel", "warn"]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "the shared Prism did not start"
                time.sleep(0.05)
        forwarder = tmp_path_factory.mktemp("prism") / "prism"
        forwarder.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "{ROOT / "tools" / "mutation" / "prism_forwarder.py"}" "$@"\n')
        forwarder.chmod(0o755)
        SHARED_PRISM.update(
            ZOMRO_MOCK_PRISM=str(forwarder),
            MUTATION_PRISM_PORT=str(port),
            MUTATION_PRISM_SPEC=str(SPEC_PATH),
            MUTATION_REAL_PRISM=str(prism),
        )
        yield
    finally:
        SHARED_PRISM.clear()
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(15)


def _pytest(project: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-p", "zomro_mock.pytest_plugin", "-p", "no:cacheprovider", "-q", *args]
    environment = {**(env or os.environ), **SHARED_PRISM, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    environment.pop("PYTEST_XDIST_WORKER", None)
    environment.pop("PYTEST_XDIST_WORKER_COUNT", None)
    return subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=timeout)


def _project(tmp_path: Path, tests: str, ini: str = "") -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pytest.ini").write_text(f"[pytest]\n{ini}\n")
    (project / "test_it.py").write_text(tests)
    return project


def test_one_mock_per_worker_each_test_from_the_same_world(tmp_path: Path) -> None:
    tests = "".join(
        f"""
def test_{n}(zomro_mock, zomro_client):
    import json, os
    seen = zomro_client.status(5203773).status
    zomro_client.rescue(5203773, "Debian 12", password="MyPassword1")  # changes the world, for the next test
    record = {{"worker": os.environ.get("PYTEST_XDIST_WORKER"), "url": zomro_mock.url, "seen": seen}}
    open("seen-{n}.json", "w").write(json.dumps(record))
"""
        for n in range(6)
    )
    project = _project(tmp_path, tests)
    result = _pytest(project, "-p", "xdist.plugin", "-n", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    records = [json.loads(path.read_text()) for path in sorted(project.glob("seen-*.json"))]
    assert [record["seen"] for record in records] == ["active"] * 6, "each test starts from the world the mock started with"
    urls = {record["worker"]: record["url"] for record in records}
    assert len(urls) == 2 and len(set(urls.values())) == 2, "one mock per worker, each on its own port"
    for url in urls.values():  # and each is stopped with its session
        with pytest.raises(httpx.TransportError):
            httpx.get(url + "/_mock/faults", timeout=5)


def test_a_session_that_does_not_ask_for_it_starts_no_mock(tmp_path: Path) -> None:
    tests = """
import os
from pathlib import Path

def test_no_child_process():
    assert all(not path.read_text().split() for path in Path(f"/proc/{os.getpid()}/task").glob("*/children"))
"""
    result = _pytest(_project(tmp_path, tests), "-v", "--zomro-mock-world", "nowhere.yaml")
    # The world option is checked only where a test asks for the mock.
    assert result.returncode == 0, result.stdout + result.stderr
    assert "zomro-rescue-mock: one mock per session" in result.stdout  # the header says how


@pytest.mark.parametrize("how", ["option", "ini"])
def test_a_world_file_and_its_first_account(tmp_path: Path, how: str) -> None:
    tests = """
def test_world(zomro_mock, zomro_client):
    assert zomro_mock.account.username == "ci@example.com" and zomro_mock.account.session is None
    assert zomro_client.status(42).status == "stopped"  # logged in with the account's password
    assert [image.os_name for image in zomro_client.images(42)] == ["SystemRescue 11"]
    zomro_client.rescue(42, "SystemRescue 11", password="MyPassword1")
    assert zomro_client.status(42).status == "rescuing"
    assert zomro_client.status(42).status == "rescued"  # transitions: after one read


def test_reset_goes_back_to_it(zomro_mock, zomro_client):
    assert zomro_client.status(42).status == "stopped"
"""
    project = _project(tmp_path, tests, ini="zomro_mock_world = world.yaml" if how == "ini" else "")
    (project / "world.yaml").write_text(WORLD)
    result = _pytest(project, *(["--zomro-mock-world", "world.yaml"] if how == "option" else []))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_more_arguments_for_the_mock_from_the_ini_file(tmp_path: Path) -> None:
    tests = """
def test_rescuing_then_rescued(zomro_client):
    zomro_client.rescue(5203773, "Debian 12", password="MyPassword1")
    assert [zomro_client.status(5203773).status for _ in range(3)] == ["rescuing", "rescuing", "rescued"]
"""
    result = _pytest(_project(tmp_path, tests, ini="zomro_mock_args = --transitions reads:2"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_mock_already_running_by_url(tmp_path: Path) -> None:
    tests = """
def test_rescue(zomro_mock, zomro_client):
    zomro_client.rescue(5203773, "Debian 12", password="MyPassword1")


def test_then_reset(zomro_mock, zomro_client):
    assert zomro_client.status(5203773).status == "active"
    assert zomro_mock.url == URL
"""
    with mock_process.running() as running:
        project = _project(tmp_path, f"URL = {running.url!r}\n" + tests)
        result = _pytest(project, "--zomro-mock-url", running.url)
        assert result.returncode == 0, result.stdout + result.stderr
        # With a world file, each reset loads it into the mock that runs there.
        (project / "test_it.py").write_text(
            "def test_world(zomro_mock, zomro_client):\n    assert zomro_client.status(42).status == 'stopped'\n"
        )
        (project / "world.yaml").write_text(WORLD)
        result = _pytest(project, "--zomro-mock-url", running.url, "--zomro-mock-world", "world.yaml")
        assert result.returncode == 0, result.stdout + result.stderr
    result = _pytest(project, "--zomro-mock-url", running.url)  # stopped now
    assert result.returncode != 0 and "--zomro-mock-url: the mock at" in result.stdout, result.stdout


def test_without_the_sdk_the_client_fixture_says_so_in_one_line(tmp_path: Path) -> None:
    project = _project(tmp_path, "def test_client(zomro_client):\n    pass\n\n\ndef test_mock(zomro_mock):\n    assert zomro_mock.url\n")
    (project / "conftest.py").write_text("import sys\n\nsys.modules['zomro_rescue'] = None  # as if the SDK were not installed\n")
    result = _pytest(project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 passed, 1 error" in result.stdout
    lines = [line for line in result.stdout.splitlines() if "needs the zomro-rescue SDK" in line]
    assert lines and all(
        line.endswith("the zomro_client fixture needs the zomro-rescue SDK: pip install 'zomro-rescue-mock[sdk]'") for line in lines
    )
    assert "Traceback" not in result.stdout


def test_a_mock_that_cannot_start_fails_its_tests_with_its_own_line(tmp_path: Path) -> None:
    project = _project(
        tmp_path, "def test_a(zomro_mock):\n    pass\n\n\ndef test_b(zomro_mock):\n    pass\n", ini="zomro_mock_args = --transitions never"
    )
    result = _pytest(project)
    assert "2 errors" in result.stdout, result.stdout
    # The line of a mock that exited, told at once; not the one of the start's timeout (300 s), which the session would
    # reach only after _pytest's own timeout had failed this test.
    assert "zomro-rescue-mock did not start (exit 2): error: --transitions: give immediate" in result.stdout


def test_no_secret_in_what_pytest_shows(tmp_path: Path) -> None:
    tests = """
def test_fails_showing_everything(zomro_mock, zomro_client):
    account = zomro_mock.account
    world = zomro_mock.world()
    journal = zomro_mock.journal()
    zomro_client.status(5203773)
    assert (account, zomro_mock, zomro_client, world, zomro_mock.journal()) is None
"""
    result = _pytest(_project(tmp_path, tests), "-l", "-vv")
    assert result.returncode == 1 and "password=<9 characters, hidden>" in result.stdout, result.stdout
    for secret in (SESSION, PASSWORD):
        assert secret not in result.stdout + result.stderr


# The handle, in this process, on the session's mock (tests/conftest.py).


def test_the_handle_steers_the_mock(mock: mock_process.RunningMock) -> None:
    handle = Mock(mock.url)
    try:
        fault = handle.fault("rescueInstance", error="busy", elid=5203773, times=2)
        assert fault == {"id": 1, "operation": "rescueInstance", "elid": 5203773, "remaining": 2, "error": "busy"}
        assert handle.faults() == [fault]
        handle.clear_faults()
        assert handle.faults() == []
        httpx.post(mock.url + "/", data={"func": "instances", "out": "json", "auth": SESSION})
        httpx.post(mock.url + "/", data={"func": "instances.fleio.rescue", "out": "json", "auth": SESSION, "elid": "5203774"})
        assert [entry["operation"] for entry in handle.journal()] == ["listInstances", "previewRescueImages"]
        assert [entry["operation"] for entry in handle.journal(elid=5203774)] == ["previewRescueImages"]
        assert handle.journal(func="instances")[0]["fields"]["auth"] == "***"
        handle.clear_journal()
        assert handle.journal() == []
        with pytest.raises(MockError, match="no operation 'rescue'"):
            handle.fault("rescue", error="busy")
        # Another world, and its account; a reset goes back to the first, and its account.
        handle.load_world(
            {"accounts": [{"username": "ci@example.com", "password": "Ci-Secret-1", "instances": [{"elid": 42, "status": "stopped"}]}]}
        )
        assert handle.account.username == "ci@example.com"
        assert [i["elid"] for i in handle.world()["accounts"][0]["instances"]] == [42]
        handle.reset()
        assert handle.account.username == "me@example.com" and handle.account.session is not None
        assert "Secret123" not in repr(handle.account) and (handle.account.session or "") not in repr(handle.account)
        # A kept-alive connection the mock has closed is opened again, once.
        assert handle._connection is not None and handle._connection.sock is not None
        handle._connection.sock.close()
        handle.reset()
    finally:
        handle.close()


def test_a_reset_is_one_request_on_a_kept_alive_connection(mock: mock_process.RunningMock) -> None:
    # What keeps a reset at about a millisecond (a figure of `make bench`, bench/starts.py): no restart, no new
    # connection, one request to the mock already running.
    handle = Mock(mock.url)
    try:
        handle.reset()
        connection = handle._connection
        assert connection is not None and connection.sock is not None
        sock = connection.sock
        for _ in range(20):
            handle.reset()
        assert handle._connection is connection and connection.sock is sock, "a reset opened a new connection"
        assert mock.process.poll() is None
    finally:
        handle.close()


def _processes_marked(mark: str) -> list[int]:
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if mark.encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def test_no_mock_outlives_its_session(tmp_path: Path) -> None:
    # Each worker launches its mock as soon as it collects a test that asks for it; a worker whose tests
    # never do (or a session that deselects them) stops it at the end; --collect-only launches none.
    tests = "def test_mock(zomro_mock):\n    assert zomro_mock.url\n\n\n" + "".join(
        f"def test_plain_{n}():\n    pass\n\n\n" for n in range(6)
    )
    mark = f"zomro-plugin-test-{os.getpid()}-{time.monotonic_ns()}"
    project = _project(tmp_path, tests)
    for args in (["-p", "xdist.plugin", "-n", "2"], ["-k", "plain"], ["--collect-only"]):
        result = _pytest(project, *args, env={**os.environ, "ZOMRO_TEST_MARK": mark})
        assert result.returncode == 0, result.stdout + result.stderr
        assert _processes_marked(mark) == [], args
