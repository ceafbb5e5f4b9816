"""How fast the mock from its wheel starts, what its pytest plugin adds to a session, what a reset costs.

The wheels of `make dist`, installed in a fresh virtual environment outside the checkout (the
versions of uv.lock), as the README's CI job installs them; then, from a project there:

- a first start with an empty Prism cache (Prism installed by `npm ci`, from npm's cache);
- a later start from the wheel, and `make mock`'s command from the checkout, in turns;
- pytest sessions of five tests with `zomro_mock`, and of five without (plugin on, plugin off),
  in turns: what the plugin adds is about one start of the mock;
- 300 resets of the world (`zomro_mock.testing`), their median and 95th percentile.

Part of `make bench` (bench/mock_bench.py runs it); `python bench/starts.py [STARTS]` runs it
alone. A mock that does not start, or a session that fails, fails it; slowness only shows in its figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from zomro_testkit.arguments import whole_number

ROOT = Path(__file__).resolve().parent.parent
UV = ROOT / ".cache" / "bootstrap" / "bin" / "uv"
READY = "Zomro rescue mock: "
PYTEST = "pytest==8.4.2"  # the README's CI job's


class Broken(Exception):
    """A start or a session failed: a broken behaviour, not a slow one."""


def _run(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, timeout=timeout, capture_output=True, text=True)
    if done.returncode != 0:
        raise Broken(f"{' '.join(command)} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return done


def _clean_env(cache: Path) -> dict[str, str]:
    """This machine's environment without this checkout: its venv, its node_modules and its variables."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ZOMRO_", "PYTEST_", "MAKE", "MFLAGS", "COV_"))
        and name not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")
    }
    env["PATH"] = os.pathsep.join(
        folder for folder in env["PATH"].split(os.pathsep) if folder and not Path(folder).resolve().is_relative_to(ROOT)
    )
    env["XDG_CACHE_HOME"] = str(cache)
    return env


def install(folder: Path) -> Path:
    """The wheels of `make dist` and the CI job's pytest, in a fresh environment in `folder`; its bin folder."""
    dist = folder / "dist"
    _run([sys.executable, str(ROOT / "packaging" / "build.py"), "--uv", str(UV), str(dist)], cwd=ROOT)
    constraints = folder / "constraints.txt"
    exported = _run([str(UV), "export", "--frozen", "--no-hashes", "--no-emit-project", "--no-emit-local", "--no-header"], cwd=ROOT)
    constraints.write_text(exported.stdout)
    venv = folder / "project" / ".venv"
    _run([str(UV), "venv", "--quiet", "--python", "python3", str(venv)])
    wheels = [str(wheel) for wheel in sorted(dist.glob("*.whl"))]
    _run([str(UV), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), "-c", str(constraints), *wheels, PYTEST])
    return venv / "bin"


def start_time(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds from the command to the mock's line saying it serves; then it is stopped."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        elapsed = time.monotonic() - started
        if not line.startswith(READY):
            raise Broken(f"{command[0]} did not start: {line}{process.stderr.read().decode()[-2000:] if process.stderr else ''}")
        return elapsed
    finally:
        process.terminate()
        process.wait(15)


RESETS = """\
import json, time
from zomro_mock.testing import running
with running() as mock:
    took = []
    for _ in range(300):
        started = time.perf_counter(); mock.reset(); took.append(time.perf_counter() - started)
print(json.dumps(sorted(took)))
"""


def measure(starts: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="zomro-bench-starts-") as scratch:
        folder = Path(scratch)
        bin_ = install(folder)
        project = bin_.parent.parent
        env = _clean_env(folder / "cache")
        wheel_mock = [str(bin_ / "zomro-rescue-mock"), "--port", "0"]
        fresh = {**env, "XDG_CACHE_HOME": str(folder / "fresh-cache")}
        figures["first"] = start_time(wheel_mock, project, fresh)
        start_time(wheel_mock, project, env)  # the project's own cache: Prism installed, not measured
        later, checkout = [], []
        for _ in range(starts):  # in turns, so that a change in the machine's load weighs on each alike
            later.append(start_time(wheel_mock, project, env))
            checkout.append(start_time([str(ROOT / ".venv" / "bin" / "zomro-rescue-mock"), "--port", "0"], ROOT, {**os.environ}))
        figures["later"], figures["make mock"] = statistics.median(later), statistics.median(checkout)

        session = project / "session"
        session.mkdir()
        (session / "test_with.py").write_text("".join(f"def test_{n}(zomro_mock):\n    assert zomro_mock.url\n\n\n" for n in range(5)))
        (session / "test_without.py").write_text("".join(f"def test_{n}():\n    assert True\n\n\n" for n in range(5)))
        pytest = [str(bin_ / "pytest"), "-q", "-p", "no:cacheprovider", "--rootdir", str(session)]
        sessions: dict[str, list[float]] = {"without": [], "plugin off": [], "with": []}
        arguments = {"without": ["test_without.py"], "plugin off": ["-p", "no:zomro_mock", "test_without.py"], "with": ["test_with.py"]}
        for _ in range(max(starts, 5)):  # a session is cheap: at least five of each, in turns
            for kind, args in arguments.items():
                started = time.monotonic()
                _run([*pytest, *args], cwd=session, env=env, timeout=300)
                sessions[kind].append(time.monotonic() - started)
        for kind, times in sessions.items():
            figures[f"session {kind}"] = statistics.median(times)
        figures["plugin adds"] = figures["session with"] - figures["session without"]

        took = json.loads(_run([str(bin_ / "python"), "-c", RESETS], cwd=project, env=env, timeout=300).stdout)
        figures["reset median"] = statistics.median(took)
        figures["reset p95"] = took[int(len(took) * 0.95)]
    return figures


def rows(figures: dict[str, float], starts: int) -> list[list[str]]:
    of = f"median of {starts}"
    return [
        ["first start, fresh cache (Prism installed by `npm ci` from npm's cache)", f"{figures['first']:.2f} s", "-"],
        [
            f"a later start, from the wheel ({of})",
            f"{figures['later']:.2f} s",
            f"{figures['later'] / figures['make mock']:.2f}x `make mock`'s",
        ],
        [f"`make mock`'s command, from the checkout ({of})", f"{figures['make mock']:.2f} s", "1.00x"],
        [
            f"what five tests that use `zomro_mock` add to a session (median of {max(starts, 5)})",
            f"{figures['plugin adds']:.2f} s",
            f"{figures['plugin adds'] / figures['later']:.2f}x a later start",
        ],
        [
            f"what the plugin itself costs a session that does not use the mock (median of {max(starts, 5)})",
            f"{(figures['session without'] - figures['session plugin off']) * 1000:.0f} ms",
            "-",
        ],
        [
            "a reset (median of 300; 95th percentile)",
            f"{figures['reset median'] * 1000:.2f} ms ({figures['reset p95'] * 1000:.1f} ms)",
            "-",
        ],
    ]


def show(figures: dict[str, float], starts: int) -> None:
    print(f"\n{'the mock from its wheel':84}{'time':>18}  ratio")
    for label, time_, ratio in rows(figures, starts):
        print(f"{label:84}{time_:>18}  {ratio}")
    print(
        f"{'(sessions of five tests: without the mock, plugin off, with it)':84}"
        f"{figures['session without']:>6.2f}{figures['session plugin off']:>6.2f}{figures['session with']:>6.2f} s"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("starts", nargs="?", type=whole_number(1, 100), default=1, help="starts of each kind (default 1)")
    count = parser.parse_args().starts
    try:
        show(measure(count), count)
    except Broken as error:
        sys.exit(f"starts: {error}")
