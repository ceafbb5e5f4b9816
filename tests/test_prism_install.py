"""The pinned Prism's first-start install (zomro_mock.prism_install), with stand-ins for node and npm.

The real `npm ci` runs in tests/test_dist.py, from the wheel; here npm is a script that
records each call, so that what must happen once, atomically, can be counted. `ensure` runs
in the test's process, but where processes are the point: two installs at once (a lock between
processes), SIGTERM, and the mock's own one-line refusals.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
import zomro_contract
import zomro_mock
from zomro_mock import __main__ as mock_main
from zomro_mock import prism_install
from zomro_mock.prism import PrismError
from zomro_testkit import mock_process

ROOT = Path(__file__).resolve().parent.parent
FAKE_NPM = """#!/bin/sh
PATH=/usr/bin:/bin
echo "$$" >> "$NPM_CALLS"
test "$*" = "{args}" || {{ echo "npm error unexpected arguments: $*"; exit 2; }}
if [ -n "$NPM_FAIL" ]; then echo "npm error code E404"; echo "npm error 404 Not Found - GET @stoplight/prism-cli"; exit 1; fi
# Until the test creates the file NPM_WAIT_FOR names (at most 60 s), or for NPM_SLEEP seconds.
i=0; while [ -n "$NPM_WAIT_FOR" ] && [ ! -e "$NPM_WAIT_FOR" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done
sleep "${{NPM_SLEEP:-0}}"
mkdir -p node_modules/.bin node_modules/@stoplight/prism-cli
echo '{{}}' > node_modules/@stoplight/prism-cli/package.json
printf '#!/bin/sh\\n' > node_modules/.bin/prism && chmod +x node_modules/.bin/prism
"""


@pytest.fixture
def tools(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH holds only a fake node (v20) and a fake npm, and whose cache is empty."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "node").write_text('#!/bin/sh\necho "v${NODE_VERSION:-20.20.2}"\n')
    (bin_dir / "npm").write_text(FAKE_NPM.format(args=" ".join(prism_install.NPM_CI)))
    for tool in ("node", "npm"):
        (bin_dir / tool).chmod(0o755)
    return {
        **os.environ,
        "PATH": str(bin_dir),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "NPM_CALLS": str(tmp_path / "npm-calls"),
    }


ENSURE = (
    "import sys; from zomro_mock import prism_install; print(prism_install.ensure(lambda line: print(line, file=sys.stderr, flush=True)))"
)


def _ensure(env: dict[str, str]) -> tuple[Path, list[str]]:
    """prism_install.ensure() in this process, with `env` as the whole environment: Prism's path and the progress shown."""
    shown: list[str] = []
    with mock.patch.dict(os.environ, env, clear=True):
        return prism_install.ensure(shown.append), shown


def _calls(env: dict[str, str]) -> int:
    calls = Path(env["NPM_CALLS"])
    return len(calls.read_text().split()) if calls.exists() else 0


def _cache(env: dict[str, str]) -> Path:
    return Path(env["XDG_CACHE_HOME"]) / "zomro-rescue-mock"


def test_first_use_installs_with_progress_then_reuses(tools: dict[str, str]) -> None:
    prism, shown = _ensure(tools)
    assert prism == _cache(tools) / prism_install.cache_key() / "node_modules" / ".bin" / "prism"
    assert prism.exists()
    assert "first start: installing Prism 5.16.0" in shown[0] and "Prism 5.16.0 installed in" in shown[-1], shown
    again, shown_again = _ensure(tools)
    assert again == prism and shown_again == [], "a later start says nothing and installs nothing"
    assert _calls(tools) == 1
    # Nothing left beside it but the lock file; the folder has the manifest it was installed from.
    assert sorted(path.name for path in _cache(tools).iterdir()) == [prism_install.cache_key(), f"{prism_install.cache_key()}.lock"]
    assert (prism.parents[2] / "package-lock.json").read_bytes() == prism_install.lock_file().read_bytes()


def test_the_key_names_the_version_and_the_lock_file() -> None:
    version, digest = prism_install.cache_key().removeprefix("prism-").rsplit("-", 1)
    assert version == prism_install.pinned_version() == "5.16.0"
    assert len(digest) == 12 and int(digest, 16) >= 0


def test_two_at_once_install_once(tools: dict[str, str], tmp_path: Path) -> None:
    # Two processes (the lock is between processes); npm runs until one of them is seen waiting for the other, or
    # until both are in npm at once (no lock: the test fails at once, not after its deadline).
    go = tmp_path / "go"
    env = {**tools, "NPM_WAIT_FOR": str(go)}
    errs = [tmp_path / f"stderr-{i}" for i in range(2)]
    both = []
    for err in errs:
        with err.open("w") as stderr:
            both.append(subprocess.Popen([sys.executable, "-c", ENSURE], env=env, stdout=subprocess.PIPE, stderr=stderr, text=True))
    deadline = time.monotonic() + 60
    while (
        not any("waiting for another zomro-rescue-mock" in err.read_text() for err in errs)
        and _calls(tools) < 2
        and time.monotonic() < deadline
    ):
        assert all(process.poll() is None for process in both), [err.read_text() for err in errs]
        time.sleep(0.05)
    go.touch()
    outputs = [process.communicate(timeout=60)[0] for process in both]
    stderrs = [err.read_text() for err in errs]
    assert [process.returncode for process in both] == [0, 0], stderrs
    assert outputs[0] == outputs[1]
    assert _calls(tools) == 1
    assert any("waiting for another zomro-rescue-mock" in err for err in stderrs), stderrs
    assert not list(_cache(tools).glob(".prism-*")), "a temporary folder is left"


def test_a_killed_install_leaves_nothing_in_the_way(tools: dict[str, str]) -> None:
    # What a SIGKILL during npm ci leaves: a temporary folder, half filled, which the next install removes.
    _cache(tools).mkdir(parents=True)
    stale = _cache(tools) / f".{prism_install.cache_key()}.abc123"
    (stale / "node_modules").mkdir(parents=True)
    assert _ensure(tools)[0].exists()
    assert not stale.exists()


def test_sigterm_during_the_install_stops_npm_and_cleans_up(tools: dict[str, str], tmp_path: Path) -> None:
    env = {**tools, "NPM_SLEEP": "30"}
    process = subprocess.Popen([sys.executable, "-c", ENSURE], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while _calls(env) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    npm_pid = int(Path(env["NPM_CALLS"]).read_text().split()[0])
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=15)
    assert process.returncode != 0
    assert _gone(npm_pid)
    assert not list(_cache(tools).glob(".prism-*")) and not (_cache(tools) / prism_install.cache_key()).exists()


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return True
        if "(zombie)" in state:
            return True
        time.sleep(0.05)
    return False


def test_npm_failing_is_one_line_with_its_error_and_log(tools: dict[str, str]) -> None:
    with pytest.raises(PrismError) as failed:  # which the mock prints as its one line, and exits 1
        _ensure({**tools, "NPM_FAIL": "1"})
    (last,) = str(failed.value).splitlines()
    assert "npm ci could not install Prism 5.16.0 (exit 1): npm error code E404" in last
    log = Path(last.rpartition("its log is kept in ")[2])
    assert "404 Not Found" in log.read_text()
    assert not (_cache(tools) / prism_install.cache_key()).exists()
    assert not list(_cache(tools).glob(".prism-*"))


@pytest.fixture
def installed_elsewhere(tmp_path: Path) -> Path:
    """The mock's and the contract reader's packages outside the checkout, as from a wheel (no node_modules near)."""
    site = tmp_path / "site-packages"
    for package in (zomro_mock, zomro_contract):
        folder = Path(package.__file__).parent
        shutil.copytree(folder, site / folder.name, symlinks=False, ignore=shutil.ignore_patterns("__pycache__"))
    return site


@pytest.mark.parametrize(
    ("node_version", "npm", "says"),
    [
        (None, True, "Node.js is not installed: the mock runs Prism, which needs Node.js 20 or newer with npm"),
        ("18.19.0", True, "Node.js v18.19.0 is too old: Prism needs Node.js 20 or newer"),
        ("20.20.2", False, "npm is not installed: the first start installs Prism 5.16.0 with `npm ci`"),
    ],
)
def test_without_node_20_or_npm_the_mock_says_so_in_one_line(
    tools: dict[str, str], installed_elsewhere: Path, node_version: str | None, npm: bool, says: str
) -> None:
    bin_dir = Path(tools["PATH"])
    if node_version is None:
        (bin_dir / "node").unlink()
    if not npm:
        (bin_dir / "npm").unlink()
    # The copy first; after it, what PYTHONPATH held (under `make mutation`, the harness that records what this process runs).
    python_path = os.pathsep.join([str(installed_elsewhere), *filter(None, [os.environ.get("PYTHONPATH")])])
    env = {**tools, "PYTHONPATH": python_path, "NODE_VERSION": node_version or ""}
    result = subprocess.run(
        [sys.executable, "-m", "zomro_mock", "--port", str(mock_process.free_port())],
        cwd="/",  # no node_modules above it (tmp_path may be in a checkout: make mutation's TMPDIR is)
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [result.stderr.strip()], result.stderr
    assert result.stderr.startswith(f"zomro-rescue-mock: {says}"), result.stderr
    assert _calls(tools) == 0


def test_help_tells_where_prism_comes_from(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        mock_main.main(["--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    for says in ("1. node_modules/.bin/prism", "2. this project's own", "3. the Prism 5.16.0 pinned", "npm ci", "Node.js 20"):
        assert says in shown, says


def test_the_pinned_prism_is_the_projects() -> None:
    # The mock's own manifest installs the same Prism, with the same dependencies, as the project's lock file.
    ours = json.loads(prism_install.lock_file().read_text())["packages"]
    projects = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    manifest = json.loads((prism_install.MANIFEST / "package.json").read_text())
    assert manifest["dependencies"] == {
        "@stoplight/prism-cli": json.loads((ROOT / "package.json").read_text())["devDependencies"]["@stoplight/prism-cli"]
    }
    differ = [
        name
        for name in ours
        if name
        and {k: ours[name].get(k) for k in ("version", "integrity")} != {k: projects.get(name, {}).get(k) for k in ("version", "integrity")}
    ]
    assert not differ, (
        f"regenerate mock/zomro_mock/prism/package-lock.json from the project's (zomro_mock/prism_install.py says how): {differ}"
    )
