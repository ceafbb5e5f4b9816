"""Prism, on a private loopback port: started, watched and stopped with the mock.

Prism logs at `warn`: at its default `info` level its own logging costs it
about 40% of its throughput (measured on these 2-core machines; guide/contributing.md, "Speed of the mock").
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import re
import shutil
import signal
import socket
import tempfile
from pathlib import Path

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class PrismError(Exception):
    """Prism cannot be started or has stopped: the message says what to do."""


def _die_with_parent() -> None:
    # Linux: Prism gets SIGTERM if the mock dies without cleaning up (kill -9).
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class Prism:
    def __init__(self, executable: Path, spec: Path, port: int) -> None:
        self.executable = executable
        self.spec = spec
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process: asyncio.subprocess.Process | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="zomro-mock-prism-", suffix=".log", delete=False)
        self.keep_log = False  # when Prism failed: the error message points to its log

    def check_installed(self) -> None:
        if shutil.which("node") is None:
            raise PrismError("Node.js is not installed: install Node.js 20 or newer (with npm), then run `make mock`")
        if not self.executable.exists():
            raise PrismError(
                f"Prism is not installed ({self.executable} is missing): run `make setup` (or `npm ci`) in this project, "
                "or `npm install @stoplight/prism-cli` in yours, or pass --prism"
            )

    async def start(self) -> None:
        self.check_installed()
        self.process = await asyncio.create_subprocess_exec(
            str(self.executable), "mock", str(self.spec),
            "--host", "127.0.0.1", "--port", str(self.port),
            "--verboseLevel", "warn",
            stdin=asyncio.subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            start_new_session=True, preexec_fn=_die_with_parent,
        )  # fmt: skip

    async def wait_ready(self, timeout: float) -> None:
        """Return once Prism accepts connections; PrismError if it exits or takes too long."""
        assert self.process is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if self.process.returncode is not None:
                raise self.died()
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                await asyncio.sleep(0.02)
                continue
            writer.close()
            return
        self.keep_log = True
        raise PrismError(f"Prism did not start within {timeout:.0f} s; its log is kept in {self.log.name}")

    def died(self) -> PrismError:
        """Prism stopped on its own: the message gives its last line, and its log is kept."""
        code = self.process.returncode if self.process else None
        self.keep_log = True
        return PrismError(f"Prism exited (code {code}): {self.last_log_line() or 'it printed nothing'}; its log is kept in {self.log.name}")

    def last_log_line(self) -> str:
        # Prism logs at `warn`: what failed and where, never a request's values (tested).
        lines = _ANSI.sub("", Path(self.log.name).read_text(errors="replace")).strip().splitlines()
        return lines[-1].strip() if lines else ""

    async def stop(self, grace: float = 1.0) -> None:
        """Stop Prism and everything it started; wait until it is gone (SIGKILL after `grace` seconds)."""
        if self.process is not None and self.process.returncode is None:
            for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(self.process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    await asyncio.wait_for(self.process.wait(), wait)
                    break
                except TimeoutError:
                    continue
        self.log.close()
        if not self.keep_log:
            Path(self.log.name).unlink(missing_ok=True)
