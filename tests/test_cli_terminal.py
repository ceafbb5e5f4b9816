"""`zomro-rescue` as a person at a terminal meets it: bash on a real pseudo-terminal, prompts, `eval "$(... --export)"`, pipes."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import re
import select
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from zomro_testkit import article, command, mock_process

COMMAND = str(Path(sys.executable).with_name("zomro-rescue"))
BASH = "/bin/bash"
ELID = article.curl_example("rescue").form["elid"]
SESSION = article.curl_example("rescue").form["auth"]  # live in the default world
USERNAME, PASSWORD = "me@example.com", "TypedSecret42"
# A session id as the mock makes them: what `eval` must have assigned, whole.
SESSION_SET = re.compile(r"AUTH=\[[0-9a-f]{24}\]")
OK, USAGE, API, TRANSPORT = 0, 2, 3, 4
PROMPT_WAIT = 8.0  # seconds for a prompt or the end to show; a prompt that never shows fails the test after this


def environment(**extra: str) -> dict[str, str]:
    """This environment without ZOMRO_* (a developer's own session must not leak in) and without bash start-up files."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("ZOMRO_") and k not in ("BASH_ENV", "ENV")}
    return {**base, "TERM": "xterm", **extra}


def _read(fd: int, screen: bytes, until: re.Pattern[bytes] | None, deadline: float) -> bytes:
    """Read the terminal until `until` is on the screen (None: until the other side closes), or fail at the deadline."""
    while until is None or not until.search(screen):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            waited = "the end" if until is None else repr(until.pattern)
            raise AssertionError(f"waited {PROMPT_WAIT}s for {waited}; the screen:\n{screen.decode(errors='replace')}")
        if not select.select([fd], [], [], remaining)[0]:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: every process on the terminal has closed it
            chunk = b""
        if not chunk:
            if until is None:
                break
            raise AssertionError(f"the terminal closed before {until.pattern!r}; the screen:\n{screen.decode(errors='replace')}")
        screen += chunk
    return screen


def in_terminal(argv: list[str], env: dict[str, str], answers: Sequence[tuple[str, str]] = ()) -> tuple[int, str]:
    """Run argv on a new pseudo-terminal; at each prompt (a regex) type its answer and Enter. Return the exit code and the screen."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: a new session with the terminal as its controlling tty, as in a real login
        try:
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    screen, deadline = b"", time.monotonic() + PROMPT_WAIT
    try:
        for prompt, answer in answers:
            screen = _read(fd, screen, re.compile(prompt.encode(), re.IGNORECASE), deadline)
            os.write(fd, answer.encode() + b"\r")
            deadline = time.monotonic() + PROMPT_WAIT
        screen = _read(fd, screen, None, deadline)
    except BaseException:
        # A prompt that never came leaves the command waiting for input: end its process group (pty.fork made it ours).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        raise
    finally:
        status = os.waitpid(pid, 0)[1]
        os.close(fd)
    return os.waitstatus_to_exitcode(status), screen.decode(errors="replace").replace("\r\n", "\n")


def bash(script: str) -> list[str]:
    return [BASH, "--noprofile", "--norc", "-c", script]


@contextlib.contextmanager
def server_with_session(session: str) -> Iterator[str]:
    """A stand-in for the API whose login hands out `session`; every request the login command sends is that login."""
    body = json.dumps({"doc": {"auth": {"$id": session, "$": session}}}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet: pytest shows stderr on failure
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)  # port 0: a free port, no race
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)  # shutdown() waits a poll
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_eval_export_sets_the_session_after_the_password_prompt(mock: mock_process.RunningMock) -> None:
    login = f"{shlex.quote(COMMAND)} --url {mock.url} login --username {USERNAME} --export"
    script = f'eval "$({login})"; printf "AUTH=[%s]\\n" "$ZOMRO_AUTH"'
    mock.load_world({"accounts": [{"username": USERNAME, "password": PASSWORD}]})
    code, screen = in_terminal(bash(script), environment(), [("password", PASSWORD)])
    # The prompt was seen although $(...) takes stdout, so it went to the tty or stderr.
    assert code == OK, screen
    assert SESSION_SET.search(screen), screen
    assert PASSWORD not in screen, "the password was echoed"


def test_eval_export_asks_for_the_username_on_the_terminal(mock: mock_process.RunningMock) -> None:
    script = f'eval "$({shlex.quote(COMMAND)} --url {mock.url} login --export)"; printf "AUTH=[%s]\\n" "$ZOMRO_AUTH"'
    mock.load_world({"accounts": [{"username": USERNAME, "password": PASSWORD}]})
    code, screen = in_terminal(bash(script), environment(), [("username:", USERNAME), ("password", PASSWORD)])
    assert code == OK, screen
    assert SESSION_SET.search(screen), screen
    assert PASSWORD not in screen, "the password was echoed"


HOSTILE = {
    "semicolon": "abc; touch {canary}/PWNED #",
    "space": "a b",
    "substitution": "$(touch {canary}/PWNED2)",
    "quote": "it's",
    "backtick": "`touch {canary}/PWNED3`",
    "newline": "line1\ntouch {canary}/PWNED4",
    "quote-escape": "'; touch {canary}/PWNED5; '",
}


@pytest.mark.parametrize("template", HOSTILE.values(), ids=HOSTILE.keys())
def test_export_is_shell_safe(template: str) -> None:
    # What `eval "$(zomro-rescue login --export)"` evaluates is the command's stdout: made by the command in-process
    # (a process of its own cost each case a second), evaluated by bash as `$(...)` hands it over. The whole line,
    # a real command on a terminal, is the first tests' above.
    with tempfile.TemporaryDirectory(prefix="zomro-cli-terminal-") as folder:
        canary, out = Path(folder, "canary"), Path(folder, "out")
        canary.mkdir()
        out.mkdir()
        session = template.format(canary=canary)
        with server_with_session(session) as url:
            login = command.run(["--url", url, "login", "--username", USERNAME, "--export"], {"ZOMRO_PASSWORD": PASSWORD})
        (out / "stdout").write_text(login.stdout)
        script = f'out="$(cat {shlex.quote(str(out / "stdout"))})"; eval "$out"; printf %s "$ZOMRO_AUTH" > {shlex.quote(str(out / "auth"))}'
        shell = subprocess.run(bash(script), env=environment(), capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        said = f"the command said: {login.stdout + login.stderr!r}; bash said: {shell.stdout + shell.stderr!r}"
        assert sorted(canary.iterdir()) == [], f"eval ran a command hidden in the session id; {said}"
        if login.returncode == OK:
            assert (out / "auth").read_text() == session, said
        else:  # refusing such an id is acceptable too, as one line and an API or transport error
            assert login.returncode in (API, TRANSPORT), said
            assert login.stdout == "" and len(login.stderr.strip().splitlines()) == 1, said
            assert (out / "auth").read_text() == "", said


def test_an_empty_password_at_the_prompt_is_a_usage_error_that_says_so(mock: mock_process.RunningMock) -> None:
    argv = [COMMAND, "--url", mock.url, "login", "--username", USERNAME]
    code, screen = in_terminal(argv, environment(), [("password", "")])
    after_prompt = re.split(r"password[^\n]*\n", screen, maxsplit=1, flags=re.IGNORECASE)[-1]
    lines = after_prompt.strip().splitlines()
    assert code == USAGE, screen
    assert len(lines) == 1, screen
    # It names the password as missing, not just "no credentials: set ZOMRO_AUTH ...".
    assert re.search(r"(no|empty|missing) password|password (was |is )?(not given|empty|missing|required)", lines[0], re.IGNORECASE), lines[
        0
    ]


def test_a_piped_password_gives_no_getpass_warning(mock: mock_process.RunningMock) -> None:
    # A new session has no controlling tty: getpass cannot fall back to the developer's terminal.
    mock.load_world({"accounts": [{"username": "u", "password": "secret"}]})
    result = subprocess.run(
        [COMMAND, "--url", mock.url, "login", "--username", "u"],
        input="secret\n",
        capture_output=True,
        text=True,
        timeout=30,
        env=environment(),
        start_new_session=True,
    )
    assert "GetPassWarning" not in result.stderr and "Can not control echo" not in result.stderr, result.stderr
    assert result.returncode == OK, result.stderr


@pytest.mark.parametrize("reader", ["head -1", "head -n 0"], ids=["head-1", "head-0"])
def test_a_closed_pipe_is_no_traceback(mock: mock_process.RunningMock, reader: str) -> None:
    # `head -n 0` exits before reading: the command's write always meets a closed pipe; `head -1` is the everyday case.
    script = f"{shlex.quote(COMMAND)} --url {mock.url} images {ELID} | {reader}"
    _, screen = in_terminal(bash(script), environment(ZOMRO_AUTH=SESSION))
    assert "Traceback" not in screen and "BrokenPipeError" not in screen, screen
    if reader == "head -1":
        assert screen.startswith("UUID"), screen


# -- the guide's terminal session, typed as a person types it ------------------------------------------------------------

# What the person typed at the session's two password prompts, which the terminal does not show: a password the provider
# takes, then one that breaks its rules in the three ways the last line names.
TYPED = ["MyPassword1", "short"]


@pytest.mark.proof  # four commands typed at a terminal, seconds: `make proofs`
def test_the_guides_terminal_session_prints_what_it_shows(mock: mock_process.RunningMock) -> None:
    from zomro_testkit import docs

    _, section = docs.section("Rescue from the command line")
    (block,) = re.findall(r"in a terminal:\n\n```console\n(.*?)```", section, flags=re.S)
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line.removeprefix("$ "), []))
        else:
            steps[-1][1].append(line)
    typed = iter(TYPED)
    env = environment(ZOMRO_API_URL=mock.url, ZOMRO_AUTH=SESSION)
    for typed_line, shown in steps:
        prompts = [("password for the rescue system", next(typed))] if any(line.startswith("password for") for line in shown) else []
        _, screen = in_terminal(bash(f"cd {shlex.quote(str(docs.ROOT))} && {typed_line}"), env, prompts)
        assert [line.rstrip() for line in screen.splitlines()] == [line.rstrip() for line in shown], f"$ {typed_line}"
    assert next(typed, None) is None, "a typed password that no prompt asked for"
