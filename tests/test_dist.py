"""The distributions, proven from a separate project, as the README's "In your CI" shows.

`make dist`, then the README's CI job, its `run:` steps read from the README, in a copy of
examples/ci-project holding the wheels alone: a fresh virtual environment, an empty Prism
cache, nothing of this checkout on any path. Then the figures the README's claims rest on:
a first start (Prism installed from npm's cache), a later start against `make mock`'s, the
time the plugin adds to a session, and the cost of a reset. About two minutes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from zomro_mock import prism_install

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLE = ROOT / "examples" / "ci-project"
# What GitHub provides, that this machine has already: the checkout is the copy, Python and Node.js are here.
SETUP_ACTIONS = {"actions/checkout@v4", "actions/setup-python@v5", "actions/setup-node@v4"}
READY = "Zomro rescue mock: "
DISTRIBUTIONS = ("zomro-rescue-mock", "zomro-rescue", "zomro-rescue-client", "zomro-rescue-contract")
MODULES = ("zomro_mock", "zomro_rescue", "zomro_rescue_client", "zomro_contract")

pytestmark = pytest.mark.dist


def _section() -> str:
    return README.split("\n## In your CI\n", 1)[1].split("\n## ", 1)[0]


def ci_job() -> dict[str, object]:
    (block,) = re.findall(r"```yaml\n(.*?)```", _section(), flags=re.S)
    job: dict[str, object] = yaml.safe_load(block)["jobs"]["test"]
    return job


def run_steps() -> list[str]:
    steps = ci_job()["steps"]
    assert isinstance(steps, list)
    assert {step["uses"] for step in steps if "uses" in step} == SETUP_ACTIONS, "a step the proof does not run"
    return [step["run"] for step in steps if "run" in step]


def test_the_readme_shows_the_example_project_as_it_is() -> None:
    (tests,) = [block for block in re.findall(r"```python\n(.*?)```", _section(), flags=re.S) if "\ndef test_" in block]
    assert tests == (EXAMPLE / "tests" / "test_rescue.py").read_text(encoding="utf-8")
    assert 'zomro_mock_args = ["--transitions", "seconds:30", "--clock", "frozen"]' in (EXAMPLE / "pyproject.toml").read_text(
        encoding="utf-8"
    )
    assert len(run_steps()) == 3


def _clean_env(cache: Path) -> dict[str, str]:
    """This machine's environment without this checkout: its venv, its node_modules and its variables."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ZOMRO_", "PYTEST_", "MAKE", "MFLAGS", "UV_", "COV_"))
        and name not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")
    }
    env["PATH"] = os.pathsep.join(
        folder for folder in env["PATH"].split(os.pathsep) if folder and not Path(folder).resolve().is_relative_to(ROOT)
    )
    env["XDG_CACHE_HOME"] = str(cache)
    return env


def _bash(step: str, cwd: Path, env: dict[str, str], timeout: float = 600) -> tuple[float, str]:
    """A `run:` step as GitHub Actions runs it (bash -e -o pipefail), its time and output."""
    started = time.monotonic()
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"step failed: {step}\n{output[-6000:]}"
    return time.monotonic() - started, output


def _start_time(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds from the command to the mock's line saying it serves; then it is stopped."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        elapsed = time.monotonic() - started
        assert line.startswith(READY), line + (process.stderr.read().decode() if process.stderr else "")
        return elapsed
    finally:
        process.terminate()
        process.wait(15)


def test_the_ci_job_passes_from_the_wheels_alone(tmp_path: Path) -> None:
    timings: dict[str, float] = {}
    started = time.monotonic()
    dist = tmp_path / "dist"
    build = subprocess.run(["make", "dist", f"DIST={dist}"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    timings["make dist"] = time.monotonic() - started
    wheels = sorted(dist.glob("*.whl"))
    assert sorted(wheel.name.split("-")[0] for wheel in wheels) == sorted(name.replace("-", "_") for name in DISTRIBUTIONS)

    project = tmp_path / "rescue-ops"
    shutil.copytree(EXAMPLE, project)
    (project / "wheels").mkdir()
    for wheel in wheels:
        shutil.copy2(wheel, project / "wheels")
    cache = tmp_path / "cache"
    env = _clean_env(cache)

    install, test, curl = run_steps()
    timings["install step"], _ = _bash(install, project, env)
    timings["pytest step (first start: Prism installed)"], output = _bash(test, project, env)
    assert "3 passed" in output, output
    # The first start installed the pinned Prism from the wheel's lock file, showing its progress, once.
    assert "first start: installing Prism" in output and f"Prism {prism_install.pinned_version()} installed" in output, output
    assert output.count("first start: installing Prism") == 1, output
    (installed,) = [folder for folder in (cache / "zomro-rescue-mock").glob("prism-*") if folder.is_dir()]
    assert installed.name == f"prism-{prism_install.pinned_version()}-{prism_install.cache_key().rsplit('-', 1)[1]}"
    assert (installed / "node_modules" / ".bin" / "prism").exists()
    assert not list((cache / "zomro-rescue-mock").glob(".prism-*")), "a temporary folder of the install is left"
    timings["curl step (a later start)"], output = _bash(curl, project, env)
    assert "all as expected" in output, output

    # Nothing of this checkout on the path of the environment the steps ran in.
    python = project / ".venv" / "bin" / "python"
    probe = subprocess.run(
        [
            str(python),
            "-c",
            f"import json, sys, {', '.join(MODULES)}; print(json.dumps([sys.path, [{', '.join(m + '.__file__' for m in MODULES)}]]))",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    paths, files = json.loads(probe.stdout)
    assert not [path for path in paths + files if path and Path(path).resolve().is_relative_to(ROOT)], (paths, files)
    assert all(Path(file).resolve().is_relative_to((project / ".venv").resolve()) for file in files), files

    figures = _figures(project, env, tmp_path)
    print(
        "\n".join(
            f"{name}: {seconds * 1000:.2f} ms" if "reset" in name else f"{name}: {seconds:.2f} s"
            for name, seconds in {**timings, **figures}.items()
        )
    )
    # The bounds, with room for a machine that other work loads (seconds vary by half from run to run
    # here): what they catch is a start that installs Prism again, or a mock started for each test.
    assert figures["first start, fresh cache (npm ci from npm's cache)"] < 60
    assert figures["later start, from the wheel (median of 3)"] < 2 * figures["`make mock`'s start, checkout (median of 3)"] + 0.5
    assert figures["plugin's added session time"] < 2 * figures["later start, from the wheel (median of 3)"] + 1.0
    assert figures["reset, median of 300"] < 0.02


def _figures(project: Path, env: dict[str, str], tmp_path: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    wheel_mock = [str(project / ".venv" / "bin" / "zomro-rescue-mock"), "--port", "0"]
    fresh = {**env, "XDG_CACHE_HOME": str(tmp_path / "fresh-cache")}
    figures["first start, fresh cache (npm ci from npm's cache)"] = _start_time(wheel_mock, project, fresh)
    # A later start from the wheel, and `make mock`'s command from the checkout, in turns.
    checkout_mock = [str(ROOT / ".venv" / "bin" / "zomro-rescue-mock"), "--port", "0"]
    later, checkout = [], []
    for _ in range(3):
        later.append(_start_time(wheel_mock, project, env))
        checkout.append(_start_time(checkout_mock, ROOT, {**os.environ}))
    figures["later start, from the wheel (median of 3)"] = statistics.median(later)
    figures["`make mock`'s start, checkout (median of 3)"] = statistics.median(checkout)

    # The plugin's cost to a session: five tests that use the mock against five that do not, same venv.
    session = project / "session"
    session.mkdir()
    (session / "test_with.py").write_text("".join(f"def test_{n}(zomro_mock):\n    assert zomro_mock.url\n\n\n" for n in range(5)))
    (session / "test_without.py").write_text("".join(f"def test_{n}():\n    assert True\n\n\n" for n in range(5)))
    pytest_command = [str(project / ".venv" / "bin" / "pytest"), "-q", "-p", "no:cacheprovider", "--rootdir", str(session)]

    def session_time(*args: str) -> float:
        return _bash(" ".join([*pytest_command, *args]), session, env)[0]

    sessions: dict[str, list[float]] = {"without": [], "plugin off": [], "with": []}
    for _ in range(3):  # in turns, so that a change in the machine's load weighs on each alike
        sessions["without"].append(session_time("test_without.py"))
        sessions["plugin off"].append(session_time("-p", "no:zomro_mock", "test_without.py"))
        sessions["with"].append(session_time("test_with.py"))
    figures["session, 5 tests without the mock (median of 3)"] = statistics.median(sessions["without"])
    figures["session, 5 tests without the mock, plugin off (median of 3)"] = statistics.median(sessions["plugin off"])
    figures["session, 5 tests with zomro_mock (median of 3)"] = statistics.median(sessions["with"])
    figures["plugin's added session time"] = (
        figures["session, 5 tests with zomro_mock (median of 3)"] - figures["session, 5 tests without the mock (median of 3)"]
    )

    resets = subprocess.run(
        [
            str(project / ".venv" / "bin" / "python"),
            "-c",
            "import json, time\n"
            "from zomro_mock.testing import running\n"
            "with running() as mock:\n"
            "    took = []\n"
            "    for _ in range(300):\n"
            "        started = time.perf_counter(); mock.reset(); took.append(time.perf_counter() - started)\n"
            "print(json.dumps(sorted(took)))\n",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resets.returncode == 0, resets.stderr
    took = json.loads(resets.stdout)
    figures["reset, median of 300"] = statistics.median(took)
    figures["reset, 95th percentile of 300"] = took[int(len(took) * 0.95)]
    return figures


if __name__ == "__main__":  # the steps, for a look: python tests/test_dist.py
    print("\n".join(run_steps()), file=sys.stdout)
