"""Start the mock as its users do (the `zomro-rescue-mock` command that `make mock` runs), for tests."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zomro_mock.prism import free_port
from zomro_mock.testing import READY, Mock

COMMAND = str(Path(sys.executable).with_name("zomro-rescue-mock"))


@dataclass
class RunningMock:
    process: subprocess.Popen[bytes]
    url: str
    stdout: Path
    stderr: Path
    _control: Mock | None = field(default=None, repr=False)

    @property
    def control(self) -> Mock:
        """The mock's control API in Python (the one the pytest plugin gives its users)."""
        if self._control is None:
            self._control = Mock(self.url)
        return self._control

    def output(self) -> str:
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")

    def prism_pids(self) -> list[int]:
        """The mock's child processes (Prism)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def reset(self) -> None:
        """The emulated world back to how the mock started (POST /_mock/reset): each test starts from it."""
        self.control.reset()

    def load_world(self, world: dict[str, Any]) -> None:
        """Another world for the emulated server (PUT /_mock/world, control-api.yaml's World format)."""
        self.control.load_world(world)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        if self._control is not None:
            self._control.close()
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout)


def start(*args: str, env: dict[str, str] | None = None, timeout: float = 60, cwd: Path | None = None) -> RunningMock:
    """Start the mock (in `cwd`, if given) and wait until it prints its URL; fail with its output if it does not."""
    folder = Path(tempfile.mkdtemp(prefix="zomro-mock-test-"))
    # Its output is read after the mock stops, so the folder goes when the test process ends.
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    stdout, stderr = folder / "stdout", folder / "stderr"
    args = args or ("--port", str(free_port()))
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen([COMMAND, *args], stdout=out, stderr=err, env=env or os.environ.copy(), cwd=cwd)
    mock = RunningMock(process, "", stdout, stderr)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in stdout.read_text(errors="replace").splitlines():
            if line.startswith(READY):
                mock.url = line.removeprefix(READY).split()[0].rstrip("/")
                return mock
        if process.poll() is not None:
            break
        time.sleep(0.05)
    mock.stop(signal.SIGKILL) if process.poll() is None else None
    raise RuntimeError(f"the mock did not start:\n{mock.output()}")


@contextmanager
def running(*args: str, env: dict[str, str] | None = None) -> Iterator[RunningMock]:
    mock = start(*args, env=env)
    try:
        yield mock
    finally:
        mock.stop()
        shutil.rmtree(mock.stdout.parent, ignore_errors=True)
