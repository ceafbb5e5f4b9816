"""`zomro-rescue`: list rescue images, enter and leave rescue mode, follow an instance's status, log in.

Exit codes: 0 done; 2 a usage error (a bad argument, an unknown or ambiguous
image, a password that breaks the rules, no credentials); 3 the API answered
with an error; 4 the API could not be reached or answered something else;
5 (`--wait`, `wait`) the instance did not reach the status waited for in time;
6 it settled in a status from which that one cannot come without another action.
`probe` exits 1 when it found drift from the contract. `world` records the account
as a world for `zomro-rescue-mock --world` (read-only).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from zomro_contract.release import name_and_version
from zomro_contract.statuses import RESCUED

from .client import (
    DEFAULT_URL,
    ELID_MAXIMUM,
    ELID_MINIMUM,
    ENV_AUTH,
    ENV_PASSWORD,
    ENV_URL,
    ENV_USERNAME,
    WAIT_INTERVAL,
    WAIT_TIMEOUT,
    Preview,
    RescueClient,
    mask,
)
from .errors import ApiError, LoginRefused, TransportError, WaitDeadEnd, WaitTimeout, ZomroRescueError
from .images import Image, choose
from .instances import Instance

OK, USAGE, API, TRANSPORT = 0, 2, 3, 4
TIMED_OUT, DEAD_END = 5, 6  # a wait (--wait, `wait`) that did not end in the status wanted
DRIFT = 1
TIMEOUT = 30.0  # seconds, the default of --timeout
ENV_RESCUE_PASSWORD = "ZOMRO_RESCUE_PASSWORD"

EXAMPLES = {
    "images": "example:\n  zomro-rescue images 5203773\n  zomro-rescue images 5203773 --json | jq -r '.[].uuid'",
    "enter": "example:\n  zomro-rescue enter 5203773 --image 'Debian 12'\n"
    "  zomro-rescue enter 5203773 --image f8f2573f-56c4-44c5-8469-84eee4aa64e7 --no-password\n"
    "  zomro-rescue enter 5203773 --image 'Debian 12' --wait   # until it is rescued; exit code 5 after 600 s",
    "exit": "example:\n  zomro-rescue exit 5203773\n  zomro-rescue exit 5203773 --wait --wait-timeout 300 --interval 15",
    "status": "example:\n  zomro-rescue status 5203773\n  zomro-rescue status 5203773 --json | jq -r .status",
    "wait": "example:\n  zomro-rescue wait 5203773 --for rescued\n  zomro-rescue wait 5203773 --for active --for stopped --json",
    "instances": "example:\n  zomro-rescue instances\n  zomro-rescue instances --json | jq -r '.[] | select(.busy) | .elid'",
    "login": 'example:\n  eval "$(zomro-rescue login --username me@example.com --export)"   # sets ZOMRO_AUTH',
    "probe": "example:\n  zomro-rescue probe --instance 5203773 > probe-report.md   # exit 0 no drift, 1 drift, 3 API error, 4 transport error",
    "world": "example:\n  zomro-rescue world --out world.yaml   # then: zomro-rescue-mock --world world.yaml\n"
    "  zomro-rescue world --instance 5203773 --instance 5203774 > two.yaml",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zomro-rescue",
        description="Rescue a Zomro Cloud VPS instance: boot it from a rescue image with its disk attached, and back.",
        epilog=f"credentials: {ENV_AUTH} (a session id), or {ENV_USERNAME} and {ENV_PASSWORD}; "
        f"API: --url or {ENV_URL} (default {DEFAULT_URL}); --url and --timeout go before the command or after it.\nexit codes: 0 done, 2 usage, 3 API error, 4 transport error, "
        "5 timed out waiting, 6 the status waited for cannot come.\n\n" + "\n".join(EXAMPLES.values()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=name_and_version("zomro-rescue"))
    _global_options(parser, default_url=None, default_timeout=TIMEOUT)
    # The same options after the command (`zomro-rescue images 5203773 --url URL`): a copy in each command's parser whose
    # default is SUPPRESS, so that one left out there keeps what was given before the command; given in both places,
    # the one after the command wins, as a repeated option does.
    after = argparse.ArgumentParser(add_help=False)
    _global_options(after, default_url=argparse.SUPPRESS, default_timeout=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help,
            description=help,
            epilog=EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[after],
        )
        sub.add_argument("--json", action="store_true", help="print JSON for scripts instead of a table")
        return sub

    images = command("images", "list the images an instance can be rescued with")
    images.add_argument("elid", type=int, metavar="ELID", help="the instance's ID")
    enter = command("enter", "boot an instance from a rescue image (enter rescue mode)")
    enter.add_argument("elid", type=int, metavar="ELID", help="the instance's ID")
    enter.add_argument("--image", required=True, metavar="NAME_OR_UUID", help="the image: its UUID, or its OS name as `images` lists it")
    secret = enter.add_mutually_exclusive_group()
    secret.add_argument("--password", help=f"password of the rescue system (prompted for when not given; env {ENV_RESCUE_PASSWORD})")
    secret.add_argument("--no-password", action="store_true", help="set no password (Windows images get one generated)")
    _wait_options(enter, "rescued")
    leave = command("exit", "leave rescue mode (boot the instance from its own disk again)")
    leave.add_argument("elid", type=int, metavar="ELID", help="the instance's ID")
    _wait_options(leave, "active")
    status = command("status", "show an instance's status (`rescuing`, `rescued`, ...) and what can be done next")
    status.add_argument("elid", type=int, metavar="ELID", help="the instance's ID")
    wait = command("wait", "wait until an instance's status is the one given, listing the instances every --interval seconds")
    wait.add_argument("elid", type=int, metavar="ELID", help="the instance's ID")
    wait.add_argument(
        "--for", dest="wanted", action="append", required=True, metavar="STATUS", help="the status (repeat for any of several)"
    )
    _wait_options(wait, None)
    command("instances", "list the account's instances with their status")
    login = command("login", "log in and get a session id for ZOMRO_AUTH")
    login.add_argument("--username", help=f"the account's login (env {ENV_USERNAME}; prompted for when not given)")
    login.add_argument("--export", action="store_true", help="print `export ZOMRO_AUTH='...'` for eval (quoted: eval can only assign)")
    probe = command("probe", "check the server's answers against the contract, calling only functions that change nothing")
    probe.add_argument("--instance", required=True, type=int, metavar="ELID", help="the instance whose rescue images to preview")
    probe.add_argument("--username", help=f"log in first as this user (password from {ENV_PASSWORD} or a prompt)")
    world = commands.add_parser(
        "world",
        help="record the account's instances and their rescue images as a world for `zomro-rescue-mock --world` (read-only)",
        description="Read the account's instance list and each instance's rescue preview (calls that change nothing, a second "
        "apart against the provider's API) and write them as a world for `zomro-rescue-mock --world`, YAML, with placeholders "
        "where a secret would go: a mock shaped like your account, for your CI.",
        epilog=EXAMPLES["world"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[after],
    )
    world.add_argument(
        "--instance", dest="instances", action="append", type=int, default=[], metavar="ELID", help="only this instance (repeat for more)"
    )
    world.add_argument("--out", type=Path, metavar="FILE", help="write the world to FILE (default: print it)")
    world.add_argument("--username", help=f"log in as this user (password from {ENV_PASSWORD} or a prompt)")
    return parser


def _global_options(parser: argparse.ArgumentParser, default_url: object, default_timeout: object) -> None:
    """--url and --timeout: before the command (with their defaults), and after it (SUPPRESS: given, or left alone)."""
    parser.add_argument("--url", default=default_url, help=f"the API's base URL (env {ENV_URL}; default {DEFAULT_URL})")
    parser.add_argument(
        "--timeout",
        type=float,
        default=default_timeout,
        metavar="SECONDS",
        help=f"the longest one call to the API may take, whole (default {TIMEOUT:g})",
    )


def _wait_options(sub: argparse.ArgumentParser, status: str | None) -> None:
    """--wait (for `status`; None: the command always waits), --wait-timeout and --interval."""
    if status:
        sub.add_argument("--wait", action="store_true", help=f"then wait until the instance is {status}, its status shown on a terminal")
    sub.add_argument(
        "--wait-timeout", type=float, metavar="SECONDS", help=f"how long to wait in all (default {WAIT_TIMEOUT:g}; then exit code 5)"
    )
    sub.add_argument(
        "--interval",
        type=float,
        metavar="SECONDS",
        help=f"seconds between two readings of the list (default {WAIT_INTERVAL:g}, as the panel)",
    )


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [header, ["-" * w for w in widths], *rows]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines)


def _image_json(image: Image) -> dict[str, Any]:
    return {"uuid": str(image.uuid), "image_name": image.image_name, "os_name": image.os_name, "zone": image.zone}


def _instance_json(instance: Instance) -> dict[str, Any]:
    return {
        "elid": instance.elid,
        "name": instance.name,
        "status": instance.status,
        "busy": instance.busy,
        "rescued": instance.rescued,
        "can_rescue": instance.can_rescue,
        "ip": instance.ip,
        "os_name": instance.os_name,
    }


def _ask(prompt: str, secret: bool = False) -> str:
    """What the person types at a prompt shown on the terminal, never on stdout (which `eval "$(...)"` reads)."""
    if secret and sys.stdin.isatty():
        return getpass.getpass(prompt, stream=sys.stderr)
    # A secret piped in (`... | zomro-rescue login`) is read as a line: there is no echo to turn off.
    print(prompt, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline()
    if secret:
        print(file=sys.stderr)  # as getpass ends its prompt's line
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def _rescue_password(args: argparse.Namespace) -> str | None:
    if args.no_password:
        return None
    if args.password is not None:
        return str(args.password)
    if os.environ.get(ENV_RESCUE_PASSWORD):
        return os.environ[ENV_RESCUE_PASSWORD]
    if sys.stdin.isatty():
        return _ask("password for the rescue system (empty for none): ", secret=True) or None
    return None


def _login(args: argparse.Namespace) -> int:
    username = args.username or os.environ.get(ENV_USERNAME) or _ask("username: ").strip()
    if not username:
        raise ZomroRescueError(f"no username given: pass --username, or set {ENV_USERNAME}")
    password = os.environ.get(ENV_PASSWORD) or _ask(f"password for {username}: ", secret=True)
    if not password:
        raise ZomroRescueError(f"no password given for {username}: type it at the prompt, or set {ENV_PASSWORD}")
    with RescueClient(args.url, username=username, password=password, timeout=args.timeout) as zomro:
        session = zomro.login()
    if args.export:
        print(f"export {ENV_AUTH}={_single_quoted(session)}")
    elif args.json:
        print(json.dumps({"username": username, "session": session}))
    else:
        print(f"logged in as {username}; session id {mask(session)}: print it with --export or --json")
    return OK


def _single_quoted(text: str) -> str:
    """`text` for a POSIX shell, always in single quotes (as --export's help shows it), a `'` in it written `'\\''`.

    shlex.quote leaves a safe text bare; the quotes are kept here so that the line is the same shape whatever the id."""
    return "'" + text.replace("'", "'\\''") + "'"


def _probe(args: argparse.Namespace) -> int:
    from .probe import Probe  # here: jsonschema and the contract's schemas cost the other commands' start 0.2 s

    password = None
    if args.username:
        password = os.environ.get(ENV_PASSWORD) or _ask(f"password for {args.username}: ", secret=True)
        if not password:
            raise ZomroRescueError(f"no password given for {args.username}: type it at the prompt, or set {ENV_PASSWORD}")
    report = Probe(args.url, username=args.username, password=password, timeout=args.timeout, log_in=bool(args.username)).run(args.instance)
    # The report so far, before the error that stopped it; none when not one call was answered (not this API, say).
    if report.calls:
        print(json.dumps(report.as_dict(), indent=2) if args.json else report.markdown())
    if report.failure:
        raise report.failure
    return DRIFT if report.drift else OK


def _world(args: argparse.Namespace) -> int:
    from .recorder import PacedClient, as_yaml, record

    for elid in args.instances:
        _check_instance(elid)
    password = None
    if args.username:
        password = os.environ.get(ENV_PASSWORD) or _ask(f"password for {args.username}: ", secret=True)
        if not password:
            raise ZomroRescueError(f"no password given for {args.username}: type it at the prompt, or set {ENV_PASSWORD}")
    with PacedClient(args.url, username=args.username, password=password, timeout=args.timeout) as zomro:
        recorded = record(zomro, args.instances, zomro.username)
        text = as_yaml(recorded, zomro.shown_url)
    if args.out is None:
        print(text, end="")
        return OK
    _write(args.out, text)
    print(f"recorded {recorded.instances} instances and {recorded.images} images into {args.out}; no secret is written there")
    return OK


def _check_instance(elid: int) -> None:
    if not ELID_MINIMUM <= elid <= ELID_MAXIMUM:
        raise ZomroRescueError(f"--instance {elid}: the API's instance IDs are whole numbers from {ELID_MINIMUM} to {ELID_MAXIMUM}")


def _write(path: Path, text: str) -> None:
    """Write the file whole or not at all: a run cut short leaves no half a world where a test would load it."""
    temporary = None
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False) as out:
            temporary = Path(out.name)
            out.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise ZomroRescueError(f"--out {path}: cannot write it ({exc.strerror or exc}); give a file in a folder you can write to") from None


def _images(found: Preview, as_json: bool) -> None:
    if as_json:
        print(json.dumps([_image_json(image) for image in found.images], indent=2))
    else:
        rows = [[str(i.uuid), i.image_name or "-", i.os_name, i.zone] for i in found.images]
        print(_table(rows, ["UUID", "image name", "OS name", "zone"]))
    if found.unusable:
        # Shown, not fatal: the rest of the list is good. With --json, on stderr, so that stdout stays the list.
        notes = [f"  {image.label()} ({image.key or 'no key'}): {image.problem}" for image in found.unusable]
        print(
            f"{len(found.unusable)} more listed by the server cannot be used for a rescue:",
            *notes,
            sep="\n",
            file=sys.stderr if as_json else sys.stdout,
        )


def _on_terminal() -> bool:
    return sys.stderr.isatty()


def _wait_args(args: argparse.Namespace) -> None:
    """--wait-timeout and --interval checked, or their defaults set, when the command waits; refused when it does not."""
    waits = args.command == "wait" or getattr(args, "wait", False)
    given = [f"--{name.replace('_', '-')}" for name in ("wait_timeout", "interval") if getattr(args, name, None) is not None]
    if not waits:
        if given:
            raise ZomroRescueError(f"{' and '.join(given)}: only with --wait")
        return
    args.wait_timeout = WAIT_TIMEOUT if args.wait_timeout is None else args.wait_timeout
    args.interval = WAIT_INTERVAL if args.interval is None else args.interval
    if not 0 < args.wait_timeout <= 86400:
        raise ZomroRescueError("--wait-timeout: give seconds between 0 and 86400 (a day)")
    if not 0 < args.interval <= 3600:
        raise ZomroRescueError("--interval: give seconds between 0 and 3600")


def _wait(zomro: RescueClient, args: argparse.Namespace, wanted: Sequence[str]) -> tuple[Instance, float]:
    """Wait for a status wanted; on a terminal, each status on stderr as it changes. The instance, and the seconds waited."""
    started = time.monotonic()

    def show(instance: Instance) -> None:
        shown = zomro.hide_secrets(instance.status) or "no status"
        print(f"instance {instance.elid}: {shown} ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)

    on_change = show if _on_terminal() else None
    instance = zomro.wait_for(args.elid, wanted, timeout=args.wait_timeout, interval=args.interval, on_change=on_change)
    return instance, time.monotonic() - started


def _waited_json(zomro: RescueClient, reached: tuple[Instance, float] | None) -> dict[str, Any]:
    if reached is None:
        return {}
    instance, waited = reached
    return {"status": zomro.hide_secrets(instance.status), "waited": round(waited, 1)}


def _run(args: argparse.Namespace) -> int:
    if not 0 < args.timeout <= 3600:
        raise ZomroRescueError("--timeout: give seconds between 0 and 3600")
    _wait_args(args)
    if args.command == "login":
        return _login(args)
    if args.command == "probe":
        return _probe(args)
    if args.command == "world":
        return _world(args)
    with RescueClient(args.url, timeout=args.timeout) as zomro:
        if args.command == "images":
            _images(zomro.preview(args.elid), args.json)
        elif args.command == "enter":
            # The image first: a wrong name should not cost the user a password prompt.
            found = zomro.preview(args.elid)
            image = zomro.rescue(args.elid, choose(found.images, args.image, found.unusable), _rescue_password(args))
            reached = _wait(zomro, args, [RESCUED]) if args.wait else None
            if args.json:
                print(json.dumps({"elid": args.elid, "rescue": True, "image": _image_json(image), **_waited_json(zomro, reached)}))
            elif reached:
                print(f"instance {args.elid} is in rescue mode with {image.label()} ({image.uuid}), after {reached[1]:.0f} s")
            else:
                print(f"instance {args.elid} is entering rescue mode with {image.label()} ({image.uuid})")
        elif args.command == "status":
            instance = zomro.status(args.elid)
            if args.json:
                print(json.dumps(_instance_json(instance)))
            else:
                name = f" ({instance.name})" if instance.name else ""
                print(f"instance {instance.elid}{name}: {instance.status or 'no status'}; {instance.next_step()}")
        elif args.command == "wait":
            instance, waited = _wait(zomro, args, args.wanted)
            if args.json:
                shown = {
                    key: zomro.hide_secrets(value) if isinstance(value, str) else value for key, value in _instance_json(instance).items()
                }
                print(json.dumps({**shown, **_waited_json(zomro, (instance, waited))}))
            else:
                name = f" ({zomro.hide_secrets(instance.name)})" if instance.name else ""
                print(f"instance {instance.elid}{name}: {zomro.hide_secrets(instance.status)} after {waited:.0f} s; {instance.next_step()}")
        elif args.command == "instances":
            listed = zomro.instances()
            if args.json:
                print(json.dumps([_instance_json(instance) for instance in listed], indent=2))
            else:
                rows = [[str(i.elid), i.name or "-", i.status or "-", i.ip or "-", i.os_name or "-"] for i in listed]
                print(_table(rows, ["ID", "name", "status", "IP", "OS"]))
        elif args.command == "exit":
            zomro.unrescue(args.elid)
            reached = _wait(zomro, args, ["active"]) if args.wait else None
            if args.json:
                print(json.dumps({"elid": args.elid, "rescue": False, **_waited_json(zomro, reached)}))
            elif reached:
                print(f"instance {args.elid} has left rescue mode: {zomro.hide_secrets(reached[0].status)} after {reached[1]:.0f} s")
            else:
                print(f"instance {args.elid} is leaving rescue mode")
    return OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code = _run(args)
        sys.stdout.flush()  # here, where a reader that went away is handled, not at exit
        return code
    except LoginRefused as error:  # it says itself what was refused
        print(f"zomro-rescue: {error}", file=sys.stderr)
        return API
    except ApiError as error:
        print(f"zomro-rescue: the API refused: {error}", file=sys.stderr)
        return API
    except TransportError as error:
        print(f"zomro-rescue: {error}", file=sys.stderr)
        return TRANSPORT
    except WaitTimeout as error:
        print(f"zomro-rescue: {error}", file=sys.stderr)
        return TIMED_OUT
    except WaitDeadEnd as error:
        print(f"zomro-rescue: {error}", file=sys.stderr)
        return DEAD_END
    except ZomroRescueError as error:
        print(f"zomro-rescue: {error}", file=sys.stderr)
        return USAGE
    except (KeyboardInterrupt, EOFError):
        print("zomro-rescue: interrupted", file=sys.stderr)
        return USAGE
    except BrokenPipeError:
        # The reader stopped reading (`images | head`): nothing is wrong, and nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK


if __name__ == "__main__":
    sys.exit(main())
