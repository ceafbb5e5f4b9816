"""Every example in `zomro-rescue --help` (and each command's) and in `zomro-rescue-mock --help`, run as a person runs it.

Each example is run by bash against the mock, in a folder of its own, with the installed commands on the
PATH, and checked against what the help says it does (its `# ` comment, and the command's purpose). A new
example without a check here fails `test_every_example_is_checked`: an example nobody runs goes stale.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from zomro_mock import world_file
from zomro_rescue import cli
from zomro_rescue.client import WAIT_TIMEOUT
from zomro_testkit import article, command, mock_process
from zomro_testkit.contract import operations

# Each example as a person runs it, a process each against a mock: a proof of the docs, run by `make proofs`.
pytestmark = pytest.mark.proof

BIN = Path(sys.executable).parent
ELID = int(article.curl_example("rescue").form["elid"])
SESSION = article.curl_example("rescue").form["auth"]
LOGIN = operations()["logIn"].request_examples["login"]["value"]
# The mock's default world (README, "The mock plays the server"): the account's instances, and the busy one.
ACCOUNT_INSTANCES = [5203773, 5203774, 5203775, 5203776, 5203777]
BUSY = 5203777


def _examples(help_text: str) -> list[str]:
    """The commands under each `example:` heading: its indented lines."""
    found: list[str] = []
    under = False
    for line in help_text.splitlines():
        if line == "example:":
            under = True
        elif under and line.startswith("  "):
            found.append(line.strip())
        else:
            under = False
    return found


def _help(*args: str) -> str:
    result = command.run([*args, "--help"])
    assert result.returncode == 0, result.stderr
    return result.stdout


def _every_example() -> list[str]:
    """The top-level help's examples; each command's own help shows its own, and only those of the top level."""
    top = _examples(_help())
    for name in cli.EXAMPLES:
        own = _examples(_help(name))
        assert own and set(own) <= set(top), f"`zomro-rescue {name} --help` shows an example the top-level help does not"
    return top


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str
    folder: Path


def _comment(example: str) -> str:
    return example.split("   # ", 1)[1] if "   # " in example else ""


def _images(ran: Ran) -> None:
    header, _rule, *rows = ran.stdout.splitlines()
    assert header.split()[:1] == ["UUID"] and len(rows) == len(article.images())


def _uuids(ran: Ran) -> None:
    assert ran.stdout.splitlines() == [image.uuid for image in article.images()]


def _entered(image: str) -> Callable[[Ran], None]:
    def check(ran: Ran) -> None:
        assert ran.stdout.startswith(f"instance {ELID} is entering rescue mode with ") and image in ran.stdout

    return check


def _entered_and_waited(ran: Ran) -> None:
    # "until it is rescued; exit code 5 after 600 s": it waited for rescued, and the comment's figures are the code's.
    assert ran.stdout.startswith(f"instance {ELID} is in rescue mode with Debian 12")
    assert re.search(r"exit code (\d+) after (\d+) s", _comment(EXAMPLE_WAIT)).groups() == (str(cli.TIMED_OUT), f"{WAIT_TIMEOUT:.0f}")


def _left(ran: Ran) -> None:
    assert ran.stdout == f"instance {ELID} is leaving rescue mode\n"


def _left_and_waited(ran: Ran) -> None:
    assert ran.stdout.startswith(f"instance {ELID} has left rescue mode: active after ")


def _status(ran: Ran) -> None:
    assert ran.stdout.startswith(f"instance {ELID} (web-1): active; ")


def _status_json(ran: Ran) -> None:
    assert ran.stdout == "active\n"


def _waited_for_rescued(ran: Ran) -> None:
    assert ran.stdout.startswith(f"instance {ELID} (web-1): rescued after ")


def _waited_for_active_or_stopped(ran: Ran) -> None:
    assert json.loads(ran.stdout)["status"] == "active"


def _instances(ran: Ran) -> None:
    _header, _rule, *rows = ran.stdout.splitlines()
    assert [int(row.split()[0]) for row in rows] == ACCOUNT_INSTANCES


def _busy(ran: Ran) -> None:
    assert ran.stdout == f"{BUSY}\n"


def _logged_in(ran: Ran) -> None:
    # "sets ZOMRO_AUTH": the shell after the eval holds a session the mock takes (the check's own lines print it).
    assert ran.stdout.strip() not in ("", SESSION) and ran.stderr == f"password for {LOGIN['username']}: \n"


def _probed(ran: Ran) -> None:
    # "exit 0 no drift, 1 drift, 3 API error, 4 transport error": the mock has none; the codes are the command's.
    assert ran.stdout == "" and (ran.folder / "probe-report.md").read_text().strip().endswith("no drift found")
    codes = {label: int(code) for code, label in re.findall(r"(\d) ([A-Za-z ]+?)(?:,|$)", _comment(EXAMPLE_PROBE).removeprefix("exit "))}
    assert codes == {"no drift": cli.OK, "drift": cli.DRIFT, "API error": cli.API, "transport error": cli.TRANSPORT}


def _recorded(ran: Ran) -> None:
    # "then: zomro-rescue-mock --world world.yaml": the file is a world the mock loads, with the account's instances.
    assert ran.stdout.startswith(f"recorded {len(ACCOUNT_INSTANCES)} instances")
    assert sorted(world_file.load(ran.folder / "world.yaml").instances) == ACCOUNT_INSTANCES


def _recorded_two(ran: Ran) -> None:
    world = yaml.safe_load((ran.folder / "two.yaml").read_text())
    assert [item["elid"] for account in world["accounts"] for item in account["instances"]] == [5203773, 5203774]
    assert sorted(world_file.load(ran.folder / "two.yaml").instances) == [5203773, 5203774]


EXAMPLE_WAIT = "zomro-rescue enter 5203773 --image 'Debian 12' --wait   # until it is rescued; exit code 5 after 600 s"
EXAMPLE_PROBE = "zomro-rescue probe --instance 5203773 > probe-report.md   # exit 0 no drift, 1 drift, 3 API error, 4 transport error"
EXAMPLE_LOGIN = 'eval "$(zomro-rescue login --username me@example.com --export)"   # sets ZOMRO_AUTH'
# What each example does, and what must be true before it (RESCUED: the instance is in rescue mode first).
RESCUED = "rescued"
CHECKS: dict[str, tuple[Callable[[Ran], None], str | None]] = {
    "zomro-rescue images 5203773": (_images, None),
    "zomro-rescue images 5203773 --json | jq -r '.[].uuid'": (_uuids, None),
    "zomro-rescue enter 5203773 --image 'Debian 12'": (_entered("Debian 12"), None),
    "zomro-rescue enter 5203773 --image f8f2573f-56c4-44c5-8469-84eee4aa64e7 --no-password": (
        _entered("f8f2573f-56c4-44c5-8469-84eee4aa64e7"),
        None,
    ),
    EXAMPLE_WAIT: (_entered_and_waited, None),
    "zomro-rescue exit 5203773": (_left, RESCUED),
    "zomro-rescue exit 5203773 --wait --wait-timeout 300 --interval 15": (_left_and_waited, RESCUED),
    "zomro-rescue status 5203773": (_status, None),
    "zomro-rescue status 5203773 --json | jq -r .status": (_status_json, None),
    "zomro-rescue wait 5203773 --for rescued": (_waited_for_rescued, RESCUED),
    "zomro-rescue wait 5203773 --for active --for stopped --json": (_waited_for_active_or_stopped, None),
    "zomro-rescue instances": (_instances, None),
    "zomro-rescue instances --json | jq -r '.[] | select(.busy) | .elid'": (_busy, None),
    EXAMPLE_LOGIN: (_logged_in, None),
    EXAMPLE_PROBE: (_probed, None),
    "zomro-rescue world --out world.yaml   # then: zomro-rescue-mock --world world.yaml": (_recorded, None),
    "zomro-rescue world --instance 5203773 --instance 5203774 > two.yaml": (_recorded_two, None),
}


def test_every_example_is_checked() -> None:
    assert _every_example() == list(CHECKS)


def _bash(script: str, env: dict[str, str], folder: Path, stdin: str = "") -> Ran:
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-o", "pipefail", "-c", script],
        cwd=folder,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Ran(result.returncode, result.stdout, result.stderr, folder)


@pytest.mark.parametrize("example", list(CHECKS))
def test_the_example_does_what_the_help_says(mock: mock_process.RunningMock, example: str, tmp_path: Path) -> None:
    if "| jq" in example and shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    check, before = CHECKS[example]
    if before == RESCUED:
        entered = command.run(
            ["enter", str(ELID), "--image", "Debian 12", "--no-password"], {"ZOMRO_API_URL": mock.url, "ZOMRO_AUTH": SESSION}
        )
        assert entered.returncode == 0, entered.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOMRO_")}
    env.update(PATH=f"{BIN}{os.pathsep}{env['PATH']}", ZOMRO_API_URL=mock.url)
    stdin, script = "", example
    if example == EXAMPLE_LOGIN:
        # Typed at the prompt (here piped in, read as a line); the lines after the example show what it set.
        stdin = LOGIN["password"] + "\n"
        script = f'set -e\n{example}\nzomro-rescue status {ELID} > /dev/null\nprintf "%s\\n" "$ZOMRO_AUTH"'
    else:
        env["ZOMRO_AUTH"] = SESSION
    ran = _bash(script, env, tmp_path, stdin)
    assert ran.returncode == 0, f"{example}\n{ran.stdout}{ran.stderr}"
    if example != EXAMPLE_LOGIN:
        assert ran.stderr == "", ran.stderr
    check(ran)


# zomro-rescue-mock --help


def _mock_help() -> str:
    result = subprocess.run([str(BIN / "zomro-rescue-mock"), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_mocks_example_does_what_its_help_says(mock: mock_process.RunningMock) -> None:
    text = _mock_help()
    (started, rest) = re.findall(r"^Example: (zomro-rescue-mock [^,]*), then(.*)$", text, flags=re.M | re.S)[0]
    # The mock started as the help starts it (the `mock` fixture runs `zomro-rescue-mock --port N`): its port here.
    port = re.fullmatch(r"zomro-rescue-mock --port (\d+)", started)
    assert port, started
    lines = [line.strip() for line in rest.splitlines() if line.startswith("  ")]
    commands = [(line, lines[i + 1].removeprefix("# ") if i + 1 < len(lines) and lines[i + 1].startswith("# ") else None)
                for i, line in enumerate(lines) if not line.startswith("# ")]  # fmt: skip
    assert commands, "the mock's help shows an example command"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOMRO_")}
    for line, answer in commands:
        assert f"127.0.0.1:{port.group(1)}" in line, line
        ran = _bash(
            line.replace(f"127.0.0.1:{port.group(1)}", mock.url.removeprefix("http://")) + " --silent --show-error", env, Path.cwd()
        )
        assert ran.returncode == 0, ran.stderr
        assert answer is not None, f"say in the help what this command answers: {line}"
        assert json.loads(ran.stdout) == json.loads(answer), (line, ran.stdout)
