"""The `zomro-rescue` command against the mock: tables and JSON, exit codes, one-line errors, no secrets.

The command runs in the test's process (zomro_testkit.command: main()'s exit code and streams); an
unreachable API and the password prompt on a terminal run the installed command as a process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from zomro_contract import release
from zomro_mock import __main__ as mock_main
from zomro_rescue import cli
from zomro_rescue.cli import EXAMPLES
from zomro_testkit import article, command, mock_process
from zomro_testkit.contract import operations, spec
from zomro_testkit.quirky_server import QuirkyServer, json_answer

COMMAND = str(Path(sys.executable).with_name("zomro-rescue"))
ELID = article.curl_example("rescue").form["elid"]
SESSION = article.curl_example("rescue").form["auth"]
PASSWORD = article.curl_example("rescue").form["password"]
LOGIN = operations()["logIn"].request_examples["login"]["value"]
OK, USAGE, API, TRANSPORT = 0, 2, 3, 4


def run(mock_url: str, *args: str, env: dict[str, str] | None = None) -> command.Result:
    """The command in-process, with only these ZOMRO_* set; an exception it lets out (a traceback) fails the test."""
    return command.run(args, {"ZOMRO_API_URL": mock_url, "ZOMRO_AUTH": SESSION, **(env or {})}, within=60)


def test_images_as_a_table(mock: mock_process.RunningMock) -> None:
    result = run(mock.url, "images", ELID)
    assert result.returncode == OK, result.stderr
    header, rule, *rows = result.stdout.splitlines()
    assert header.split() == ["UUID", "image", "name", "OS", "name", "zone"]
    assert len(rows) == len(article.images())
    for row, image in zip(rows, article.images(), strict=True):
        assert row.startswith(image.uuid) and row.endswith(image.zone)
        assert image.os_name in row and (image.image_name or "-") in row


def test_images_as_json(mock: mock_process.RunningMock) -> None:
    result = run(mock.url, "images", ELID, "--json")
    assert json.loads(result.stdout) == [image.__dict__ for image in article.images()]


@pytest.mark.parametrize("image", [article.images()[10].os_name, article.images()[10].uuid])
def test_enter_by_name_or_uuid(mock: mock_process.RunningMock, image: str) -> None:
    result = run(mock.url, "enter", ELID, "--image", image, "--password", PASSWORD)
    assert result.returncode == OK, result.stderr
    assert article.images()[10].uuid in result.stdout and "entering rescue mode" in result.stdout


def test_enter_as_json(mock: mock_process.RunningMock) -> None:
    result = run(mock.url, "enter", ELID, "--image", article.images()[0].uuid, "--no-password", "--json")
    assert json.loads(result.stdout)["image"]["uuid"] == article.images()[0].uuid


def _enter(mock: mock_process.RunningMock) -> None:
    assert run(mock.url, "enter", ELID, "--image", article.images()[0].uuid, "--no-password").returncode == OK


def test_exit(mock: mock_process.RunningMock) -> None:
    _enter(mock)
    result = run(mock.url, "exit", ELID)
    assert result.returncode == OK and "leaving rescue mode" in result.stdout
    # The mock plays the server: an instance not in rescue mode cannot leave it.
    again = run(mock.url, "exit", ELID)
    assert (again.returncode, again.stdout) == (API, "") and "not in rescue mode" in again.stderr
    _enter(mock)
    assert json.loads(run(mock.url, "exit", ELID, "--json").stdout) == {"elid": int(ELID), "rescue": False}


def test_enter_twice_is_refused_the_second_time(mock: mock_process.RunningMock) -> None:
    _enter(mock)
    again = run(mock.url, "enter", ELID, "--image", article.images()[0].uuid, "--no-password")
    assert (again.returncode, again.stdout) == (API, "") and "already in rescue mode" in again.stderr


def _exported(line: str, cwd: Path | None = None) -> str:
    """What `line` (login --export's) sets ZOMRO_AUTH to, run as eval runs it: by a POSIX shell."""
    shown = subprocess.run(
        ["sh", "-c", 'eval "$1" && printf %s "$ZOMRO_AUTH"', "sh", line], capture_output=True, text=True, timeout=30, cwd=cwd, env={}
    )
    assert shown.returncode == 0 and shown.stderr == "", shown.stderr
    return shown.stdout


def test_login(mock: mock_process.RunningMock) -> None:
    env = {"ZOMRO_AUTH": "", "ZOMRO_USERNAME": LOGIN["username"], "ZOMRO_PASSWORD": LOGIN["password"]}
    plain = run(mock.url, "login", env=env)
    assert plain.returncode == OK and "hidden" in plain.stdout
    exported = run(mock.url, "login", "--export", env=env).stdout.strip()
    # As --help and the README show it, quoted even when the id needs no quotes: export ZOMRO_AUTH='...'
    assert exported.startswith("export ZOMRO_AUTH='") and exported.endswith("'")
    session = _exported(exported)
    assert session == exported.removeprefix("export ZOMRO_AUTH='").removesuffix("'") and session not in plain.stdout
    # The session is the mock's, and the next command works with it.
    assert run(mock.url, "images", ELID, env={"ZOMRO_AUTH": session}).returncode == OK
    assert run(mock.url, "images", ELID, env={"ZOMRO_AUTH": session + "x"}).returncode == API
    assert json.loads(run(mock.url, "login", "--json", env=env).stdout)["session"] not in (session, "")


@pytest.mark.parametrize("session", ["AbC123", "it's", "a b", "$(touch pwned)`touch pwned`", "'", "''x'\\'", "\\", "ends with a quote'"])
def test_login_export_is_single_quoted_whatever_the_server_sends(session: str, tmp_path: Path) -> None:
    answer = {"doc": {"auth": {"$id": session, "$": session}}}
    env = {"ZOMRO_USERNAME": LOGIN["username"], "ZOMRO_PASSWORD": LOGIN["password"]}
    with QuirkyServer(lambda form: json_answer(answer)) as server:
        line = run(server.url, "login", "--export", env=env).stdout.removesuffix("\n")
    assert line.startswith("export ZOMRO_AUTH='") and line.endswith("'") and "\n" not in line
    assert _exported(line, cwd=tmp_path) == session
    assert list(tmp_path.iterdir()) == [], "eval ran something"


def test_a_wrong_password_reads_as_one(mock: mock_process.RunningMock) -> None:
    wrong = "Wrong" + LOGIN["password"]
    for args in (("login",), ("images", ELID), ("probe", "--instance", ELID, "--username", LOGIN["username"])):
        result = run(mock.url, *args, env={"ZOMRO_AUTH": "", "ZOMRO_USERNAME": LOGIN["username"], "ZOMRO_PASSWORD": wrong})
        # (the probe prints its report so far on stdout: the login's answer, checked against the contract)
        assert result.returncode == API and (result.stdout == "" or args[0] == "probe"), result.stderr
        assert wrong not in result.stdout
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"zomro-rescue: the API refused the login as {LOGIN['username']!r}: wrong username or password"), line
        assert "badpassword" not in line and wrong not in line


# --version: one name and version, the same from a checkout as from the wheel (the contract's info.version).


def test_version_is_the_contracts() -> None:
    result = command.run(["--version"])
    assert (result.returncode, result.stdout, result.stderr) == (OK, f"zomro-rescue {spec()['info']['version']}\n", "")


def test_the_mocks_version_is_the_contracts(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        mock_main.main(["--version"])
    assert (done.value.code, capsys.readouterr().out) == (0, f"zomro-rescue-mock {spec()['info']['version']}\n")


def test_a_wheels_version_comes_before_a_checkouts(monkeypatch: pytest.MonkeyPatch) -> None:
    # Where the wheel is installed (tests/test_dist.py runs the wheels' commands), its own metadata names the version.
    installed = {"zomro-rescue": "7.1.0", "zomro-rescue-mock": "7.2.0", release.CHECKOUT: "7.0.0"}

    def version(name: str) -> str:
        if name not in installed:
            raise metadata.PackageNotFoundError(name)
        return installed[name]

    monkeypatch.setattr(release.metadata, "version", version)
    assert command.run(["--version"]).stdout == "zomro-rescue 7.1.0\n"
    assert release.name_and_version("zomro-rescue-mock") == "zomro-rescue-mock 7.2.0"
    del installed["zomro-rescue"]
    assert command.run(["--version"]).stdout == "zomro-rescue 7.0.0\n"


# --url and --timeout: before the command or after it.

COMMANDS = {
    "images": [ELID],
    "enter": [ELID, "--image", "Debian 12"],
    "exit": [ELID],
    "status": [ELID],
    "wait": [ELID, "--for", "rescued"],
    "instances": [],
    "login": [],
    "probe": ["--instance", ELID],
    "world": [],
}


def test_every_command_is_listed_here() -> None:
    assert set(COMMANDS) == set(EXAMPLES)


@pytest.mark.parametrize("name", COMMANDS)
def test_global_options_after_the_command_are_the_same_as_before_it(name: str) -> None:
    parse = cli._parser().parse_args
    given = ["--url", "http://example.test:4010", "--timeout", "5"]
    before, after = parse([*given, name, *COMMANDS[name]]), parse([name, *COMMANDS[name], *given])
    assert before == after and (after.url, after.timeout) == ("http://example.test:4010", 5.0)
    # One before the command is kept when the command's own copy is not given, and the default is the same from both.
    assert parse(["--url", "http://a.test", name, *COMMANDS[name], "--timeout", "5"]).url == "http://a.test"
    assert (parse([name, *COMMANDS[name]]).url, parse([name, *COMMANDS[name]]).timeout) == (None, 30.0)
    # Given in both places, the one after the command wins, as a repeated option does.
    both = parse(["--url", "http://a.test", "--timeout", "1", name, *COMMANDS[name], "--url", "http://b.test", "--timeout", "2"])
    assert (both.url, both.timeout) == ("http://b.test", 2.0)


def test_url_after_the_command_is_the_one_called(mock: mock_process.RunningMock) -> None:
    # ZOMRO_API_URL names a closed port: only --url, before or after the command, reaches the mock.
    env = {"ZOMRO_API_URL": "http://127.0.0.1:1", "ZOMRO_AUTH": SESSION}
    before = command.run(["--url", mock.url, "--timeout", "20", "images", ELID], env, within=60)
    after = command.run(["images", ELID, "--url", mock.url, "--timeout", "20"], env, within=60)
    assert before.returncode == OK and (after.returncode, after.stdout, after.stderr) == (before.returncode, before.stdout, before.stderr)
    late = command.run(["--url", mock.url, "images", ELID, "--url", "http://127.0.0.1:1"], env, within=60)
    assert late.returncode == TRANSPORT and "cannot reach http://127.0.0.1:1" in late.stderr
    bad = command.run(["images", ELID, "--timeout", "0"], env, within=60)
    assert bad.returncode == USAGE and bad.stderr == "zomro-rescue: --timeout: give seconds between 0 and 3600\n"


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("exit", "0"), USAGE, "0 is not an instance ID"),
        (("enter", ELID, "--image", "debian", "--no-password"), USAGE, "could be 3 images"),
        (("enter", ELID, "--image", "Plan 9", "--no-password"), USAGE, "no image 'Plan 9'"),
        (("enter", ELID, "--image", "Debian 12", "--password", "weak"), USAGE, "breaks the provider's rules"),
        (("images", "not-a-number"), USAGE, "invalid int value"),
    ],
)
def test_errors_are_one_line_with_their_exit_code(mock: mock_process.RunningMock, args: tuple[str, ...], code: int, says: str) -> None:
    result = run(mock.url, *args)
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    *before, last = result.stderr.strip().splitlines()
    assert says in last
    assert before == [] or (len(before) == 1 and before[0].startswith("usage:")), "one line (argparse adds its usage)"


def test_unreachable_api_is_a_transport_error() -> None:
    # The installed command, as a process: its exit code and its one line on stderr, as a shell sees them.
    base = {k: v for k, v in os.environ.items() if not k.startswith("ZOMRO_")}
    result = subprocess.run(
        [COMMAND, "exit", ELID],
        capture_output=True,
        text=True,
        timeout=60,
        env={**base, "ZOMRO_API_URL": "http://127.0.0.1:1", "ZOMRO_AUTH": SESSION},
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == TRANSPORT
    assert "cannot reach http://127.0.0.1:1" in result.stderr and len(result.stderr.splitlines()) == 1


def test_no_credentials_is_a_usage_error(mock: mock_process.RunningMock) -> None:
    result = run(mock.url, "images", ELID, env={"ZOMRO_AUTH": ""})
    assert result.returncode == USAGE and "ZOMRO_AUTH" in result.stderr


@pytest.mark.parametrize("name", ["images", "enter", "exit", "login"])
def test_help_shows_an_example(name: str) -> None:
    result = command.run([name, "--help"])
    assert result.returncode == OK and "example:" in result.stdout and f"zomro-rescue {name}" in result.stdout


def test_secrets_never_appear_in_any_output(mock: mock_process.RunningMock) -> None:
    session, rescue_password, login_password = "SessionSecret0042", "RescueSecret77", "LoginSecret55"
    env = {"ZOMRO_AUTH": session}
    outputs = [
        run(mock.url, "images", ELID, env=env),
        run(mock.url, "enter", ELID, "--image", "Debian 12", "--password", rescue_password, env=env),
        run(mock.url, "enter", ELID, "--image", "Debian 12", "--password", "bad " + rescue_password, env=env),
        run(mock.url, "enter", ELID, "--image", "Plan 9", "--password", rescue_password, env=env),
        run(mock.url, "exit", "0", env=env),
        run("http://127.0.0.1:1", "exit", ELID, env=env),
        run(mock.url, "login", env={"ZOMRO_AUTH": "", "ZOMRO_USERNAME": "me", "ZOMRO_PASSWORD": login_password}),
    ]
    for result in outputs:
        for secret in (session, rescue_password, login_password):
            assert secret not in result.stdout + result.stderr


def _in_a_terminal(args: list[str], env: dict[str, str], answer: str) -> tuple[int, str]:
    """Run the command on a pseudo-terminal, type `answer` at its prompt; return its exit code and screen."""
    import pty
    import select
    import signal
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, with the terminal as its controlling tty
        os.execve(COMMAND, [COMMAND, *args], env)
    screen, answered, deadline, ended = b"", False, time.monotonic() + 30, False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the command ended and closed the terminal
                ended = True
                break
            if not chunk:
                ended = True
                break
            screen += chunk
        if not answered and b"password for the rescue system" in screen:
            os.write(fd, answer.encode() + b"\r")
            answered = True
    if not ended:  # still running (waiting for input it was never given, say): end it, or waitpid would wait for ever
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert ended, f"the command did not end within 30 s; the screen:\n{screen.decode(errors='replace')}"
    return os.waitstatus_to_exitcode(status), screen.decode(errors="replace")


def test_the_rescue_password_is_prompted_for_without_echo(mock: mock_process.RunningMock) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ZOMRO_")}
    env = {**base, "ZOMRO_API_URL": mock.url, "ZOMRO_AUTH": SESSION}
    code, screen = _in_a_terminal(["enter", ELID, "--image", article.images()[10].os_name], env, PASSWORD)
    assert code == OK, screen
    assert "entering rescue mode" in screen
    assert PASSWORD not in screen, "the password was echoed"
