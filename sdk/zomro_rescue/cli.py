"""`zomro-rescue`: list rescue images, enter and leave rescue mode, log in.

Exit codes: 0 done; 2 a usage error (a bad argument, an unknown or ambiguous
image, a password that breaks the rules, no credentials); 3 the API answered
with an error; 4 the API could not be reached or answered something else.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from .client import DEFAULT_URL, ENV_AUTH, ENV_PASSWORD, ENV_URL, ENV_USERNAME, RescueClient, mask
from .errors import ApiError, TransportError, ZomroRescueError
from .images import Image, choose

OK, USAGE, API, TRANSPORT = 0, 2, 3, 4
ENV_RESCUE_PASSWORD = "ZOMRO_RESCUE_PASSWORD"

EXAMPLES = {
    "images": "example:\n  zomro-rescue images 5203773\n  zomro-rescue images 5203773 --json | jq -r '.[].uuid'",
    "enter": "example:\n  zomro-rescue enter 5203773 --image 'Debian 12'\n"
    "  zomro-rescue enter 5203773 --image f8f2573f-56c4-44c5-8469-84eee4aa64e7 --no-password",
    "exit": "example:\n  zomro-rescue exit 5203773",
    "login": 'example:\n  eval "$(zomro-rescue login --username me@example.com --export)"   # sets ZOMRO_AUTH',
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zomro-rescue",
        description="Rescue a Zomro Cloud VPS instance: boot it from a rescue image with its disk attached, and back.",
        epilog=f"credentials: {ENV_AUTH} (a session id), or {ENV_USERNAME} and {ENV_PASSWORD}; "
        f"API: --url or {ENV_URL} (default {DEFAULT_URL}).\nexit codes: 0 done, 2 usage, 3 API error, 4 transport error.\n\n"
        + "\n".join(EXAMPLES.values()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", help=f"the API's base URL (env {ENV_URL}; default {DEFAULT_URL})")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=help, description=help, epilog=EXAMPLES[name], formatter_class=argparse.RawDescriptionHelpFormatter
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
    leave = command("exit", "leave rescue mode (boot the instance from its own disk again)")
    leave.add_argument("elid", type=int, metavar="ELID", help="the instance's ID")
    login = command("login", "log in and get a session id for ZOMRO_AUTH")
    login.add_argument("--username", help=f"the account's login (env {ENV_USERNAME}; prompted for when not given)")
    login.add_argument("--export", action="store_true", help="print `export ZOMRO_AUTH=...` for eval")
    return parser


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [header, ["-" * w for w in widths], *rows]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines)


def _image_json(image: Image) -> dict[str, Any]:
    return {"uuid": str(image.uuid), "image_name": image.image_name, "os_name": image.os_name, "zone": image.zone}


def _rescue_password(args: argparse.Namespace) -> str | None:
    if args.no_password:
        return None
    if args.password is not None:
        return str(args.password)
    if os.environ.get(ENV_RESCUE_PASSWORD):
        return os.environ[ENV_RESCUE_PASSWORD]
    if sys.stdin.isatty():
        return getpass.getpass("password for the rescue system (empty for none): ") or None
    return None


def _run(args: argparse.Namespace) -> int:
    if args.command == "login":
        username = args.username or os.environ.get(ENV_USERNAME) or input("username: ")
        password = os.environ.get(ENV_PASSWORD) or getpass.getpass(f"password for {username}: ")
        with RescueClient(args.url, username=username, password=password) as zomro:
            session = zomro.login()
        if args.export:
            print(f"export {ENV_AUTH}={session}")
        elif args.json:
            print(json.dumps({"username": username, "session": session}))
        else:
            print(f"logged in as {username}; session id {mask(session)}: print it with --export or --json")
        return OK
    with RescueClient(args.url) as zomro:
        if args.command == "images":
            found = zomro.images(args.elid)
            if args.json:
                print(json.dumps([_image_json(image) for image in found], indent=2))
            else:
                rows = [[str(i.uuid), i.image_name or "-", i.os_name, i.zone] for i in found]
                print(_table(rows, ["UUID", "image name", "OS name", "zone"]))
        elif args.command == "enter":
            # The image first: a wrong name should not cost the user a password prompt.
            image = zomro.rescue(args.elid, choose(zomro.images(args.elid), args.image), _rescue_password(args))
            if args.json:
                print(json.dumps({"elid": args.elid, "rescue": True, "image": _image_json(image)}))
            else:
                print(f"instance {args.elid} is entering rescue mode with {image.label()} ({image.uuid})")
        elif args.command == "exit":
            zomro.unrescue(args.elid)
            print(json.dumps({"elid": args.elid, "rescue": False}) if args.json else f"instance {args.elid} is leaving rescue mode")
    return OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ApiError as error:
        print(f"zomro-rescue: the API refused: {error}", file=sys.stderr)
        return API
    except TransportError as error:
        print(f"zomro-rescue: {error}", file=sys.stderr)
        return TRANSPORT
    except ZomroRescueError as error:
        print(f"zomro-rescue: {error}", file=sys.stderr)
        return USAGE
    except (KeyboardInterrupt, EOFError):
        print("zomro-rescue: interrupted", file=sys.stderr)
        return USAGE


if __name__ == "__main__":
    sys.exit(main())
