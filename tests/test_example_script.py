"""examples/client_usage.py, the generated client's typed example, runs against the mock as its docstring says; and
examples/ci-project/mock-with-curl.sh, the README's CI step for other languages, runs clean every time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from zomro_testkit import article, mock_process
from zomro_testkit.contract import operations

# The script run as CI runs it, four at once: a proof of the docs, run by `make proofs`.
pytestmark = pytest.mark.proof

SCRIPT = Path(__file__).resolve().parent.parent / "examples" / "client_usage.py"


def test_example_script_against_the_mock(mock: mock_process.RunningMock) -> None:
    elid = article.curl_example("rescue").form["elid"]
    login = operations()["logIn"].request_examples["login"]["value"]  # the default world's account
    env = {**os.environ, "ZOMRO_USERNAME": login["username"], "ZOMRO_PASSWORD": login["password"]}
    result = subprocess.run([sys.executable, str(SCRIPT), mock.url, elid], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(article.images()) + 2
    # The mock plays the server: its default transitions are immediate, so the instance is rescued at once.
    assert f"instance {elid} is being rescued" in lines[-2] and "its status: rescued" in lines[-2]
    assert lines[-1] == f"instance {elid} is leaving rescue mode"


# examples/ci-project/mock-with-curl.sh, the README's CI step for other languages: as its users run it, from a
# project folder, with the mock from this checkout (tests/test_dist.py runs it from the wheels).
CURL_SCRIPT = SCRIPT.parent / "ci-project" / "mock-with-curl.sh"


def _curl_script(folder: Path, mock: str, **env: str) -> subprocess.Popen[str]:
    folder.mkdir()
    shutil.copy2(CURL_SCRIPT, folder)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZOMRO_")}
    return subprocess.Popen(
        ["bash", CURL_SCRIPT.name],
        cwd=folder,
        env={**clean, "MOCK": mock, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_curl_script_passes_and_says_nothing_else_however_fast_the_mock_starts(tmp_path: Path) -> None:
    # It read mock.out before the background mock's redirection had made it (`sed: can't read mock.out`, 3 runs in
    # 4): four runs at once, each at its own pace, each with nothing on stderr.
    runs = [_curl_script(tmp_path / f"run{i}", mock_process.COMMAND) for i in range(4)]
    for run in runs:
        out, err = run.communicate(timeout=180)
        assert (run.returncode, err) == (0, ""), out + err
        assert out.splitlines()[-1] == "images, a busy fault, rescue, wait and the journal: all as expected"


@pytest.mark.parametrize(
    ("mock", "says"),
    [
        ("exec sleep 30", "the mock printed no URL within 1 s (START_TIMEOUT); its log (mock.err):"),
        ("echo 'cannot start: no Node.js' >&2; exit 1", "the mock stopped before it was ready; its log (mock.err):"),
    ],
    ids=["silent", "dead"],
)
def test_the_curl_script_gives_up_on_a_mock_that_never_gets_ready(tmp_path: Path, mock: str, says: str) -> None:
    fake = tmp_path / "fake-mock"
    fake.write_text(f"#!/bin/sh\n{mock}\n")
    fake.chmod(0o755)
    run = _curl_script(tmp_path / "project", str(fake), START_TIMEOUT="1")
    out, err = run.communicate(timeout=30)
    assert run.returncode == 1 and out == ""
    assert err.splitlines()[0] == says, err
    if "stopped" in says:
        assert err.splitlines()[1:] == ["cannot start: no Node.js"], err
