"""`zomro-rescue-mock`: serve the mock on one port until Ctrl-C or SIGTERM.

    zomro-rescue-mock [--host 127.0.0.1] [--port 4010] [--verbose] [--cors-origin ORIGINS]
    zomro-rescue-mock --upstream https://api.zomro.com   # a proxy to the real server, checking each exchange

Host, port and the CORS origins also come from ZOMRO_MOCK_HOST, ZOMRO_MOCK_PORT
and ZOMRO_MOCK_CORS_ORIGIN.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import gc
import logging
import os
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from zomro_contract import CONTRACT
from zomro_contract.operations import Catalogue
from zomro_contract.release import name_and_version

from . import default_world, prism_install, world_file
from .clock import ClockStart
from .cors import Cors
from .emulator import Emulator
from .prism import Prism, PrismError, free_port
from .world import Timing

PRISM = Path("node_modules") / ".bin" / "prism"


def _find_prism() -> Path:
    """Prism: the nearest node_modules from here up, else the checkout's (where the contract's link leads), else the pinned one.

    The pinned one is installed into a per-user cache on first start (prism_install).
    """
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / PRISM).exists():
            return folder / PRISM
    checkout = CONTRACT.resolve().parent / PRISM
    if checkout.exists():
        return checkout
    return prism_install.ensure(_progress)


def _progress(line: str) -> None:
    print(f"zomro-rescue-mock: {line}", file=sys.stderr, flush=True)


log = logging.getLogger("zomro_mock")


class StartError(Exception):
    """The mock cannot start: the message says why and what to do."""


_PRISM_HELP = """\
Prism (npm's @stoplight/prism-cli) runs on Node.js 20 or newer. Without --prism,
the mock takes the first of:
  1. node_modules/.bin/prism in the current folder or one above it (your project's);
  2. this project's own, when run from its checkout (after `make setup`);
  3. the Prism {version} pinned in this package. The first start installs it,
     showing its progress, with `npm ci` from the package's own lock file into
     $XDG_CACHE_HOME/zomro-rescue-mock/ (default ~/.cache/zomro-rescue-mock/):
     a minute or less when npm's cache holds it. Later starts reuse it.
Node.js missing or older than 20, or npm missing when Prism must be installed:
one line says which, and the exit code is 1.

Example: zomro-rescue-mock --port 4011, then take instance 5203775 (broken-1, in rescue mode in the
default world) out of rescue mode, with a live session of that world:
  curl --form func=instances.fleio.unrescue --form out=json --form elid=5203775 --form auth=43137b5f35a6ba4ee01f4a4e http://127.0.0.1:4011/
  # {{"doc":{{"ok":{{}}}}}}
"""


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="zomro-rescue-mock",
        description="A mock of Zomro's rescue API: Prism serving openapi.yaml, behind a function-aware router.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_PRISM_HELP.format(version=prism_install.pinned_version()),
    )
    parser.add_argument("--version", action="version", version=name_and_version("zomro-rescue-mock"))
    parser.add_argument(
        "--host",
        default=os.environ.get("ZOMRO_MOCK_HOST", "127.0.0.1"),
        help="address to listen on (env ZOMRO_MOCK_HOST; default 127.0.0.1)",
    )
    parser.add_argument(
        "--port", type=int, default=os.environ.get("ZOMRO_MOCK_PORT", "4010"), help="port to listen on (env ZOMRO_MOCK_PORT; default 4010)"
    )
    parser.add_argument("--spec", type=Path, default=CONTRACT, help="the contract to serve (default: the project's openapi.yaml)")
    parser.add_argument(
        "--prism",
        type=Path,
        default=os.environ.get("ZOMRO_MOCK_PRISM") or None,
        help="the Prism executable to run (env ZOMRO_MOCK_PRISM; default: see `Prism` below)",
    )
    parser.add_argument("--startup-timeout", type=float, default=60.0, help="seconds to wait for Prism to start (default 60)")
    parser.add_argument(
        "--cors-origin",
        default=os.environ.get("ZOMRO_MOCK_CORS_ORIGIN", "*"),
        help="origins a web page may call the mock from: `*` for any (Prism's default), a comma-separated list "
        "(http://localhost:3000,https://app.example), or `none` (env ZOMRO_MOCK_CORS_ORIGIN; default *)",
    )
    parser.add_argument(
        "--client-timeout",
        type=float,
        default=10.0,
        help="seconds a client has to send a request's head, and may pause within its body (default 10)",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="log every request (secrets masked); by default only rejected ones")
    proxy = parser.add_argument_group(
        "in front of the real server",
        "With --upstream the mock plays no server: it sends every request of the API on to URL as it came, passes the "
        "answer back unchanged, and checks both against the contract, as `zomro-rescue probe` checks answers. What breaks "
        "the contract is logged once per kind, listed in each journal entry's `drift` (GET /_mock/journal) and counted in "
        "one line when the mock stops. A rescue through it is a real rescue. No Prism, no world, nothing written to disk.",
    )
    proxy.add_argument(
        "--upstream",
        default=os.environ.get("ZOMRO_MOCK_UPSTREAM") or None,
        metavar="URL",
        help="the API to send each request on to, such as https://api.zomro.com (env ZOMRO_MOCK_UPSTREAM)",
    )
    proxy.add_argument(
        "--upstream-timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="the longest one exchange with the upstream may take, whole; then the client gets the error document (default 30)",
    )
    emulation = parser.add_argument_group(
        "the emulated server",
        "By default the mock plays the server: a world of accounts, sessions and instances that move through the "
        "rescue lifecycle, steered from tests under /_mock/ (see control-api.yaml).",
    )
    emulation.add_argument(
        "--world",
        type=Path,
        default=os.environ.get("ZOMRO_MOCK_WORLD") or None,
        help="a world to start with, YAML or JSON in control-api.yaml's World format (env ZOMRO_MOCK_WORLD; "
        "default: the contract's examples: instance 5203773 and its neighbours, account me@example.com)",
    )
    emulation.add_argument(
        "--transitions",
        default=os.environ.get("ZOMRO_MOCK_TRANSITIONS") or None,
        metavar="immediate|reads:N|seconds:N",
        help="when `rescuing` and `unrescuing` settle: at once (the default), after N reads of the instance list, "
        "or after N seconds (env ZOMRO_MOCK_TRANSITIONS; overrides the world's)",
    )
    emulation.add_argument(
        "--session-idle",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long a session lives after its last request (default 3600, ISPsystem's hour; overrides the world's)",
    )
    emulation.add_argument(
        "--clock",
        choices=("running", "frozen"),
        default=os.environ.get("ZOMRO_MOCK_CLOCK") or None,
        help="the world's clock: `running` follows real time (the default); `frozen` moves only when a test moves it "
        "(POST /_mock/clock/advance), so that sessions expire and `seconds:N` transitions settle only when told "
        "(env ZOMRO_MOCK_CLOCK; overrides the world's)",
    )
    emulation.add_argument(
        "--stateless",
        action="store_true",
        help="no world: every valid request gets its operation's first example, or the one a `Prefer: example=NAME` header names",
    )
    args = parser.parse_args(argv)
    try:
        args.cors = Cors.parse(args.cors_origin)
    except ValueError as exc:
        parser.error(f"--cors-origin: {exc}")
    if not 0 < args.client_timeout <= 3600:
        parser.error("--client-timeout: give seconds between 0 and 3600")
    try:
        args.timing = _timing(args.transitions)
    except ValueError:
        parser.error("--transitions: give immediate, reads:N (N a whole number from 1) or seconds:N (N above 0)")
    if args.session_idle is not None and not 0 < args.session_idle <= 31536000:
        parser.error("--session-idle: give seconds above 0")
    if args.clock not in (None, "running", "frozen"):  # from the environment, which argparse does not check
        parser.error(f"--clock: give running or frozen, not {args.clock!r}")
    if args.stateless and (args.world or args.transitions or args.session_idle or args.clock):
        parser.error("--stateless: there is no world to set up; leave out --world, --transitions, --session-idle and --clock")
    if args.upstream is not None:
        if args.stateless or args.world or args.transitions or args.session_idle or args.clock:
            parser.error(
                "--upstream: the real server holds the world and its time; "
                "leave out --stateless, --world, --transitions, --session-idle and --clock"
            )
        from .upstream import check_url  # here: httpx is for the proxy alone

        try:
            check_url(args.upstream)
        except ValueError as exc:
            parser.error(f"--upstream: {exc}")
        if not 0 < args.upstream_timeout <= 3600:
            parser.error("--upstream-timeout: give seconds between 0 and 3600")
    return args


def _timing(text: str | None) -> Timing | None:
    if text is None:
        return None
    after, _, count = text.partition(":")
    if after == "immediate" and not count:
        return Timing()
    number = float(count)
    if after not in ("reads", "seconds") or not 0 < number <= 86400 or (after == "reads" and not number.is_integer()):
        raise ValueError(text)
    return Timing(after, number)  # type: ignore[arg-type]


def _emulator(args: argparse.Namespace, spec: dict[str, Any], catalogue: Catalogue) -> Emulator:
    """The emulated server: the world to start with, and what it needs of the contract."""
    try:
        world = world_file.load(args.world) if args.world else default_world.build(spec)
    except world_file.WorldError as error:
        raise StartError(f"--world {error}") from None
    except (LookupError, TypeError, ValueError) as exc:
        raise StartError(f"{args.spec}: the default world is made from its examples, and they lack {exc}: pass --world") from None
    if args.timing is not None:
        world.timing = args.timing
    if args.session_idle is not None:
        world.session_idle = args.session_idle
    if args.clock is not None:
        world.clock_start = ClockStart(frozen=args.clock == "frozen", now=world.clock_start.now)
    errors = {op.operation_id: op.error_examples for op in catalogue.by_selector.values()}
    secrets = frozenset().union(*(op.secret_fields for op in catalogue.by_selector.values()))
    return Emulator(world, errors, secrets, catalogue.all_fields)


def _listen(host: str, port: int) -> socket.socket:
    """Bind the public port before anything else, so that a busy port fails at once."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise StartError(f"cannot listen on {host!r}: {exc.strerror}; pass an address with --host") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StartError(
                f"port {port} on {host} is already in use: stop what uses it, or pick another port with --port or ZOMRO_MOCK_PORT"
            ) from None
        raise StartError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def _snapshot(spec: Path, folder: Path) -> Path:
    """A private copy of the contract, that Prism and the router both serve.

    Prism reloads its file whenever it changes, and exits if it reads it half-written
    (as an editor saves it): the mock would stop, or Prism and the router would serve
    two versions of the contract. Restart the mock to serve an edited contract.
    """
    try:
        content = spec.read_bytes()
    except OSError as exc:
        raise StartError(f"cannot read the contract {spec}: {exc.strerror}; pass an OpenAPI file with --spec") from None
    copy = folder / spec.name
    copy.write_bytes(content)
    return copy


async def _serve(args: argparse.Namespace, sock: socket.socket) -> int:
    if args.upstream is not None:
        return await _serve_proxy(args, sock)
    with tempfile.TemporaryDirectory(prefix="zomro-mock-") as folder:
        return await _serve_contract(args, _snapshot(args.spec, Path(folder)), sock)


# On SIGTERM or Ctrl-C: a request still arriving gets this long to arrive, an answer being made
# STOP_FINISH more, and Prism STOP_PRISM: the mock is gone within about 3 s whatever clients do.
STOP_GRACE = 1.0
STOP_FINISH = 0.5
STOP_PRISM = 1.0


async def _first(*waits: asyncio.Future[Any]) -> None:
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)


async def _serve_contract(args: argparse.Namespace, spec: Path, sock: socket.socket) -> int:
    prism = Prism(args.prism, spec, free_port())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await prism.start()
        # Read the contract and import the server while Prism starts.
        from zomro_contract.operations import ContractError, load

        from .form_check import FormCheck, UnsupportedSchema
        from .prism_client import PrismClient
        from .router import Router
        from .server import HttpServer, Limits

        try:
            catalogue = load(spec)
        except ContractError as exc:
            raise StartError(f"{args.spec}: {exc}") from None
        client = PrismClient("127.0.0.1", prism.port)
        if args.stateless:
            router = Router(catalogue, client, args.verbose, args.cors)
        else:
            served = yaml.safe_load(spec.read_text(encoding="utf-8"))  # the contract as load() read it, for the emulator
            try:
                check = FormCheck(served, list(catalogue.by_selector.values()))
            except UnsupportedSchema as exc:
                raise StartError(f"{args.spec}: {exc}; run with --stateless to let Prism alone check forms") from None
            router = Router(catalogue, client, args.verbose, args.cors, _emulator(args, served, catalogue), check)
        ready = asyncio.ensure_future(prism.wait_ready(args.startup_timeout))
        await _first(ready, stopped)
        if stopped.done():
            ready.cancel()
            return 0
        ready.result()
        server = HttpServer(router, Limits(max_body=catalogue.body_limit, client_timeout=args.client_timeout))
        await server.serve(sock)
        # What is loaded now lives as long as the mock: out of the collector's way, and fewer
        # collections of what each request leaves (it frees nearly all of it by reference counting).
        gc.freeze()
        gc.set_threshold(20_000, 20, 20)
        # A large world is read and built in a thread: the loop asks for the interpreter's lock back within 1 ms,
        # not 5, so that clients wait little meanwhile (with one thread running, this costs nothing).
        sys.setswitchinterval(0.001)
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        print(f"Zomro rescue mock: http://{shown}:{port}/ (Prism {prism.url}, contract {args.spec})", flush=True)
        prism_exit = asyncio.ensure_future(prism.process.wait())  # type: ignore[union-attr]
        await _first(prism_exit, stopped)
        await server.stop(STOP_GRACE, STOP_FINISH)
        client.close()
        if prism_exit.done():
            raise prism.died()
        prism_exit.cancel()
        return 0
    finally:
        stopped.cancel()
        await prism.stop(STOP_PRISM)


async def _serve_proxy(args: argparse.Namespace, sock: socket.socket) -> int:
    """The mock in front of the real server: no Prism, no world; the contract read once, nothing written to disk."""
    from zomro_contract.operations import ContractError

    from .form_check import UnsupportedSchema
    from .proxy import make
    from .router import Router
    from .server import HttpServer, Limits

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        proxy = make(args.spec, args.upstream, args.upstream_timeout, args.verbose, time.time)
    except OSError as exc:
        raise StartError(f"cannot read the contract {args.spec}: {exc.strerror}; pass an OpenAPI file with --spec") from None
    except (ContractError, UnsupportedSchema, yaml.YAMLError) as exc:
        raise StartError(f"{args.spec}: {str(exc).splitlines()[0]}") from None
    router = Router(proxy.catalogue, None, args.verbose, args.cors, proxy=proxy)
    server = HttpServer(router, Limits(max_body=proxy.catalogue.body_limit, client_timeout=args.client_timeout))
    await server.serve(sock)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(
        f"Zomro rescue mock: http://{shown}:{port}/ (a proxy to {proxy.upstream.shown}; each exchange checked against {args.spec.name})",
        flush=True,
    )
    try:
        await stop.wait()
        await server.stop(STOP_GRACE, STOP_FINISH)
    finally:
        await proxy.upstream.close()
        print(proxy.tally.summary(), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    # By default the log says what went wrong; --verbose adds every request. No layer logs request bytes.
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr
    )
    try:
        sock = _listen(args.host, args.port)
        # Found (or installed, on a first start) before the event loop: Ctrl-C and SIGTERM stop an install.
        # A proxy needs none: every answer is the real server's.
        if args.upstream is None:
            args.prism = args.prism or _find_prism()
        with contextlib.suppress(ImportError):
            import uvloop

            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        return asyncio.run(_serve(args, sock))
    except (StartError, PrismError) as exc:
        print(f"zomro-rescue-mock: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
