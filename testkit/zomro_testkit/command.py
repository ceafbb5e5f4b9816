"""`zomro-rescue` run inside the test's process: `main()` with its arguments, environment and streams, bounded in time.

A process of its own costs each run a second or more of start-up on a loaded 2-core machine. What most
tests of the command read (exit code, stdout, stderr, what the server got) is `main()`'s; the entry point
only passes its value to `sys.exit`. Tests that are about the process (a pipe closed early, a terminal,
the installed script) still run it for real.

    result = command.run(["--url", url, "images", "5203773"], env={"ZOMRO_AUTH": session})
    assert result.returncode == 0 and result.stdout.startswith("UUID")
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from unittest import mock

from zomro_rescue import cli


@dataclass(frozen=True)
class Result:
    """What a run left, by the names of subprocess.CompletedProcess."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def run(args: Sequence[str], env: Mapping[str, str | None] | None = None, within: float = 30.0, stdin: str = "") -> Result:
    """`zomro-rescue ARGS` as a process started with `env` for ZOMRO_* (None: unset; any other ZOMRO_* is removed) and
    `stdin` piped in (not a terminal). An exception main() lets out is raised here, as the process would print its
    traceback; a run still going after `within` seconds fails the test (a server's stop then frees it)."""
    out, err = io.StringIO(), io.StringIO()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["code"] = cli.main(list(args))
        except SystemExit as stop:  # argparse's usage errors and --help
            outcome["code"] = stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
        except BaseException as error:  # noqa: BLE001 (raised again in the test's thread)
            outcome["error"] = error

    with (
        mock.patch.dict(os.environ),
        mock.patch("sys.stdin", io.StringIO(stdin)),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        for name in [name for name in os.environ if name.startswith("ZOMRO_")]:
            del os.environ[name]
        os.environ.update({name: value for name, value in (env or {}).items() if value is not None})
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(within)
    if thread.is_alive():
        raise AssertionError(f"zomro-rescue did not end within {within} s")  # not its arguments: they may hold a secret
    if "error" in outcome:
        raise outcome["error"]
    return Result(list(args), outcome["code"], out.getvalue(), err.getvalue())
