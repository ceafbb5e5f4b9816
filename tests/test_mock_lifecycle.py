"""The mock starts with one command, fails with one line, and leaves no Prism behind.

A mock's start costs a Prism (1.5 s or more on a loaded 2-core machine), so a test that starts one for
what it checks while the mock runs also checks how it ends: SIGINT, SIGTERM or SIGKILL.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml
import zomro_contract
import zomro_mock
from zomro_testkit import article, mock_process
from zomro_testkit.contract import SPEC_PATH


def _gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists() or "(zombie)" in _state(pid):
            return True
        time.sleep(0.05)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].splitlines()[0]
    except (OSError, IndexError):
        return ""


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([mock_process.COMMAND, *args], capture_output=True, text=True, timeout=60, env=env)


def _prism_served(prism: int) -> Path:
    """The contract Prism serves, from its command line (`prism mock FILE ...`)."""
    arguments = Path(f"/proc/{prism}/cmdline").read_bytes().split(b"\0")
    return Path(arguments[arguments.index(b"mock") + 1].decode())


def _watched_inodes(pid: int) -> set[int]:
    """The inodes a process watches with inotify (how Prism's file watcher, chokidar, watches on Linux)."""
    inodes: set[int] = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd) == "anon_inode:inotify":
                inodes |= {int(ino, 16) for ino in re.findall(r"\bino:([0-9a-f]+)", Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text())}
        except OSError:  # closed while read
            continue
    return inodes


def test_port_and_host_from_the_environment_then_ctrl_c_stops_the_mock_and_prism() -> None:
    port = mock_process.free_port()
    env = {**os.environ, "ZOMRO_MOCK_PORT": str(port), "ZOMRO_MOCK_HOST": "127.0.0.1"}
    mock = mock_process.start("--verbose", env=env)
    try:
        assert mock.url == f"http://127.0.0.1:{port}"
        answer = httpx.post(mock.url + "/", data=article.curl_example("rescue").form)  # a fresh world: rescued at once
        assert answer.json() == {"doc": {"ok": {}}}
        (prism,) = mock.prism_pids()
    finally:
        code = mock.stop(signal.SIGINT)
    assert code == 0
    assert _gone(prism), "Prism is still running after Ctrl-C stopped the mock"


def test_a_contract_edited_while_it_runs_does_not_stop_the_mock_then_sigkill_takes_prism_with_it(tmp_path: Path) -> None:
    # Prism reloads a changed file and exits on a half-written one (an editor saving);
    # the mock serves its own copy, so both keep the contract they started with.
    contract = tmp_path / "openapi.yaml"
    shutil.copyfile(SPEC_PATH, contract)
    mock = mock_process.start("--port", str(mock_process.free_port()), "--spec", str(contract))
    try:
        (prism,) = mock.prism_pids()
        served = _prism_served(prism)
        # Prism's watch on the file it serves, set up as it starts answering: that it is on the copy, never on the
        # user's file or its folder, is why an edit cannot reach Prism. Checked, not waited out (Prism takes 1-2 s
        # to die of an edit, more on a loaded machine).
        deadline = time.monotonic() + 15
        while not (watched := _watched_inodes(prism)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert served.stat().st_ino in watched, f"Prism watches {watched}, not the contract it serves ({served})"
        assert not watched & {contract.stat().st_ino, tmp_path.stat().st_ino}, "Prism watches the user's contract"
        contract.write_text("")
        answer = httpx.post(mock.url + "/", data=article.curl_example("rescue").form)  # a fresh world: rescued at once
        assert answer.json() == {"doc": {"ok": {}}}
        assert mock.process.poll() is None, mock.output()
        prism_log = Path(os.readlink(f"/proc/{prism}/fd/1"))
    finally:
        mock.stop(signal.SIGKILL)
    assert _gone(prism), "Prism outlived a mock killed with SIGKILL"
    # SIGKILL left the mock no chance to remove its copy of the contract and Prism's log
    shutil.rmtree(served.parent)
    prism_log.unlink()


def test_prism_dying_stops_the_mock_with_one_line() -> None:
    mock = mock_process.start()
    (prism,) = mock.prism_pids()
    os.kill(prism, signal.SIGKILL)
    code = mock.process.wait(15)
    assert code != 0
    (line,) = mock.stderr.read_text().strip().splitlines()[-1:]
    assert line.startswith("zomro-rescue-mock: Prism exited")
    # The message points to Prism's log, and it is still there to read.
    kept = Path(line.rpartition("its log is kept in ")[2])
    assert kept.is_file(), line
    kept.unlink()


def test_port_in_use_is_one_line_and_non_zero() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        result = _run("--port", str(port))
    assert result.returncode != 0
    assert time.monotonic() - started < 10, "a busy port must fail at once, not after starting Prism"
    assert result.stderr.strip().splitlines() == [
        f"zomro-rescue-mock: port {port} on 127.0.0.1 is already in use: stop what uses it, or pick another port with --port or ZOMRO_MOCK_PORT"
    ]


def test_missing_node_is_one_line_and_non_zero() -> None:
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if not Path(p, "node").exists())
    assert shutil.which("node", path=path) is None
    result = _run("--port", str(mock_process.free_port()), env={**os.environ, "PATH": path})
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Node.js is not installed" in result.stderr


def test_missing_prism_is_one_line_and_non_zero(tmp_path: Path) -> None:
    result = _run("--port", str(mock_process.free_port()), "--prism", str(tmp_path / "prism"))
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "make setup" in result.stderr


def test_a_contract_that_cannot_be_read_is_one_line_and_non_zero(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("paths: [")
    (tmp_path / "not-openapi.yaml").write_text("a: 1\n")
    # A path key that names no `func` after `#`: the router could not select its operation.
    contract = yaml.safe_load(SPEC_PATH.read_text())
    contract["paths"] = {"/": next(iter(contract["paths"].values()))}
    (tmp_path / "no-func.yaml").write_text(yaml.safe_dump(contract))
    cases = (
        ("missing.yaml", "cannot read the contract"),
        ("broken.yaml", "cannot serve"),
        ("not-openapi.yaml", "no 'paths'"),
        ("no-func.yaml", "names no `func`"),
    )
    # All at once: each fails on its own, and the four starts overlap.
    runs = [
        subprocess.Popen(
            [mock_process.COMMAND, "--port", str(mock_process.free_port()), "--spec", str(tmp_path / spec)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for spec, _ in cases
    ]
    for process, (spec, says) in zip(runs, cases, strict=True):
        _, stderr = process.communicate(timeout=60)
        assert process.returncode != 0, spec
        assert len(stderr.strip().splitlines()) == 1, stderr
        assert says in stderr, stderr


def test_the_mock_runs_as_installed_from_a_wheel_then_sigterm_stops_it_and_prism(tmp_path: Path) -> None:
    # A wheel holds zomro_mock, and zomro_contract with a copy of the contract, and no checkout around
    # them: the mock finds the contract in its package, and Prism in the project it is run from (npm's node_modules).
    # (tests/test_dist.py runs real wheels, with the Prism they install.)
    site, project = tmp_path / "site-packages", tmp_path / "project"
    for package in (zomro_mock, zomro_contract):
        folder = Path(package.__file__).parent
        shutil.copytree(folder, site / folder.name, symlinks=False, ignore=shutil.ignore_patterns("__pycache__"))
    project.mkdir()
    (project / "node_modules").symlink_to(SPEC_PATH.parent / "node_modules")
    env = {**os.environ, "PYTHONPATH": str(site)}
    port = mock_process.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "zomro_mock", "--port", str(port)], cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        ready = process.stdout.readline().decode()
        assert f"contract {site / 'zomro_contract' / 'openapi.yaml'}" in ready, ready + process.stderr.read().decode()
        answer = httpx.post(f"http://127.0.0.1:{port}/", data=article.curl_example("rescue").form)  # a fresh world: rescued at once
        assert answer.json() == {"doc": {"ok": {}}}
        prisms = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        assert len(prisms) == 1, prisms
    finally:
        process.terminate()  # SIGTERM
        code = process.wait(15)
    assert code == 0
    assert _gone(int(prisms[0])), "Prism is still running after SIGTERM stopped the mock"
    # Without Prism anywhere it can look, it would install the pinned one; without npm, one line says so.
    node_only = tmp_path / "bin"
    node_only.mkdir()
    (node_only / "node").symlink_to(shutil.which("node") or "node")
    elsewhere = subprocess.run(
        [sys.executable, "-m", "zomro_mock", "--port", str(port)],
        cwd=tmp_path,
        env={**env, "PATH": str(node_only), "XDG_CACHE_HOME": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert elsewhere.returncode == 1 and len(elsewhere.stderr.strip().splitlines()) == 1, elsewhere.stderr
    assert "npm is not installed" in elsewhere.stderr
