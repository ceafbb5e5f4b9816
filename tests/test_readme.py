"""The commands of the README and the guide work as written (against a mock on a free port): they cannot go stale.

`make test` itself (with the checks of `make lint` and `make typecheck` in it), and
`make generate`, `make fuzz`, `make bench` and the other targets, are run by .ci/run.
"""

from __future__ import annotations

import contextlib
import ensurepip
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import yaml
from zomro_mock import world_file
from zomro_testkit import docs, mock_process
from zomro_testkit.contract import operations, spec

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = "127.0.0.1:4010"


def _blocks(language: str) -> list[str]:
    """The blocks of the README, then of the guide's pages, in reading order."""
    return [block for _, block in docs.blocks(language)]


def _commands(block: str) -> list[tuple[str, str | None]]:
    """(command, the `# ` line after it) pairs of a shell block; continuation lines joined."""
    commands: list[tuple[str, str | None]] = []
    current = ""
    for line in block.splitlines():
        if line.startswith("# ") and commands and current == "":
            commands[-1] = (commands[-1][0], line[2:])
            continue
        current += line + "\n"
        if not line.endswith("\\") and current.strip():
            commands.append((current.strip(), None))
            current = ""
    return commands


# The curl commands of the examples.
CURLS = [(command, expected) for block in _blocks("sh") for command, expected in _commands(block) if command.startswith("curl")]


def _here(text: str, mock: mock_process.RunningMock) -> str:
    return text.replace(DEFAULT, mock.url.removeprefix("http://"))


def test_readme_has_the_article_requests_and_more() -> None:
    assert len(CURLS) >= 5


def test_curl_commands_in_the_readmes_order(mock: mock_process.RunningMock) -> None:
    # A reader pastes them one after the other, into one world: the mock plays the server, so the
    # article's unrescue works because its rescue came first.
    for command, expected in CURLS:
        pipeline = _here(command, mock) if "|" in command else _here(command, mock) + " --silent --show-error"
        result = subprocess.run(["bash", "-c", pipeline], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        if "| head" in command:  # an answer too long to show: its beginning
            assert expected is not None and result.stdout.startswith(expected.split("...")[0]), command
            continue
        answer = json.loads(result.stdout)
        assert expected is not None, f"say in the docs what this command answers: {command}"
        if "..." in expected:
            shown = re.sub(r"\[\.\.\.[^\]]*\]", "[]", expected)
            assert set(json.loads(shown)["doc"]) <= set(answer["doc"]), command
        else:
            assert answer == json.loads(expected), command


# The generator matrix's Python programs, each as its stripped lines: read once, for every block asked about.
_MATRIX_PROGRAMS = {
    str(program.relative_to(ROOT)): [line.strip() for line in program.read_text(encoding="utf-8").splitlines()]
    for program in sorted((ROOT / "clients" / "matrix").glob("*/main.py"))
}


def _matrix_program(block: str) -> str | None:
    """The generator matrix's program that holds every line of the block, in order (its set-up runs them with
    its own tool, which this project's Python does not install): `clients/matrix/<id>/main.py`, or None."""
    wanted = [line.strip() for line in block.splitlines() if line.strip()]
    for program, program_lines in _MATRIX_PROGRAMS.items():
        lines = iter(program_lines)
        if all(any(line == want for line in lines) for want in wanted):
            return program
    return None


# Scripts to run; a block of pytest tests ("In your CI") is examples/ci-project's, run by test_dist.py, and a block
# of a matrix set-up's lines is run by `make regen-matrix`.
SCRIPTS = [(page, block) for page, block in docs.blocks("python") if "\ndef test_" not in block and not _matrix_program(block)]


def _exec(code: str, name: str, within: float) -> str:
    """Run `code` as a script (`__main__`, its own globals) in this process, bounded in time; what it printed.

    The snippets' imports and calls run as in `python -c`, without the second or more a Python of their own takes."""
    printed = io.StringIO()
    outcome: dict[str, BaseException] = {}

    def target() -> None:
        try:
            exec(compile(code, name, "exec"), {"__name__": "__main__"})  # noqa: S102 (the README's own code)
        except BaseException as error:  # noqa: BLE001 (raised again in the test's thread; SystemExit too)
            outcome["error"] = error

    with contextlib.redirect_stdout(printed):
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(within)
    assert not thread.is_alive(), f"{name} did not end within {within} s"
    if isinstance(outcome.get("error"), SystemExit):
        pytest.fail(f"{name} exited: {outcome['error']}")
    if "error" in outcome:
        raise outcome["error"]
    return printed.getvalue()


@pytest.mark.parametrize("index", range(len(SCRIPTS)), ids=lambda index: f"{docs.name(SCRIPTS[index][0])}-{index}")
def test_python_snippet(mock: mock_process.RunningMock, index: int) -> None:
    page, script = SCRIPTS[index]
    printed = _exec(_here(script, mock), f"{docs.name(page)}'s python block", within=60)
    assert printed.strip(), "the snippet prints what it found"


# A command-line session: its commands, then what they print.
SESSIONS = [
    (page, commands, shown)
    for page in docs.pages()
    for commands, shown in re.findall(r"```sh\n(export ZOMRO_API_URL=.*?)```\n\n```text\n(.*?)```", docs.text(page), flags=re.S)
]


@pytest.mark.proof  # processes as a person starts them, seconds each: `make proofs`
@pytest.mark.parametrize("index", range(len(SESSIONS)), ids=lambda index: f"{docs.name(SESSIONS[index][0])}-{index}")
def test_command_line_session_prints_what_the_docs_show(mock: mock_process.RunningMock, index: int) -> None:
    _, commands, shown = SESSIONS[index]
    result = subprocess.run(["bash", "-c", "set -e\n" + _here(commands, mock)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == shown


def test_the_readme_and_the_guide_each_show_a_session() -> None:
    assert {docs.name(page) for page, _, _ in SESSIONS} == {"README.md", "guide/command-line.md"}


@pytest.mark.proof  # processes as a person starts them, seconds each: `make proofs`
def test_make_mock(mock: mock_process.RunningMock) -> None:
    (make_mock,) = [line for block in _blocks("sh") for line in block.splitlines() if line.startswith("make mock")]
    port = str(mock_process.free_port())
    command = make_mock.split("#")[0].split() + [f"MOCK_ARGS=--port {port}"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 90
        for line in process.stdout:
            if line.startswith("Zomro rescue mock: "):
                assert f":{port}/" in line
                break
            assert time.monotonic() < deadline
        else:
            pytest.fail("make mock stopped before it served")
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches make and the mock, as in a terminal
        process.wait(30)


@pytest.mark.proof  # processes as a person starts them, seconds each: `make proofs`
def test_the_bad_world_example_is_what_the_mock_prints(tmp_path: Path) -> None:
    _, world_section = docs.section("The mock plays the server")
    (line, file, wrong, right) = re.findall(
        r"such as\n`(zomro-rescue-mock: --world (\S+): .*?)`\nfor a `(\w+):` written where `(\w+):` goes", world_section
    )[0]
    login = {key: operations()["logIn"].request_examples["login"]["value"][key] for key in ("username", "password")}
    account = {**login, "instances": [{"elid": 1, right: "active"}, {"elid": 2, wrong: "rescued"}]}
    (tmp_path / file).write_text(yaml.safe_dump({"accounts": [account]}), encoding="utf-8")
    port = str(mock_process.free_port())
    result = subprocess.run(
        [mock_process.COMMAND, "--world", file, "--port", port], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert (result.returncode, result.stdout, result.stderr) == (1, "", line + "\n")


def test_a_status_the_contract_does_not_list_is_kept_as_the_guide_says() -> None:
    _, world_section = docs.section("The mock plays the server")
    assert "the contract's list of statuses is open, so one it does not\nname is kept as it is" in world_section
    status = spec()["components"]["schemas"]["InstanceStatus"]
    assert "The set is open" in " ".join(status["description"].split())
    assert "enum" not in status["properties"]["$"]
    login = {key: operations()["logIn"].request_examples["login"]["value"][key] for key in ("username", "password")}
    world = world_file.build({"accounts": [{**login, "instances": [{"elid": 1, "status": "bogus"}]}]}, "a world")
    assert world.instances[1].status == "bogus"


def _fresh_pip(venv: Path) -> list[str]:
    """pip in a fresh virtual environment: the pip ensurepip would install there, run from Python's own wheel of it
    (pip runs from its wheel), which saves installing it first (4 s of this test); else installed as venv does."""
    bundled = sorted(Path(ensurepip.__file__).parent.glob("_bundled/pip-*.whl"))
    if bundled:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
        return [str(venv / "bin" / "python"), str(bundled[-1] / "pip")]
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    return [str(venv / "bin" / "pip")]


@pytest.mark.proof  # a fresh environment and an install from the package index: `make proofs`, with the wheels'
def test_pip_install_of_the_generated_client(tmp_path: Path) -> None:
    (install,) = [line for block in _blocks("sh") for line in block.splitlines() if line.startswith("pip install")]
    pip = _fresh_pip(tmp_path / "venv")
    result = subprocess.run(
        [*pip, *install.split()[1:], "--quiet", "--disable-pip-version-check"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    check = subprocess.run(
        [str(tmp_path / "venv" / "bin" / "python"), "-c", "import zomro_rescue_client.api.rescue.rescue_instance"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stderr


# -- the guide's "Checking the contract with your own traffic": its terminal sessions, as a person runs them ----------------------

_, TRAFFIC = docs.section("Checking the contract with your own traffic")
STOP = "^C"


def _session(block: str) -> list[tuple[str, list[str]]]:
    """A console block as (command, the lines it prints); `^C` is a command of its own: Ctrl-C to the server above."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ ") or line == STOP:
            steps.append((line.removeprefix("$ "), []))
        else:
            steps[-1][1].append(line)
    return steps


def _same_lines(shown: list[str], printed: list[str], what: str) -> None:
    """The lines printed are the docs', where `...` in a line shown stands for anything (a time, a port of Prism's)."""
    patterns = [re.compile(".*".join(map(re.escape, line.split("...")))) for line in shown]
    assert len(printed) == len(shown) and all(p.fullmatch(line) for p, line in zip(patterns, printed, strict=True)), (
        f"{what}: the docs show\n" + "\n".join(shown) + "\nbut it printed\n" + "\n".join(printed)
    )


def _first_line(process: subprocess.Popen[str], within: float) -> str:
    """The server's first line (its ready line), or a failure with what it said, after `within` seconds at most."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline() if process.stdout else ""), daemon=True)
    reader.start()
    reader.join(within)
    assert lines and lines[0], f"no ready line within {within} s"
    return lines[0].rstrip("\n")


@pytest.mark.proof  # processes as a person starts them, seconds each: `make proofs`
def test_the_traffic_sections_sessions_print_what_the_docs_show(mock: mock_process.RunningMock, tmp_path: Path) -> None:
    # Each block as a person types it: a server in a terminal of its own (stopped at its `^C`, after the next block),
    # the commands of the other blocks in a shell each, in a folder of their own beside the checkout's .venv.
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    ports = {"4010": mock.url.rsplit(":", 1)[1], "4011": str(mock_process.free_port()), "4012": str(mock_process.free_port())}
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOMRO_")}

    def here(text: str) -> str:
        return re.sub(r"(127\.0\.0\.1:|--port )(40\d\d)\b", lambda m: m.group(1) + ports[m.group(2)], text)

    blocks = re.findall(r"```console\n(.*?)```", TRAFFIC, flags=re.S)
    assert len(blocks) >= 5 and any(STOP in block for block in blocks)
    servers: list[tuple[subprocess.Popen[str], list[str], str]] = []
    try:
        for block in blocks:
            steps = _session(here(block))
            if steps[0][0].startswith(".venv/bin/zomro-rescue-mock "):
                (command, shown), (stop, after) = steps
                assert stop == STOP, "a server's block ends with its ^C"
                process = subprocess.Popen(
                    ["bash", "-c", "exec " + command], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
                )
                servers.append((process, after, command))
                _same_lines(shown, [_first_line(process, 60)], command)
                continue
            script = "set -e -o pipefail\n" + "\n".join(command for command, _ in steps)
            result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
            assert result.returncode == 0, result.stdout + result.stderr
            _same_lines([line for _, printed in steps for line in printed], result.stdout.splitlines(), steps[0][0])
            for process, after, command in servers:  # Ctrl-C, once the commands that needed it have run
                process.send_signal(signal.SIGINT)
                rest, _ = process.communicate(timeout=30)
                assert process.returncode == 0, rest
                _same_lines(after, rest.splitlines(), f"{command}, stopped")
            servers.clear()
    finally:
        for process, _, _ in servers:
            process.kill()
            process.wait(10)


# -- every block is run, or says why not ----------------------------------------------------------------------------

NOT_RUN = re.compile(r"<!-- not run: (?P<why>[^>]{20,}) -->\n$")


def _run_here(page: Path, language: str, block: str) -> str | None:
    """The test that runs this block and compares what it prints, or None."""
    if language == "sh" and all(command.startswith("curl") for command, _ in _commands(block)):
        return "test_curl_commands_in_the_readmes_order"
    if language == "sh" and block.startswith("make mock"):
        return "test_make_mock (make test: .ci/run)"
    if language == "sh" and block.startswith("pip install"):
        return "test_pip_install_of_the_generated_client"
    if any(block in (commands, shown) for _, commands, shown in SESSIONS):
        return "test_command_line_session_prints_what_the_docs_show"
    if language == "text" and page.name == "path-keys.md":
        return "test_the_path_keys_pages_error_is_the_mocks"
    if language == "python" and (program := _matrix_program(block)):
        return f"make regen-matrix ({program})"
    if language == "python":
        return "test_python_snippet" if "\ndef test_" not in block else "test_dist (the example project's module)"
    if language == "yaml" and page.name == "README.md":
        return "test_dist (the CI job's steps)"
    if language == "console" and page.name == "command-line.md" and block.startswith("$ .venv/bin/zomro-rescue enter"):
        return "test_cli_terminal's test_the_guides_terminal_session_prints_what_it_shows"
    if language == "console" and block in TRAFFIC:
        return "test_the_traffic_sections_sessions_print_what_the_docs_show"
    return None


def test_the_path_keys_pages_error_is_the_mocks(mock: mock_process.RunningMock) -> None:
    (_, shown), *_ = docs.blocks("text", docs.GUIDE / "path-keys.md")
    form = {"func": "instances.fleio.rescue", "out": "json", "elid": "5203773", "auth": "43137b5f35a6ba4ee01f4a4e"}
    for path in ("/%23func=instances.fleio.rescue", "/%23func=instances.fleio.rescue&sok=ok"):
        error = httpx.post(mock.url + path, files={name: (None, value) for name, value in form.items()}).json()["doc"]["error"]
        assert (error["$object"], error["msg"]["$"]) == ("path", shown.strip()), path


def test_a_block_is_a_matrix_programs_only_when_it_holds_its_lines_in_order() -> None:
    program = (ROOT / "clients" / "matrix" / "aiopenapi3" / "main.py").read_text(encoding="utf-8")
    hook = next(line for line in program.splitlines() if "copy_with(" in line)
    assert _matrix_program(hook) == "clients/matrix/aiopenapi3/main.py"
    assert _matrix_program(hook + "\nprint('a line no program has')") is None
    assert _matrix_program(hook + "\nimport json") is None  # both in the program, but not in this order


def test_every_block_of_the_readme_and_the_guide_is_run_or_says_why_not() -> None:
    unaccounted = []
    for page in docs.pages():
        text = docs.text(page)
        for match in re.finditer(r"```(\w*)\n(.*?)```", text, flags=re.S):
            language, block = match.groups()
            marked = NOT_RUN.search(text[: match.start()])
            runner = _run_here(page, language, block)
            assert not (marked and runner), f"{docs.name(page)}: a block marked not run, that {runner} runs: {block[:60]!r}"
            if not marked and not runner:
                unaccounted.append(f"{docs.name(page)}: {language} {block[:60]!r}")
    assert not unaccounted, "run these in a test, or say why not (<!-- not run: why -->):\n" + "\n".join(unaccounted)
