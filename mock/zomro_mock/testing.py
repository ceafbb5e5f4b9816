"""The mock from Python, for tests: start it on a free port, and steer it through its control API.

    from zomro_mock.testing import running

    with running() as mock:           # `zomro-rescue-mock --port 0`, stopped at the end
        mock.fault("rescueInstance", error="busy")
        ...                           # your code against mock.url
        assert mock.journal(operation="rescueInstance")[0]["answer"]["example"] == "busy"
        mock.advance(3601)            # an hour and a second passes in the world: idle sessions expire
        mock.reset()                  # the world as the mock started with it: a millisecond or two

The pytest plugin (`zomro_mock.pytest_plugin`, the `zomro_mock` fixture) is built on this.
Nothing here imports more than the standard library until it needs to: a plugin is loaded
by every pytest session of the environment it is installed in.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

READY = "Zomro rescue mock: "
PROGRESS = "zomro-rescue-mock: "
# A first start installs Prism (a minute or less from npm's cache): wait that long and more.
START_TIMEOUT = 300.0


class MockError(Exception):
    """The mock could not be started, reached, or asked: the message says why."""


def mask(secret: str | None) -> str:
    """A secret as it may be shown: never in full."""
    return "none" if not secret else f"<{len(secret)} characters, hidden>"


@dataclass(frozen=True)
class Account:
    """The first account of the mock's world: what a client logs in with, or a live session of it."""

    username: str
    password: str
    session: str | None

    def __repr__(self) -> str:
        return f"Account(username={self.username!r}, password={mask(self.password)}, session={mask(self.session)})"


def _account(world: Mapping[str, Any]) -> Account:
    first = world["accounts"][0]
    sessions = first.get("sessions") or [None]
    return Account(str(first["username"]), str(first["password"]), sessions[0])


def _read_world(path: Path) -> dict[str, Any]:
    from .world_file import parse_data  # YAML as the mock reads it (JSON is YAML too)

    world = parse_data(path.read_text(encoding="utf-8"))
    if not isinstance(world, dict):
        raise MockError(f"{path}: a world is a mapping (control-api.yaml's World format)")
    return world


def _default_world() -> dict[str, Any]:
    import yaml
    from zomro_contract import CONTRACT

    from . import default_world

    return default_world.data(yaml.safe_load(CONTRACT.read_text(encoding="utf-8")))


class Mock:
    """A running mock at `url`, and its control API (`/_mock/`, described in control-api.yaml).

    `world` is the file the mock was started with, if any (None: the default world, made from
    the contract's examples). With `reset_loads_world`, `reset()` loads that file instead of asking
    the mock for the world it started with: for a mock started by someone else.
    """

    def __init__(self, url: str, world: Path | None = None, *, reset_loads_world: bool = False, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise MockError(f"{url!r} is not the URL of a mock: give http://HOST:PORT")
        self.url = url.rstrip("/")
        self.world_file = world
        self._host, self._port, self._prefix = parts.hostname, parts.port or 80, parts.path.rstrip("/")
        self._reset_loads_world = reset_loads_world
        self._timeout = timeout
        self._connection: http.client.HTTPConnection | None = None
        self._start_account: Account | None = None
        self._account: Account | None = None

    def __repr__(self) -> str:
        return f"Mock(url={self.url!r})"

    # The world

    def reset(self) -> None:
        """The world back to how the mock started, the journal and the faults emptied."""
        if self._reset_loads_world and self.world_file is not None:
            self._call("PUT", "/_mock/world", self.world_file.read_bytes(), "application/yaml")
        else:
            self._call("POST", "/_mock/reset")
        self._account = None

    def world(self) -> dict[str, Any]:
        """The world now: accounts, instances with their status, live sessions (passwords and sessions masked)."""
        return dict(self._call("GET", "/_mock/world"))

    def load_world(self, world: Mapping[str, Any] | str | Path) -> dict[str, Any]:
        """Another world (a mapping, or a YAML or JSON file): until the next `reset()`, which goes back."""
        data = _read_world(Path(world)) if isinstance(world, str | Path) else dict(world)
        state = dict(self._call("PUT", "/_mock/world", json.dumps(data).encode(), "application/json"))
        self._account = _account(data)
        return state

    @property
    def account(self) -> Account:
        """The credentials of the world's first account (of the world loaded last, or the one the mock started with)."""
        if self._account is None:
            if self._start_account is None:
                self._start_account = _account(_read_world(self.world_file) if self.world_file else _default_world())
            self._account = self._start_account
        return self._account

    # The clock

    def clock(self) -> dict[str, Any]:
        """The world's time (`now`, RFC 3339), whether it is `frozen`, and its `offset_seconds` from real time."""
        return dict(self._call("GET", "/_mock/clock"))

    def advance(self, seconds: float) -> dict[str, Any]:
        """Move the world's time forward, doing at once what `seconds` would have done: idle sessions expire, then
        `seconds:N` transitions whose time has come settle. Returns the clock, `expired_sessions` and `settled`.

        It takes what `time.sleep` takes: `monkeypatch.setattr(time, "sleep", mock.advance)` makes every pause
        of the code under test a pause of the mock's world, without waiting."""
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not math.isfinite(seconds):
            raise MockError(f"advance({seconds!r}): give the seconds as a finite number, 0 or more")
        return dict(self._call("POST", "/_mock/clock/advance", json.dumps({"seconds": seconds}).encode(), "application/json"))

    def freeze(self, now: datetime | str | None = None) -> dict[str, Any]:
        """Stop the world's time: from now on only `advance()` moves it. `now` (an aware datetime, or RFC 3339)
        sets the date it shows, for journal stamps that are the same on every run. Until the next reset."""
        setting: dict[str, Any] = {"frozen": True}
        if isinstance(now, datetime):
            if now.tzinfo is None:
                raise MockError("freeze(now=...): give a datetime with its time zone (datetime.now(UTC), not datetime.now())")
            setting["now"] = now.isoformat()
        elif now is not None:
            setting["now"] = now
        return dict(self._call("PUT", "/_mock/clock", json.dumps(setting).encode(), "application/json"))

    def unfreeze(self) -> dict[str, Any]:
        """Let the world's time follow real time again, from where it stands."""
        return dict(self._call("PUT", "/_mock/clock", json.dumps({"frozen": False}).encode(), "application/json"))

    # The journal

    def journal(self, *, func: str | None = None, operation: str | None = None, elid: int | None = None) -> list[dict[str, Any]]:
        """The requests the mock answered since the last reset, oldest first, secrets masked; filtered if asked."""
        query = {name: value for name, value in (("func", func), ("operation", operation), ("elid", elid)) if value is not None}
        path = "/_mock/journal" + (f"?{urlencode(query)}" if query else "")
        return list(self._call("GET", path)["entries"])

    def clear_journal(self) -> None:
        self._call("DELETE", "/_mock/journal")

    # Faults

    def fault(
        self,
        operation: str,
        *,
        error: str | None = None,
        delay_ms: int | None = None,
        drop: bool = False,
        elid: int | None = None,
        times: int = 1,
    ) -> dict[str, Any]:
        """The next `times` calls of `operation` (for `elid`, if given) answer the contract's error example
        `error`, or only after `delay_ms`, or lose their connection (`drop`). Returns the pending fault."""
        fault: dict[str, Any] = {"operation": operation, "times": times}
        fault |= {"error": error} if error is not None else {}
        fault |= {"delay_ms": delay_ms} if delay_ms is not None else {}
        fault |= {"drop": True} if drop else {}
        fault |= {"elid": elid} if elid is not None else {}
        return dict(self._call("POST", "/_mock/faults", json.dumps(fault).encode(), "application/json"))

    def faults(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/_mock/faults")["faults"])

    def clear_faults(self) -> None:
        self._call("DELETE", "/_mock/faults")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # The wire: one kept-alive connection, so that a reset costs a round trip and no more.

    def _call(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None) -> Any:
        headers = {"Content-Type": content_type} if content_type else {}
        for attempt in (1, 2):
            reused = self._connection is not None
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
            try:
                self._connection.request(method, self._prefix + path, body=body, headers=headers)
                answer = self._connection.getresponse()
                content = answer.read()
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                if reused and attempt == 1 and not isinstance(exc, TimeoutError):
                    continue  # the mock closed a connection left idle: once more, on a new one
                raise MockError(f"the mock at {self.url} cannot be reached: {exc or type(exc).__name__}") from None
            if answer.will_close:
                self.close()
            return self._answer(method, path, answer.status, content)
        raise AssertionError("unreachable")

    def _answer(self, method: str, path: str, status: int, content: bytes) -> Any:
        if status == 404:
            raise MockError(f"{self.url} has no control API ({method} {path} is 404): a mock started with --stateless, or not this mock")
        if status >= 400:
            try:
                detail = json.loads(content)["detail"]
            except (ValueError, KeyError, TypeError):
                detail = content[:200].decode(errors="replace")
            raise MockError(f"{method} {path}: {detail}")
        return json.loads(content) if content else None


class MockProcess:
    """`zomro-rescue-mock` run by this Python on a port the system picks, until `stop()`."""

    def __init__(self, process: subprocess.Popen[bytes], folder: Path) -> None:
        self.process = process
        self.folder = folder
        self.mock: Mock | None = None
        self.world: Path | None = None
        self.final_output = ""
        self._relayed = 0

    @classmethod
    def launch(cls, *args: str, world: Path | None = None, env: Mapping[str, str] | None = None) -> MockProcess:
        """Start `zomro-rescue-mock --port 0 ARGS` and return at once; `wait_ready()` waits until it serves."""
        folder = Path(tempfile.mkdtemp(prefix="zomro-mock-"))
        command = [sys.executable, "-m", "zomro_mock", "--host", "127.0.0.1", "--port", "0", *args]
        command += ["--world", str(world)] if world is not None else []
        with (folder / "stdout").open("wb") as out, (folder / "stderr").open("wb") as err:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=dict(env or os.environ), preexec_fn=_die_with_parent
            )
        launched = cls(process, folder)
        launched.world = world
        return launched

    @classmethod
    def start(
        cls,
        *args: str,
        world: Path | None = None,
        progress: Callable[[str], None] | None = None,
        timeout: float = START_TIMEOUT,
        env: Mapping[str, str] | None = None,
    ) -> MockProcess:
        """Start the mock and wait until it serves; MockError with its last words if it does not."""
        launched = cls.launch(*args, world=world, env=env)
        launched.wait_ready(progress, timeout)
        return launched

    def wait_ready(self, progress: Callable[[str], None] | None = None, timeout: float = START_TIMEOUT) -> Mock:
        """The mock, once it serves. Its progress lines (`zomro-rescue-mock: ...`, as when a first start
        installs Prism) go to `progress` as they come. MockError, the mock stopped, if it does not serve."""
        if self.mock is None:
            try:
                self.mock = Mock(self._wait(progress, timeout), self.world)
            except BaseException:
                self.stop()
                raise
        return self.mock

    def _wait(self, progress: Callable[[str], None] | None, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while True:
            lines = self.output("stderr").splitlines()
            for line in lines[self._relayed :]:
                if progress is not None and line.startswith(PROGRESS):
                    progress(line)
            self._relayed = len(lines)
            for line in self.output("stdout").splitlines():
                if line.startswith(READY):
                    return line.removeprefix(READY).split()[0].rstrip("/")
            if self.process.poll() is not None:
                raise MockError(f"zomro-rescue-mock did not start (exit {self.process.returncode}): {self._last_words()}")
            if time.monotonic() > deadline:
                raise MockError(f"zomro-rescue-mock did not start within {timeout:.0f} s: {self._last_words()}")
            time.sleep(0.01)

    def output(self, name: str) -> str:
        try:
            return (self.folder / name).read_text(errors="replace")
        except OSError:
            return ""

    def _last_words(self) -> str:
        lines = [line for line in self.output("stderr").splitlines() if line.strip()]
        return lines[-1].removeprefix(PROGRESS) if lines else "it printed nothing"

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM, as Ctrl-C would: the mock and its Prism are gone within seconds (SIGKILL after `timeout`)."""
        if self.mock is not None:
            self.mock.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.final_output = self.output("stdout") + self.output("stderr")  # for a look after the stop
        shutil.rmtree(self.folder, ignore_errors=True)
        return self.process.returncode


def _die_with_parent() -> None:
    # Linux: the mock gets SIGTERM if the test process dies without stopping it (kill -9), and stops its Prism.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def running(*args: str, world: Path | None = None, progress: Callable[[str], None] | None = None) -> Iterator[Mock]:
    """A mock for the length of a `with` block: `zomro-rescue-mock --port 0 ARGS` (`--world` if given)."""
    process = MockProcess.start(*args, world=world, progress=progress or (lambda line: print(line, file=sys.stderr, flush=True)))
    assert process.mock is not None
    try:
        yield process.mock
    finally:
        process.stop()
