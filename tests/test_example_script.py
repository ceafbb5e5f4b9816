"""examples/client_usage.py, the generated client's typed example, runs against the mock as its docstring says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from zomro_testkit import article, mock_process
from zomro_testkit.contract import operations

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
