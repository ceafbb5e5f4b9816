"""Run a command against a fresh mock: `python tools/with_mock.py COMMAND...`.

Starts the mock as users do (zomro-rescue-mock, on a free port), passes its
URL to the command as ZOMRO_MOCK_URL, stops it afterwards, and exits with the
command's code.
"""

from __future__ import annotations

import os
import subprocess
import sys

from zomro_testkit import mock_process


def main(command: list[str]) -> int:
    if not command:
        raise SystemExit(__doc__)
    with mock_process.running() as mock:
        return subprocess.run(command, env={**os.environ, "ZOMRO_MOCK_URL": mock.url}).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
