"""The distributions, proven from a separate project, as the README's "In your CI" shows.

`make dist`, then the README's CI job, its `run:` steps read from the README, in a copy of
examples/ci-project holding the wheels alone: a fresh virtual environment, an empty Prism
cache, nothing of this checkout on any path. About 50 s: a proof for `make proofs` (marked
`proof`), not for every `make test`. How fast the wheels' mock starts, what the plugin adds to
a session and what a reset costs are figures of `make bench` (bench/starts.py), not bounds here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from zomro_mock import prism_install

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLE = ROOT / "examples" / "ci-project"
# What GitHub provides, that this machine has already: the checkout is the copy, Python and Node.js are here.
SETUP_ACTIONS = {"actions/checkout@v4", "actions/setup-python@v5", "actions/setup-node@v4"}
DISTRIBUTIONS = ("zomro-rescue-mock", "zomro-rescue", "zomro-rescue-client", "zomro-rescue-contract")
MODULES = ("zomro_mock", "zomro_rescue", "zomro_rescue_client", "zomro_contract")


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
    # The mock by its name, from the folder of wheels: pip finds there what it needs (the contract's wheel, the SDK's).
    install = run_steps()[0]
    assert "--find-links wheels 'zomro-rescue-mock[sdk]'" in install and ".whl" not in install, install


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


def _bash(step: str, cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    """A `run:` step as GitHub Actions runs it (bash -e -o pipefail); its output."""
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
    return output


@pytest.mark.proof
def test_the_ci_job_passes_from_the_wheels_alone(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(["make", "dist", f"DIST={dist}"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
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
    _bash(install, project, env)
    output = _bash(test, project, env)
    tests = sum(path.read_text(encoding="utf-8").count("\ndef test_") for path in (EXAMPLE / "tests").glob("test_*.py"))
    assert f" {tests} passed" in output, output
    # The first start installed the pinned Prism from the wheel's lock file, showing its progress, once.
    assert "first start: installing Prism" in output and f"Prism {prism_install.pinned_version()} installed" in output, output
    assert output.count("first start: installing Prism") == 1, output
    (installed,) = [folder for folder in (cache / "zomro-rescue-mock").glob("prism-*") if folder.is_dir()]
    assert installed.name == f"prism-{prism_install.pinned_version()}-{prism_install.cache_key().rsplit('-', 1)[1]}"
    assert (installed / "node_modules" / ".bin" / "prism").exists()
    assert not list((cache / "zomro-rescue-mock").glob(".prism-*")), "a temporary folder of the install is left"
    output = _bash(curl, project, env)
    assert "all as expected" in output, output
    # A later start (mock-with-curl.sh keeps the mock's log in mock.err) finds the Prism installed: no second install.
    log = (project / "mock.err").read_text()
    assert "installing Prism" not in log, log

    # The wheels' commands name themselves as a checkout's do: the wheel's name, the contract's version.
    version = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))["info"]["version"]
    for name in ("zomro-rescue", "zomro-rescue-mock"):
        shown = subprocess.run([str(project / ".venv" / "bin" / name), "--version"], env=env, capture_output=True, text=True, timeout=60)
        assert (shown.returncode, shown.stdout) == (0, f"{name} {version}\n"), shown.stderr

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


if __name__ == "__main__":  # the steps, for a look: python tests/test_dist.py
    print("\n".join(run_steps()), file=sys.stdout)
